/**
 * What subscribers see. Every RSS and Atom feed of the sample site and of the fixture sites
 * is read by two real readers, Universal Feed Parser and newsboat (tests/readers/), and each
 * entry is checked as a person would see it: the title exactly as written in the front
 * matter, a link to the entry's own page in the feed's language, every author, the
 * published instant, and no entry missing. JSON Feed, which neither reads, is checked
 * against a JSON Feed 1.1 schema written from the spec, with the same per-item checks.
 *
 * The readers come from Debian, not npm: where they are missing this file says so in one
 * line and skips; with CI set, a missing reader fails instead.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import type { Article } from '../src/model/model.js';
import { itemId } from '../src/render/to-feed.js';
import { writeOutput } from '../src/write/write-output.js';
import { buildFixture, FIXTURES, listFiles, REPO } from './helpers.js';
import { jsonFeed11 } from './readers/json-feed-schema.js';
import {
  findFeedparser,
  missingReaders,
  readWithFeedparser,
  readWithNewsboat,
  type ShownFeed,
} from './readers/readers.js';

const CI = Boolean(process.env.CI && process.env.CI !== 'false');
const missing = missingReaders();
if (missing && !CI) console.warn(`tests/readers.test.ts: skipped: ${missing}`);

/** One feed file of a built site, with what it should show. */
interface FeedFile {
  site: string;
  /** Absolute path of the written file. */
  path: string;
  type: 'application/rss+xml' | 'application/atom+xml';
  lang: string;
  /** The site's base URL (the feed's site link is under `${baseUrl}${lang}/`). */
  baseUrl: string;
  /** How many items the file holds. */
  items: number;
  /** Every article of the site by its feed id. */
  articles: Map<string, Article>;
}

const feeds: FeedFile[] = [];
const jsonFeeds: Omit<FeedFile, 'type' | 'items'>[] = [];

/** The sample site and every fixture site that builds, written to temporary folders. */
async function builtSites(): Promise<{ name: string; result: BuildResult }[]> {
  const sites = [
    {
      name: 'sample',
      result: await build(REPO, {
        now: new Date('2026-01-01T00:00:00Z'),
        drafts: false,
        strict: false,
      }),
    },
  ];
  for (const name of readdirSync(FIXTURES).sort()) {
    if (!existsSync(join(FIXTURES, name, 'site.yaml'))) continue;
    const result = await buildFixture(name);
    if (result.files.length) sites.push({ name, result });
  }
  return sites;
}

beforeAll(async () => {
  for (const { name, result } of await builtSites()) {
    const site = result.site;
    if (!site) throw new Error(`${name}: no site model`);
    const out = join(mkdtempSync(join(tmpdir(), 'polyfeed-readers-')), name);
    await writeOutput(out, result.files, result.assets);
    const articles = new Map<string, Article>();
    for (const edition of site.editions)
      for (const article of edition.articles) articles.set(itemId(site, article), article);
    const languages = new Set(site.editions.map((e) => e.language.code));
    for (const path of listFiles(out)) {
      const text = readFileSync(join(out, path), 'utf8');
      const lang = languageOf(path, languages);
      if (!lang) continue;
      const common = {
        site: name,
        path: join(out, path),
        lang,
        baseUrl: site.config.baseUrl,
        articles,
      };
      if (path.endsWith('.json') && text.includes('"https://jsonfeed.org/version/')) {
        jsonFeeds.push(common);
        continue;
      }
      if (!path.endsWith('.xml')) continue;
      const head = text.slice(0, 500);
      if (/<rss[\s>]/.test(head))
        feeds.push({ ...common, type: 'application/rss+xml', items: count(text, '<item>') });
      else if (/<feed[\s>]/.test(head))
        feeds.push({ ...common, type: 'application/atom+xml', items: count(text, '<entry>') });
    }
  }
}, 120_000);

/** The language a feed is for: its folder (`uk/…`), or a partner file's name (`partners/msn/uk.xml`). */
function languageOf(path: string, languages: Set<string>): string | undefined {
  const first = path.split('/')[0] ?? '';
  if (languages.has(first)) return first;
  const stem =
    path
      .split('/')
      .at(-1)
      ?.replace(/\.\w+$/, '') ?? '';
  return [...languages].find((lang) => stem === lang || stem.endsWith(`-${lang}`));
}

function count(text: string, tag: string): number {
  return text.split(tag).length - 1;
}

