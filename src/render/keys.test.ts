import { expect, test } from 'vitest';
import type { Article } from '../model/model.js';
import { articleDigest, keepDigests, madeDigests } from './keys.js';

test('digests a cache kept are read as kept, and new ones join them', () => {
  const article = {} as Article;
  keepDigests(article, 'versions,uk,ar one\nversions,uk two\nsitemap three');
  const made: string[] = [];
  const make = (name: string) => () => {
    made.push(name);
    return `made ${name}`;
  };
  expect(articleDigest(article, 'versions,uk', make('versions,uk'))).toBe('two');
  expect(articleDigest(article, 'versions,uk,ar', make('versions,uk,ar'))).toBe('one');
  expect(articleDigest(article, 'sitemap', make('sitemap'))).toBe('three');
  // A name that only begins like a kept one is not one.
  expect(articleDigest(article, 'versions', make('versions'))).toBe('made versions');
  expect(articleDigest(article, 'versions', make('versions'))).toBe('made versions');
  expect(made).toEqual(['versions']);
  expect(madeDigests(article).split('\n').sort()).toEqual([
    'sitemap three',
    'versions made versions',
    'versions,uk two',
    'versions,uk,ar one',
  ]);
});
