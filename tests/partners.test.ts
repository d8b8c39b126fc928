/**
 * The partner feeds of the sample site, each checked against what its partner publishes as
 * requirements (the links are in site.yaml above each profile). The checks are written from
 * those documents, not from our code: they read the feeds with fast-xml-parser, feedsmith
 * and htmlparser2, the way a partner's ingester would.
 */

import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseRssFeed } from 'feedsmith';
import { Parser } from 'htmlparser2';
import { beforeAll, describe, expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import { formatDiagnostics } from '../src/diagnostics.js';
import { buildFixture, FIXTURES, REPO } from './helpers.js';

/** A week after the sample's newest story: the feeds as partners read them when they were fresh. */
const NOW = new Date('2024-12-20T12:00:00Z');
const LANGUAGES = ['en', 'uk', 'de', 'ar'];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['item', 'entry', 'dc:creator', 'media:content'].includes(name),
});

// biome-ignore lint/suspicious/noExplicitAny: parsed XML, shaped as each test expects
type Node = Record<string, any>;

let sample: BuildResult;
beforeAll(async () => {
  sample = await build(REPO, { now: NOW, drafts: false, strict: false });
}, 60_000);

function text(result: BuildResult, path: string): string {
  const file = result.files.find((f) => f.path === path);
  if (!file) throw new Error(`${path} was not written`);
  return String(file.contents);
}

/** The partner's feed in `lang`, well-formed and read as RSS by feedsmith too. */
function channel(partner: string, lang: string): Node {
  const xml = text(sample, `partners/${partner}/${lang}.xml`);
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = parser.parse(xml) as Node;
  expect(parseRssFeed(xml).items?.length ?? 0).toBe(parsed.rss.channel.item?.length ?? 0);
  return { ...parsed.rss.channel, root: parsed.rss };
}

function items(partner: string, lang: string): Node[] {
  return channel(partner, lang).item ?? [];
}

/** Text of a CDATA or plain element as fast-xml-parser gives it. */
function plain(value: unknown): string {
  return typeof value === 'object' && value !== null
    ? String((value as Node)['#text'])
    : String(value);
}

function tagsIn(html: string): Set<string> {
  const tags = new Set<string>();
  new Parser({ onopentag: (name) => tags.add(name) }).end(html);
  return tags;
}

/** The sample's warnings for one partner, by code. */
function warnings(partner: string, code: string): string[] {
  return sample.diagnostics
    .filter((d) => d.code === code && d.message.includes(`"${partner}"`))
    .map((d) => d.file);
}

/** The languages a shipped profile is fed in: its `languages`, or all of the site's. */
function languagesOf(partner: string): string[] {
  return sample.site?.config.partners.find((p) => p.id === partner)?.languages ?? LANGUAGES;
}

describe('every shipped profile', () => {
  test.each(['google-news', 'flipboard', 'smartnews', 'msn', 'feedly', 'apple-news'])(
    '%s: a feed per language it takes, with items, and none for the others',
    (partner) => {
      for (const lang of LANGUAGES) {
        if (languagesOf(partner).includes(lang))
          expect(items(partner, lang).length, lang).toBeGreaterThan(0);
        else
          expect(sample.files.some((f) => f.path === `partners/${partner}/${lang}.xml`)).toBe(
            false,
          );
      }
    },
  );

  test('the sample gives its partners nothing to reject', () => {
    expect(formatDiagnostics(sample.diagnostics)).toBe('');
  });
});

describe('Google News', () => {
  test('guids are permanent ids, marked isPermaLink="false" as they are not URLs', () => {
    for (const lang of LANGUAGES)
      for (const item of items('google-news', lang)) {
        expect(item.guid['@isPermaLink']).toBe('false');
        expect(item.guid['#text']).toMatch(/^tag:herald\.example\.org,2024:[^/]+\/[a-z]+$/);
      }
  });

  test('under 2 MB per feed and 1 MB per article, full text, at most 60 items', () => {
    for (const lang of LANGUAGES) {
      const xml = text(sample, `partners/google-news/${lang}.xml`);
      expect(Buffer.byteLength(xml)).toBeLessThan(2 * 1024 * 1024);
      const list = items('google-news', lang);
      expect(list.length).toBeLessThanOrEqual(60);
      for (const item of list) {
        const body = plain(item['content:encoded']);
        expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024);
        expect(body.length).toBeGreaterThan(plain(item.description).length);
      }
    }
  });
});

describe('Flipboard', () => {
  test('full text, dc:creator, tracking parameters on links', () => {
    const main = parser.parse(text(sample, 'en/rss.xml')) as Node;
    const bodies = new Map(
      (main.rss.channel.item as Node[]).map((i) => [i.guid['#text'], plain(i['content:encoded'])]),
    );
    for (const item of items('flipboard', 'en')) {
      expect(plain(item['content:encoded'])).toBe(bodies.get(item.guid['#text']));
      expect(item['dc:creator'].length).toBeGreaterThan(0);
      const link = new URL(item.link);
      expect(link.searchParams.get('utm_source')).toBe('flipboard');
      expect(link.searchParams.get('utm_medium')).toBe('referral');
    }
  });

  test('an image of at least 500 px on its smallest side, or a warning naming the article', () => {
    const warned = warnings('flipboard', 'partner/image');
    for (const lang of languagesOf('flipboard'))
      for (const item of items('flipboard', lang)) {
        const media = item['media:content']?.[0];
        const ok = media && Math.min(Number(media['@width']), Number(media['@height'])) >= 500;
        const file = `articles/${item.guid['#text'].split(':').at(-1)}.md`;
        expect(ok || warned.includes(file), file).toBe(true);
      }
  });

  test('at least 20 items, or a warning saying how many there are', () => {
    expect(languagesOf('flipboard')).toEqual(['en', 'uk']);
    for (const lang of languagesOf('flipboard')) {
      expect(items('flipboard', lang).length).toBeGreaterThanOrEqual(20);
      const count = items('flipboard', lang).length;
      const warning = sample.diagnostics.find(
        (d) => d.code === 'partner/too-few-items' && d.message.includes(`the ${lang} feed`),
      );
      if (count < 20) expect(warning?.message).toContain(`has ${count}`);
      else expect(warning).toBeUndefined();
    }
  });
});

