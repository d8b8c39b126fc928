/**
 * Every feed the sample site and the fixtures produce, read back by real parsers: feedsmith
 * (a feed parser that knows the Atom, Dublin Core and Media RSS namespaces) and
 * fast-xml-parser for well-formedness and namespace declarations. Checks follow the RSS
 * 2.0 and Atom (RFC 4287) specs, the rules of the W3C Feed Validation Service that our
 * output can break, and JSON Feed 1.1.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { beforeAll, describe, expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import { findXmlInvalid } from '../src/content/sanitize.js';
import { buildFixture, REPO } from './helpers.js';

const RFC_822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const NAMESPACES: Record<string, string> = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  media: 'http://search.yahoo.com/mrss/',
};

interface Site {
  name: string;
  result: BuildResult;
  baseUrl: string;
  languages: string[];
}
const sites: Site[] = [];

beforeAll(async () => {
  const sample = await build(REPO, {
    now: new Date('2026-01-01T00:00:00Z'),
    drafts: false,
    strict: false,
  });
  sites.push({
    name: 'sample site',
    result: sample,
    baseUrl: 'https://herald.example.org/',
    languages: ['en', 'uk', 'de', 'ar'],
  });
  for (const name of ['basic', 'hostile-content']) {
    sites.push({
      name,
      result: await buildFixture(name),
      baseUrl: 'https://news.example.org/',
      languages: ['en', 'uk', 'ar'],
    });
  }
});

function text(result: BuildResult, path: string): string {
  const file = result.files.find((f) => f.path === path);
  if (!file) throw new Error(`${path} was not written`);
  return String(file.contents);
}

function feeds(result: BuildResult, name: string): string[] {
  return result.files.map((f) => f.path).filter((path) => path.endsWith(`/${name}`));
}

/** `uk/sections/politics/rss.xml` → `uk`. */
const langOf = (path: string) => path.split('/')[0] ?? '';

