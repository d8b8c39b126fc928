/**
 * Sitemaps read back with a real XML parser: every page with its hreflang alternates and
 * x-default, the Google News sitemap's two days, the index, and robots.txt.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import { buildFixture, FIXTURES } from './helpers.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['url', 'sitemap', 'xhtml:link'].includes(name),
});

// biome-ignore lint/suspicious/noExplicitAny: parsed XML, shaped as each test expects
function xml(result: BuildResult, path: string): Record<string, any> {
  const text = String(result.files.find((f) => f.path === path)?.contents);
  expect(XMLValidator.validate(text), path).toBe(true);
  return parser.parse(text);
}

describe('sitemaps', () => {
  test('robots.txt points at the sitemap index, which lists every language', async () => {
    const result = await buildFixture('basic');
    expect(String(result.files.find((f) => f.path === 'robots.txt')?.contents)).toBe(
      'User-agent: *\nAllow: /\n\nSitemap: https://news.example.org/sitemap.xml\n',
    );
    const index = xml(result, 'sitemap.xml');
    expect(index.sitemapindex.xmlns).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    expect(index.sitemapindex.sitemap.map((s: { loc: string }) => s.loc)).toEqual(
      ['en', 'uk', 'ar'].flatMap((l) => [
        `https://news.example.org/${l}/sitemap.xml`,
        `https://news.example.org/${l}/news-sitemap.xml`,
      ]),
    );
  });

  test('every article and list page, with all its languages and x-default', async () => {
    const result = await buildFixture('basic');
    const urls = xml(result, 'uk/sitemap.xml').urlset.url as {
      loc: string;
      lastmod: string;
      'xhtml:link'?: { hreflang: string; href: string }[];
    }[];
    // Every canonical page; AMP pages are not listed (their canonical pages are).
    const pages = result.files
      .map((f) => f.path)
      .filter((p) => p.startsWith('uk/') && /index\.html$/.test(p) && !p.includes('/page/'));
    expect(urls.map((u) => u.loc).sort()).toEqual(
      pages.map((p) => `https://news.example.org/${p.replace(/index\.html$/, '')}`).sort(),
    );
    const flood = urls.find((u) =>
      u.loc.endsWith('/riven-vody-v-richtsi-zris-pislia-tyzhnia-doshchiv/'),
    );
    expect(flood?.lastmod).toBe('2024-11-04T07:15:00+02:00');
    expect(flood?.['xhtml:link']?.map((l) => l.hreflang)).toEqual(['uk', 'en', 'ar', 'x-default']);
    expect(flood?.['xhtml:link']?.at(-1)?.href).toBe(
      'https://news.example.org/en/articles/river-levels-rise-after-a-week-of-rain/',
    );
  });

  test('the news sitemap holds the articles of the two days before the build', async () => {
    const recent = await build(`${FIXTURES}basic`, {
      now: new Date('2024-11-05T12:00:00+02:00'),
      drafts: false,
      strict: false,
    });
    const english = xml(recent, 'en/news-sitemap.xml').urlset;
    expect(english['xmlns:news']).toBe('http://www.google.com/schemas/sitemap-news/0.9');
    expect(english.url).toEqual([
      {
        loc: 'https://news.example.org/en/articles/river-levels-rise-after-a-week-of-rain/',
        'news:news': {
          'news:publication': { 'news:name': 'Dnipro Herald', 'news:language': 'en' },
          'news:publication_date': '2024-11-04T07:15:00+02:00',
          'news:title': 'River levels rise after a week of rain',
        },
      },
    ]);
    expect(recent.nextEmbargo).toBe(Date.parse('2024-11-06T07:15:00+02:00'));
    const later = await buildFixture('basic');
    expect(xml(later, 'en/news-sitemap.xml').urlset.url).toBeUndefined();
  });
});
