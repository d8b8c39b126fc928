/**
 * RFC 5005 archived feeds: with a main feed shorter than the list of articles, the older
 * ones are in archive documents linked prev-archive from the main feed and from each other,
 * each marked fh:archive and linking back to its live feed; together they hold every article.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import { expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import { FIXTURES, NOW } from './helpers.js';

const text = (result: BuildResult, path: string) =>
  String(result.files.find((f) => f.path === path)?.contents);
const base = 'https://news.example.org/';

test('older articles stay reachable through archives', async () => {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-archives-'));
  cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
  writeFileSync(
    join(site, 'site.yaml'),
    readFileSync(join(site, 'site.yaml'), 'utf8').replace('items: 10', 'items: 1'),
  );
  const result = await build(site, { now: NOW, drafts: false, strict: false });
  expect(result.diagnostics).toEqual([]);

  const links = (path: string) =>
    parseAtomFeed(text(result, path))
      .links?.filter((l) => /archive|current/.test(l.rel ?? ''))
      .map((l) => [l.rel, l.href]);
  expect(links('en/atom.xml')).toEqual([['prev-archive', `${base}en/archive/2024-11-04/atom.xml`]]);
  expect(links('en/archive/2024-11-04/atom.xml')).toEqual([
    ['current', `${base}en/atom.xml`],
    ['prev-archive', `${base}en/archive/2024-07-01/atom.xml`],
  ]);
  expect(links('en/archive/2024-07-01/atom.xml')).toEqual([
    ['current', `${base}en/atom.xml`],
    ['next-archive', `${base}en/archive/2024-11-04/atom.xml`],
  ]);

  // Archives say so (fh:archive, in RFC 5005's namespace); the live feed does not.
  const parse = (path: string) =>
    new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text(result, path));
  expect(parse('en/archive/2024-07-01/rss.xml').rss).toMatchObject({
    'xmlns:fh': 'http://purl.org/syndication/history/1.0',
  });
  expect(parse('en/archive/2024-07-01/rss.xml').rss.channel).toHaveProperty('fh:archive');
  expect(parse('en/rss.xml').rss.channel).not.toHaveProperty('fh:archive');
  expect(
    parseRssFeed(text(result, 'en/rss.xml')).atom?.links?.find((l) => l.rel === 'prev-archive')
      ?.href,
  ).toBe(`${base}en/archive/2024-11-04/rss.xml`);

  // Following prev-archive from the main feed reaches every English article.
  const seen = new Set<string>();
  let path: string | undefined = 'en/atom.xml';
  while (path) {
    const feed: ReturnType<typeof parseAtomFeed> = parseAtomFeed(text(result, path));
    for (const entry of feed.entries ?? []) seen.add(entry.id ?? '');
    const prev: string | undefined = feed.links?.find((l) => l.rel === 'prev-archive')?.href;
    path = prev?.slice(base.length);
  }
  expect([...seen].sort()).toEqual([
    'tag:news.example.org,2000:flood-warning/en',
    'tag:news.example.org,2000:museum-reopens/en',
  ]);
  // One article in Ukrainian and Arabic: the main feed holds it all, no archive.
  expect(result.files.some((f) => f.path.startsWith('uk/archive/'))).toBe(false);
});