describe('SmartNews', () => {
  test('channel description of at most 30 characters, and snf:logo', () => {
    for (const lang of LANGUAGES) {
      const feed = channel('smartnews', lang);
      expect([...plain(feed.description)].length).toBeLessThanOrEqual(30);
      expect(feed.root['@xmlns:snf']).toBe('http://www.smartnews.be/snf');
      expect(feed['snf:logo'].url).toBe('https://herald.example.org/assets/logo.png');
    }
  });

  test('no tracking parameters anywhere in item links', () => {
    for (const lang of LANGUAGES)
      for (const item of items('smartnews', lang)) {
        expect(item.link).not.toMatch(/utm_/);
        expect(plain(item['content:encoded'])).not.toMatch(/utm_/);
      }
  });

  test('bodies keep to the profile allowlist, never style, script or iframe', () => {
    const allowed = new Set(
      'h2 h3 p br blockquote ul ol li strong em b i a img figure figcaption table thead tbody tr th td'.split(
        ' ',
      ),
    );
    for (const lang of LANGUAGES)
      for (const item of items('smartnews', lang))
        for (const tag of tagsIn(plain(item['content:encoded'])))
          expect(allowed.has(tag), tag).toBe(true);
  });
});

describe('MSN', () => {
  test('titles of 20 to 150 characters without HTML, or a warning naming the article', () => {
    const warned = warnings('msn', 'partner/title-length');
    for (const lang of LANGUAGES)
      for (const item of items('msn', lang)) {
        const title = plain(item.title);
        expect(tagsIn(title).size).toBe(0);
        const length = [...title].length;
        if (length < 20 || length > 150) expect(warned.length).toBeGreaterThan(0);
      }
  });

  test('dates in the past and under 365 days old, stable ids, mi: and dcterms:', () => {
    for (const lang of LANGUAGES) {
      const feed = channel('msn', lang);
      expect(feed.root['@xmlns:mi']).toBe('http://schemas.ingestion.microsoft.com/common/');
      for (const item of feed.item as Node[]) {
        const published = new Date(item.pubDate).getTime();
        expect(published).toBeLessThanOrEqual(NOW.getTime());
        expect(NOW.getTime() - published).toBeLessThan(365 * 24 * 3_600_000);
        expect(String(item['mi:hasSyndicationRights'])).toBe('1');
        expect(item['dcterms:modified']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
        // The id comes from the story folder, not from the title or slug an editor may change.
        expect(item.guid['#text']).not.toContain(new URL(item.link).pathname.split('/')[3]);
      }
    }
  });

  test('the sample keeps a feed with items in the years to come', async () => {
    const later = await build(REPO, {
      now: new Date('2036-01-01T00:00:00Z'),
      drafts: false,
      strict: false,
    });
    expect(text(later, 'partners/msn/en.xml')).toContain('<item>');
  });
});

describe('Feedly', () => {
  test('webfeeds icon, logo, cover and accent colour', () => {
    for (const lang of LANGUAGES) {
      const feed = channel('feedly', lang);
      expect(feed.root['@xmlns:webfeeds']).toBe('http://webfeeds.org/rss/1.0');
      expect(feed['webfeeds:icon']).toBe('https://herald.example.org/assets/icon.png');
      expect(feed['webfeeds:logo']).toBe('https://herald.example.org/assets/logo.png');
      expect(feed['webfeeds:cover']['@image']).toMatch(/^https:\/\/herald\.example\.org\//);
      expect(feed['webfeeds:accentColor']).toMatch(/^[0-9A-F]{6}$/);
    }
  });
});

describe('Apple News', () => {
  test('titles without HTML and a language with its region', () => {
    for (const lang of LANGUAGES) {
      const feed = channel('apple-news', lang);
      expect(feed.language).toMatch(new RegExp(`^${lang}-[A-Z]{2}$`));
      for (const item of feed.item as Node[]) expect(tagsIn(plain(item.title)).size).toBe(0);
    }
  });
});

describe('profiles from configuration', () => {
  test('maxAgeDays leaves older articles out, and an empty feed is reported', async () => {
    // The fixture's atom-summaries profile takes articles of the last 180 days.
    const later = await build(join(FIXTURES, 'partners'), {
      now: new Date('2030-01-01T00:00:00Z'),
      drafts: false,
      strict: false,
    });
    expect(text(later, 'partners/atom-summaries/en.xml')).not.toContain('<entry>');
    expect(
      later.diagnostics.filter((d) => d.code === 'partner/empty').map((d) => d.message),
    ).toContain('the en feed has no items: every article is older than maxAgeDays (180)');
  });

  test('every warning names the article or the profile and the partner', async () => {
    const result = await buildFixture('partners');
    const text = formatDiagnostics(result.diagnostics);
    expect(text).toContain(
      'articles/museum-reopens/en.md: warning: title: the title has 40 characters; Picky Reader takes 10–38',
    );
    expect(text).toContain('partners.picky: Picky Reader rejects feeds with fewer than 3 items');
  });
});