describe.each(['sample site', 'basic', 'hostile-content'])('%s', (siteName) => {
  const site = () => {
    const found = sites.find((s) => s.name === siteName);
    if (!found) throw new Error('not built');
    return found;
  };

  test('builds without errors and writes the three formats of every listing', () => {
    const { result, languages } = site();
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rss = feeds(result, 'rss.xml');
    expect(feeds(result, 'atom.xml')).toEqual(rss.map((p) => p.replace('rss.xml', 'atom.xml')));
    expect(feeds(result, 'feed.json')).toEqual(rss.map((p) => p.replace('rss.xml', 'feed.json')));
    for (const lang of new Set(rss.map(langOf))) expect(languages).toContain(lang);
  });

  test('RSS 2.0 feeds parse, declare their namespaces and carry what readers need', () => {
    const { result, baseUrl } = site();
    for (const path of feeds(result, 'rss.xml')) {
      const xml = text(result, path);
      expect(XMLValidator.validate(xml), path).toBe(true);
      expectDeclaredNamespaces(xml, path);
      const feed = parseRssFeed(xml);
      const lang = langOf(path);
      expect(feed.language).toBe(lang);
      expect(feed.title).toBeTruthy();
      expect(feed.link).toBe(baseUrl + path.replace('rss.xml', ''));
      expect(feed.atom?.links?.find((l) => l.rel === 'self')?.href).toBe(baseUrl + path);
      expect(feed.generator).toBe('Polyfeed');
      expect(feed.lastBuildDate).toMatch(RFC_822);
      const items = feed.items ?? [];
      expect(items.length).toBeGreaterThan(0);
      const ids = items.map((item) => item.guid?.value);
      expect(new Set(ids).size).toBe(ids.length);
      for (const item of items) {
        expect(item.guid?.isPermaLink).toBe(false);
        expect(item.guid?.value).toMatch(new RegExp(`^tag:[^:]+,\\d{4}:[a-z0-9_-]+/${lang}$`));
        expect(item.pubDate).toMatch(RFC_822);
        expect(item.link?.startsWith(`${baseUrl}${lang}/articles/`)).toBe(true);
        expect(item.dc?.creators?.length).toBeGreaterThan(0);
        expect(item.categories?.length).toBeGreaterThan(0);
        expect(item.content?.encoded).toBeTruthy();
        expect(item.content?.encoded).not.toMatch(/<script|javascript:|\son\w+=/i);
        for (const link of item.atom?.links ?? []) expect(link.hreflang).not.toBe(lang);
      }
      // Newest first, and the channel's date is the newest item's, not the clock's.
      const dates = items.map((item) => Date.parse(item.pubDate ?? ''));
      expect([...dates].sort((a, b) => b - a)).toEqual(dates);
      const newest = Math.max(
        ...items.map((i) => Date.parse(i.dcterms?.modified?.[0] ?? i.pubDate ?? '')),
      );
      expect(Date.parse(feed.lastBuildDate ?? '')).toBe(newest);
    }
  });

  test('Atom feeds parse with xml:lang, dates with offsets and authors', () => {
    const { result, baseUrl } = site();
    for (const path of feeds(result, 'atom.xml')) {
      const xml = text(result, path);
      expect(XMLValidator.validate(xml), path).toBe(true);
      const feed = parseAtomFeed(xml);
      const lang = langOf(path);
      expect(feed.xml?.lang).toBe(lang);
      expect(feed.id).toBe(baseUrl + path);
      expect(feed.updated).toMatch(RFC_3339);
      expect(feed.links?.find((l) => l.rel === 'self')?.href).toBe(baseUrl + path);
      const entries = feed.entries ?? [];
      for (const entry of entries) {
        expect(entry.id).toMatch(new RegExp(`^tag:[^:]+,\\d{4}:[a-z0-9_-]+/${lang}$`));
        expect(entry.updated).toMatch(RFC_3339);
        expect(entry.published).toMatch(RFC_3339);
        expect(entry.authors?.length).toBeGreaterThan(0);
        const alternates = (entry.links ?? []).filter((l) => l.rel === 'alternate');
        expect(alternates.filter((l) => !l.hreflang)).toHaveLength(1);
        // RFC 4287 4.1.1: no two alternate links with the same type and hreflang.
        const keys = alternates.map((l) => `${l.type} ${l.hreflang}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect(entry.content?.value).not.toMatch(/<script|javascript:/i);
      }
      expect(Date.parse(feed.updated ?? '')).toBe(
        Math.max(...entries.map((e) => Date.parse(e.updated ?? ''))),
      );
    }
  });

  test('JSON Feeds follow version 1.1', () => {
    const { result, baseUrl } = site();
    for (const path of feeds(result, 'feed.json')) {
      const raw = JSON.parse(text(result, path)) as Record<string, unknown> & {
        items: Record<string, unknown>[];
      };
      expect(raw.version).toBe('https://jsonfeed.org/version/1.1');
      expect(raw.author).toBeUndefined(); // deprecated in 1.1
      const feed = parseJsonFeed(raw);
      expect(feed.title).toBeTruthy();
      expect(feed.language).toBe(langOf(path));
      expect(feed.feed_url).toBe(baseUrl + path);
      expect(feed.home_page_url).toBe(baseUrl + path.replace('feed.json', ''));
      for (const item of raw.items) {
        expect(typeof item.id).toBe('string');
        expect(typeof item.content_html).toBe('string');
        expect(item.date_published).toMatch(RFC_3339);
        expect(item.date_modified).toMatch(RFC_3339);
        expect(item.author).toBeUndefined();
        expect(item.authors).toEqual(expect.arrayContaining([{ name: expect.any(String) }]));
      }
    }
  });

  test('feeds.opml lists every RSS feed, grouped by language', () => {
    const { result, baseUrl } = site();
    const xml = text(result, 'feeds.opml');
    expect(XMLValidator.validate(xml)).toBe(true);
    const opml = parseOpml(xml);
    const groups = opml.body?.outlines ?? [];
    const listed = groups.flatMap((group) => (group.outlines ?? []).map((o) => o.xmlUrl));
    expect([...listed].sort()).toEqual(feeds(result, 'rss.xml').map((p) => baseUrl + p));
    for (const group of groups) {
      for (const outline of group.outlines ?? [])
        expect(outline.xmlUrl?.startsWith(`${baseUrl}${group.language}/`)).toBe(true);
    }
  });
});

describe('what the feeds say', () => {
  const get = (name: string) => {
    const found = sites.find((s) => s.name === name);
    if (!found) throw new Error('not built');
    return found.result;
  };

  test('a story missing in a language is absent from its feeds; versions link to each other', () => {
    const result = get('basic');
    const arabic = parseRssFeed(text(result, 'ar/rss.xml'));
    expect(arabic.items?.map((i) => i.guid?.value)).toEqual([
      'tag:news.example.org,2000:flood-warning/ar',
    ]);
    const english = parseRssFeed(text(result, 'en/rss.xml'));
    const flood = english.items?.find((i) => i.guid?.value?.endsWith('flood-warning/en'));
    // `related`, not `alternate`: readers take an item's last alternate link for its own.
    expect(flood?.atom?.links?.map((l) => [l.rel, l.hreflang])).toEqual([
      ['related', 'uk'],
      ['related', 'ar'],
    ]);
    expect(
      parseRssFeed(text(result, 'en/rss.xml')).atom?.links?.map((l) => l.hreflang ?? l.rel),
    ).toEqual(['self', 'uk', 'ar']);
  });

  test('dates keep the Kyiv offset of their season', () => {
    const result = get('basic');
    const english = parseRssFeed(text(result, 'en/rss.xml'));
    expect(english.items?.map((i) => i.pubDate)).toEqual([
      'Mon, 04 Nov 2024 07:15:00 +0200',
      'Mon, 01 Jul 2024 10:00:00 +0300',
    ]);
    const atom = parseAtomFeed(text(result, 'en/atom.xml'));
    expect(atom.entries?.map((e) => [e.published, e.updated])).toEqual([
      ['2024-11-04T07:15:00+02:00', '2024-11-04T12:40:00+02:00'],
      ['2024-07-01T10:00:00+03:00', '2024-07-01T10:00:00+03:00'],
    ]);
  });

  test('the lead photo travels as enclosure, Media RSS and JSON Feed image', () => {
    const result = get('basic');
    const item = parseRssFeed(text(result, 'en/rss.xml')).items?.[0];
    const url = 'https://news.example.org/media/flood-warning/river.png';
    expect(item?.enclosures).toEqual([{ url, length: 25040, type: 'image/png' }]);
    expect(item?.media?.contents?.[0]).toMatchObject({
      url,
      width: 1200,
      height: 800,
      medium: 'image',
      type: 'image/png',
    });
    expect(item?.media?.contents?.[0]?.credits).toEqual([{ value: 'Olena Kovalenko' }]);
    expect(item?.media?.contents?.[0]?.description).toEqual({
      value: 'The embankment on Monday morning.',
      type: 'plain',
    });
    const entry = parseAtomFeed(text(result, 'en/atom.xml')).entries?.[0];
    expect(entry?.links?.find((l) => l.rel === 'enclosure')).toEqual({
      href: url,
      rel: 'enclosure',
      type: 'image/png',
      length: 25040,
    });
    expect(entry?.links?.find((l) => l.rel === 'via')).toEqual({
      href: 'https://emergency.example.org/bulletins/1104',
      rel: 'via',
      title: 'State Emergency Service',
    });
    const json = JSON.parse(text(result, 'en/feed.json')) as { items: { image?: string }[] };
    expect(json.items[0]?.image).toBe(url);
  });

  test('hostile text stays text: titles, summaries and authors come back exactly as written', () => {
    const result = get('hostile-content');
    const title = '<script>alert("x")</script> Council & mayor clash over ]]> markers 🚧';
    const rssItem = parseRssFeed(text(result, 'en/rss.xml')).items?.[0];
    // Titles are plain text in RSS and Atom (readers show them as such); descriptions HTML.
    expect(rssItem?.title).toBe(title);
    expect(decodeHtml(rssItem?.description ?? '')).toBe(
      'A summary with ]]> and <b>markup</b> that must stay text & show as written.',
    );
    // One dc:creator naming everyone (newsboat shows only the last of several); the markup
    // written in a name is removed with a warning.
    expect(rssItem?.dc?.creators).toEqual(['Olena Kovalenko and Mark Weber']);
    const entry = parseAtomFeed(text(result, 'en/atom.xml')).entries?.[0];
    expect(entry?.title).toEqual({ value: title, type: 'text' });
    const json = JSON.parse(text(result, 'en/feed.json')) as {
      items: { title: string; content_html: string }[];
    };
    expect(json.items[0]?.title).toBe(title);
    expect(json.items[0]?.content_html).toBe(
      '<p>Text with a bell character, a ]]&gt; sequence, and an emoji 🎉.</p>\n<p><b>bold is allowed</b> but <span>classes are dropped</span>.</p>\n',
    );
    for (const path of ['en/rss.xml', 'en/atom.xml'])
      expect(findXmlInvalid(text(result, path))).toEqual([]);
    expect(findXmlInvalid(json.items[0]?.content_html ?? '')).toEqual([]);
    expect(
      result.diagnostics
        .filter((d) => d.file === 'articles/odd-title/en.md')
        .map((d) => `${d.line}:${d.column} ${d.code}`),
    ).toEqual(['4:28 front-matter/markup-in-name', '9:17 content/control-character']);
  });

  test('right-to-left and very long titles survive', () => {
    const result = get('hostile-content');
    const arabic = parseAtomFeed(text(result, 'ar/atom.xml'));
    expect(arabic.entries?.[0]?.title?.value).toBe('نص عربي مع English وأرقام 2024 في العنوان');
    const long = parseRssFeed(text(result, 'uk/rss.xml')).items?.[0]?.title ?? '';
    expect(long.length).toBeGreaterThan(250);
    expect(long.endsWith('триває і триває')).toBe(true);
  });

  test('a tag or section gets its feeds and OPML entry with no code change', () => {
    const result = get('basic');
    const paths = result.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'en/tags/weather/rss.xml',
        'uk/tags/pohoda/atom.xml',
        'en/sections/culture/feed.json',
      ]),
    );
    expect(text(result, 'feeds.opml')).toContain(
      'https://news.example.org/en/tags/weather/rss.xml',
    );
    const tagFeed = parseRssFeed(text(result, 'uk/tags/pohoda/rss.xml'));
    expect(tagFeed.title).toBe('погода · Дніпровський вісник');
  });
});

/** Every namespace prefix used by an element or attribute is declared on the root. */
function expectDeclaredNamespaces(xml: string, path: string): void {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(
    xml,
  ) as Record<string, unknown>;
  const root = parsed.rss as Record<string, unknown>;
  const used = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const name = key.replace(/^@/, '');
        if (name.includes(':') && !name.startsWith('xmlns:') && !name.startsWith('xml:'))
          used.add(name.split(':')[0] ?? '');
        walk(value);
      }
    }
  };
  walk(root);
  for (const prefix of used)
    expect(root[`@xmlns:${prefix}`], `${path}: xmlns:${prefix}`).toBe(NAMESPACES[prefix]);
}

function decodeHtml(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
