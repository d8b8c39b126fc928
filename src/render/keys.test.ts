import { expect, test } from 'vitest';
import type { Article } from '../model/model.js';
import { articleDigest, keepDigests, ListKeys, listKey, madeDigests } from './keys.js';

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

test("a list's key is made again for the runs whose articles, or their other versions, are others", () => {
  const keys = new ListKeys();
  const article = (storyId: string) => ({ storyId, translations: [] }) as unknown as Article;
  const list = Array.from({ length: 200 }, (_, i) => article(`s${i}`));
  const made: string[] = [];
  const key = (articles: Article[]) =>
    listKey(
      keys,
      'sitemap en',
      articles,
      (x) => {
        made.push(x.storyId);
        return x.storyId;
      },
      ',',
    );
  const whole = list.map((x) => x.storyId).join(',');
  expect(key(list)).toBe(whole);
  expect(made).toHaveLength(200);
  made.length = 0;
  expect(key(list)).toBe(whole);
  expect(made).toEqual([]);
  // A story parsed again is a new object, however alike: its run of 64 is made again.
  list[70] = article('s70');
  expect(key(list)).toBe(whole);
  expect(made).toEqual(list.slice(64, 128).map((x) => x.storyId));
  made.length = 0;
  // A translation published since (an embargo ended) gives the article a new list.
  (list[130] as Article).translations = [article('s130-uk')];
  expect(key(list)).toBe(whole);
  expect(made).toEqual(list.slice(128, 192).map((x) => x.storyId));
  made.length = 0;
  // A shorter list: its last run is another. Planned whole, the runs no list asked for go.
  expect(keys.size).toBe(4);
  keys.begin();
  expect(key(list.slice(0, 150))).toBe(
    list
      .slice(0, 150)
      .map((x) => x.storyId)
      .join(','),
  );
  expect(made).toEqual(list.slice(128, 150).map((x) => x.storyId));
  keys.keepAsked();
  expect(keys.size).toBe(3);
  // Without a place to keep them, keys are made each time.
  let unkept = 0;
  for (let i = 0; i < 2; i++)
    listKey(undefined, 'feed en/', [article('a')], () => `${++unkept}`, '');
  expect(unkept).toBe(2);
});
