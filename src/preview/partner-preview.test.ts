import { expect, test } from 'vitest';
import { cutText } from './partner-preview.js';

test('a text within the limit is shown whole', () => {
  expect(cutText('Council approves the budget', 27, 'en')).toEqual({
    shown: 'Council approves the budget',
    cut: false,
    length: 27,
  });
});

test('a long text is cut at a word boundary, with "…", never longer than the limit', () => {
  const title = 'Grain exports through Black Sea ports reach a two-year high as new routes open';
  const cut = cutText(title, 60, 'en');
  expect(cut).toEqual({
    shown: 'Grain exports through Black Sea ports reach a two-year high…',
    cut: true,
    length: 78,
  });
  expect([...cut.shown].length).toBeLessThanOrEqual(60);
  // Mid-word: back to the start of the word.
  expect(cutText(title, 50, 'en').shown).toBe('Grain exports through Black Sea ports reach a…');
  // One long word: cut inside it rather than show nothing.
  expect(cutText('Donaudampfschifffahrtsgesellschaft', 10, 'de').shown).toBe('Donaudamp…');
});

test('characters are what a reader sees: an emoji or a letter with its marks is never split', () => {
  expect(cutText('👩‍👩‍👧 family news', 3, 'en')).toEqual({
    shown: '👩‍👩‍👧…',
    cut: true,
    length: 13,
  });
  const arabic = 'صادرات الحبوب عبر موانئ البحر الأسود';
  const cut = cutText(arabic, 20, 'ar');
  expect(cut.shown).toBe('صادرات الحبوب عبر…');
  expect(cut.length).toBe([...arabic].length);
});