/** Every way `shown` differs from what the feed's subscriber should see. */
function problemsOf(feed: FeedFile, shown: ShownFeed | undefined, reader: string): string[] {
  const where = `${feed.site}:${feed.path.slice(feed.path.indexOf(feed.site) + feed.site.length + 1)}`;
  if (!shown) return [`${where}: ${reader} did not read it`];
  const problems: string[] = [];
  const say = (message: string) => problems.push(`${where}: ${reader}: ${message}`);
  if (shown.broken) say(`not well-formed: ${shown.broken}`);
  const home = `${feed.baseUrl}${feed.lang}/`;
  if (!shown.link.startsWith(home)) say(`site link ${shown.link} is not under ${home}`);
  if (shown.entries.length !== feed.items)
    say(`shows ${shown.entries.length} entries of ${feed.items}`);
  for (const entry of shown.entries) {
    const article = feed.articles.get(entry.id);
    if (!article) {
      say(`entry ${entry.id}: no such article`);
      continue;
    }
    const at = `entry ${entry.id}`;
    if (article.lang !== feed.lang)
      say(`${at}: a ${article.lang} article in the ${feed.lang} feed`);
    if (entry.title !== article.title) say(`${at}: title ${JSON.stringify(entry.title)}`);
    const link = entry.link.split('?')[0];
    if (link !== article.url) say(`${at}: opens ${entry.link}, not ${article.url}`);
    for (const name of article.authors)
      if (!entry.author.includes(name))
        say(`${at}: author ${JSON.stringify(entry.author)} lacks ${name}`);
    if (entry.published !== article.published.getTime() / 1000)
      say(`${at}: published ${entry.published}, not ${article.published.toISOString()}`);
  }
  return problems;
}

describe.runIf(!missing || CI)('what feed readers show a subscriber', () => {
  beforeAll(() => {
    if (missing) throw new Error(`CI needs the feed readers: ${missing}`);
  });

  test('the sample site and the fixtures have RSS and Atom feeds in every language', () => {
    expect(feeds.length).toBeGreaterThan(200);
    const sample = feeds.filter((f) => f.site === 'sample');
    expect(new Set(sample.map((f) => f.lang))).toEqual(new Set(['en', 'uk', 'de', 'ar']));
    expect(sample.some((f) => f.path.includes('/partners/'))).toBe(true);
    expect(feeds.some((f) => f.site === 'hostile-content')).toBe(true);
  });

  test('Universal Feed Parser: each entry as written, linked to its own page', () => {
    const python = findFeedparser() as string;
    const shown = readWithFeedparser(python, feeds);
    expect(feeds.flatMap((feed) => problemsOf(feed, shown.get(feed.path), 'feedparser'))).toEqual(
      [],
    );
  });

  test('newsboat: each entry as written, linked to its own page', () => {
    const python = findFeedparser() as string;
    // newsboat keeps one item per id: the ids decide which feeds can share a cache.
    const ids = readWithFeedparser(python, feeds);
    const shown = readWithNewsboat(
      feeds.map((feed) => ({
        path: feed.path,
        ids: ids.get(feed.path)?.entries.map((e) => e.id) ?? [],
      })),
    );
    expect(feeds.flatMap((feed) => problemsOf(feed, shown.get(feed.path), 'newsboat'))).toEqual([]);
  });
});

describe('JSON Feed', () => {
  test('every feed.json is JSON Feed 1.1, each item as written and in the feed language', () => {
    expect(jsonFeeds.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const feed of jsonFeeds) {
      const parsed = jsonFeed11.safeParse(JSON.parse(readFileSync(feed.path, 'utf8')));
      const where = feed.path.slice(feed.path.indexOf(feed.site));
      if (!parsed.success) {
        problems.push(
          ...parsed.error.issues.map((i) => `${where}: ${i.path.join('.')}: ${i.message}`),
        );
        continue;
      }
      if (parsed.data.language !== feed.lang)
        problems.push(`${where}: language ${parsed.data.language}`);
      for (const item of parsed.data.items) {
        const article = feed.articles.get(item.id);
        const at = `${where}: item ${item.id}`;
        if (!article) {
          problems.push(`${at}: no such article`);
          continue;
        }
        if (article.lang !== feed.lang) problems.push(`${at}: a ${article.lang} article`);
        if (item.title !== article.title)
          problems.push(`${at}: title ${JSON.stringify(item.title)}`);
        if (item.url !== article.url) problems.push(`${at}: url ${item.url}`);
        const names = item.authors?.map((a) => a.name);
        if (JSON.stringify(names) !== JSON.stringify(article.authors))
          problems.push(`${at}: authors ${JSON.stringify(names)}`);
        if (Date.parse(item.date_published ?? '') !== article.published.getTime())
          problems.push(`${at}: date_published ${item.date_published}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
