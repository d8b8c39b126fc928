import { expect, test } from 'vitest';
import { slugFor } from './slug.js';

test.each([
  [
    'Київ готується до зими: що відомо про графіки',
    'uk',
    'kyiv-hotuietsia-do-zymy-shcho-vidomo-pro-hrafiky',
  ],
  ['Щедрий вечір у Житомирі', 'uk', 'shchedryi-vechir-u-zhytomyri'],
  ['Ґанок і їжак', 'uk', 'ganok-i-yizhak'],
  ['Größere Straßenbahnen für Köln', 'de', 'groessere-strassenbahnen-fuer-koeln'],
  ['City council adopts a budget', 'en', 'city-council-adopts-a-budget'],
  ['الحكومة تعلن عن ميزانية جديدة', 'ar', 'alhkwmt-teln-en-myzanyt-jdydt'],
  ['Explainer: how elections work — and why?', 'en', 'explainer-how-elections-work-and-why'],
])('%s (%s) → %s', (title, lang, slug) => {
  expect(slugFor(title, lang)).toBe(slug);
});

test('a long headline is cut at a word boundary, at most 80 characters', () => {
  const slug = slugFor('word '.repeat(40), 'en');
  expect(slug.length).toBeLessThanOrEqual(80);
  expect(slug.endsWith('word')).toBe(true);
});

test('text without letters or digits gives no slug, so the caller can ask for one', () => {
  expect(slugFor('!!! ???', 'en')).toBe('');
});
