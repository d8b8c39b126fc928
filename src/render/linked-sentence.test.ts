import { expect, test } from 'vitest';
import { SLOTS, sourceSentence, withLinks } from './linked-sentence.js';

const t = (_key: string, options?: Record<string, unknown>) => `${options?.source} reports this.`;

test('a $ pattern in a source name or URL is text, not a replacement pattern', () => {
  const source = { name: "Cash $& Co's $' desk", url: "https://news.example/?a=$&b=$'" };
  expect(sourceSentence(source, t, 'nofollow')).toBe(
    `<a href="https://news.example/?a=$&amp;b=$'" rel="nofollow">Cash $&amp; Co's $' desk</a> reports this.`,
  );
  expect(sourceSentence({ name: 'A $& B' }, t)).toBe('A $&amp; B reports this.');
});

test('the sentence is escaped, the links put in their slots as they are', () => {
  const sentence = `Under ${SLOTS[1]} <by> ${SLOTS[0]}`;
  expect(withLinks(sentence, ['<a href="$&">one</a>', '<b>$1</b>'])).toBe(
    'Under <b>$1</b> &lt;by&gt; <a href="$&">one</a>',
  );
});
