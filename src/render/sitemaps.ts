/**
 * Sitemaps (https://www.sitemaps.org/protocol.html): per language every article and list
 * page, with `xhtml:link rel="alternate" hreflang` to its other languages and x-default; a
 * Google News sitemap of the last two days' articles; the sitemap index at the root; and
 * robots.txt pointing at it.
 */

import { stripXmlInvalid } from '../content/sanitize.js';
import { digest } from '../digest.js';
import { escapeHtml as escapeXml } from '../escape.js';
import { type Article, type Edition, NEWS_WINDOW_MS, type Site } from '../model/model.js';
import {
  listingFolder,
  ROBOTS_PATH,
  SITEMAP_INDEX_PATH,
  sitemapPath,
  urlOf,
} from '../model/urls.js';
import { isPlanned, listingGroup } from './groups.js';
import { articleWithTranslationsKey, listKey, sitemapEntryKey } from './keys.js';
import { type Listing, listingsOf } from './listings.js';
import type { Output, OutputJob } from './output.js';
import { lastChange } from './to-feed.js';
import { buildXml, element, textElement } from './xml-tree.js';

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';

export const sitemaps: Output = {
  name: 'sitemaps',
  usesTemplates: false,
  feeds: false,
  plan(site, context) {
    const editions = site.editions.filter((e) => e.articles.length);
    const listings = listingsOf(site);
    const jobs: OutputJob[] = editions.flatMap((edition) => {
      // A language's sitemaps list its articles and listings only: they change with its
      // main listing, which has every article of the language.
      const group = listingGroup(listingFolder(edition.language.code, 'main'));
      if (!isPlanned(context, group)) return [];
      const own = listings.filter((l) => l.edition === edition);
      const news = recentArticles(site, edition);
      return [
        {
          path: sitemapPath(edition.language.code, 'pages'),
          group,
          // What the file shows, not the articles' versions: editing a body re-renders it
          // only when the article's date changes.
          key: digest(
            own
              .map(
                (l) => `${l.folder} ${newest(l.articles)} ${l.translations.map((t) => t.folder)}`,
              )
              .join('\n'),
            listKey(
              context.listKeys,
              `sitemap ${edition.language.code}`,
              edition.articles,
              (a) => sitemapEntryKey(a, lastChange),
              '',
            ),
          ),
          render: () => pagesSitemap(site, edition, own),
        },
        {
          path: sitemapPath(edition.language.code, 'news'),
          group,
          key: news.map(articleWithTranslationsKey).join('\n'),
          render: () => newsSitemap(edition, news),
        },
      ];
    });
    const index = editions.map((e) => `${e.language.code} ${newest(e.articles)}`).join('\n');
    jobs.push(
      { path: SITEMAP_INDEX_PATH, key: index, render: () => sitemapIndex(site, editions) },
      {
        path: ROBOTS_PATH,
        key: '',
        render: () =>
          `User-agent: *\nAllow: /\n\nSitemap: ${urlOf(site.config.baseUrl, SITEMAP_INDEX_PATH)}\n`,
      },
    );
    return jobs;
  },
};

/** Published in the two days before the build's time, newest first. */
export function recentArticles(site: Site, edition: Edition): Article[] {
  const now = site.now.getTime();
  return edition.articles.filter(
    (a) => a.published.getTime() <= now && now - a.published.getTime() < NEWS_WINDOW_MS,
  );
}

/**
 * Written as text rather than through the XML tree: a language's sitemap lists every
 * article, and the dev server writes it again whenever an article's date changes. Every
 * value is escaped; `tests/sitemaps.test.ts` reads the result with an XML parser.
 */
function pagesSitemap(site: Site, edition: Edition, listings: readonly Listing[]): string {
  const iso = edition.localizer.isoDate;
  const base = site.config.baseUrl;
  const parts: string[] = [
    `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="${SITEMAP_NS}" xmlns:xhtml="${XHTML_NS}">\n`,
  ];
  for (const listing of listings) {
    const versions = [listing, ...listing.translations].map((l) => ({
      lang: l.edition.language.code,
      url: urlOf(base, l.folder),
    }));
    parts.push(
      url(
        urlOf(base, listing.folder),
        iso(newestDate(listing.articles)),
        versions,
        defaultVersion(site, versions),
      ),
    );
  }
  for (const article of edition.articles) {
    const versions = [article, ...article.translations].map((a) => ({ lang: a.lang, url: a.url }));
    parts.push(
      url(article.url, iso(lastChange(article)), versions, defaultVersion(site, versions)),
    );
  }
  parts.push('</urlset>\n');
  return stripXmlInvalid(parts.join(''));
}

function url(
  loc: string,
  lastmod: string,
  versions: { lang: string; url: string }[],
  xDefault?: string,
): string {
  let text = `  <url>\n    <loc>${escapeXml(loc)}</loc>\n    <lastmod>${escapeXml(lastmod)}</lastmod>\n`;
  // hreflang annotations must list every version, the page itself included.
  if (versions.length > 1) {
    const alternates = xDefault ? [...versions, { lang: 'x-default', url: xDefault }] : versions;
    for (const v of alternates)
      text += `    <xhtml:link rel="alternate" hreflang="${escapeXml(v.lang)}" href="${escapeXml(v.url)}"/>\n`;
  }
  return `${text}  </url>\n`;
}

/** x-default: the version in the site's default language, when there is one. */
function defaultVersion(site: Site, versions: { lang: string; url: string }[]): string | undefined {
  return versions.find((v) => v.lang === site.config.defaultLanguage)?.url;
}

function newsSitemap(edition: Edition, articles: readonly Article[]): string {
  const name = edition.localizer.t('site.title');
  const urls = articles.map((article) =>
    element('url', {}, [
      textElement('loc', article.url),
      element('news:news', {}, [
        element('news:publication', {}, [
          textElement('news:name', name),
          textElement('news:language', newsLanguage(edition.language.code)),
        ]),
        textElement('news:publication_date', edition.localizer.isoDate(article.published)),
        textElement('news:title', article.title),
      ]),
    ]),
  );
  return buildXml([element('urlset', { xmlns: SITEMAP_NS, 'xmlns:news': NEWS_NS }, urls)], {
    indent: true,
  });
}

/** Google News takes ISO 639 codes, with zh-cn and zh-tw as the only regional ones. */
function newsLanguage(code: string): string {
  const lower = code.toLowerCase();
  return lower === 'zh-cn' || lower === 'zh-tw' ? lower : (lower.split('-')[0] ?? lower);
}

function sitemapIndex(site: Site, editions: readonly Edition[]): string {
  const entries = editions.flatMap((edition) => {
    const lastmod = edition.localizer.isoDate(newestDate(edition.articles));
    return (['pages', 'news'] as const).map((kind) =>
      element('sitemap', {}, [
        textElement('loc', urlOf(site.config.baseUrl, sitemapPath(edition.language.code, kind))),
        textElement('lastmod', lastmod),
      ]),
    );
  });
  return buildXml([element('sitemapindex', { xmlns: SITEMAP_NS }, entries)], { indent: true });
}

function newestDate(articles: readonly Article[]): Date {
  return new Date(newest(articles));
}

/**
 * The latest change of any of the articles, in epoch ms. Remembered per list: a language's
 * sitemap key asks it of every list of the language (30,000 articles at 5,000 stories),
 * and the model's lists are never changed once made (the dev server's updated model keeps
 * the lists an edit did not touch, see editions.ts).
 */
function newest(articles: readonly Article[]): number {
  let latest = newestOf.get(articles);
  if (latest === undefined) {
    latest = Number.NEGATIVE_INFINITY;
    for (const article of articles) latest = Math.max(latest, lastChange(article).getTime());
    newestOf.set(articles, latest);
  }
  return latest;
}

const newestOf = new WeakMap<readonly Article[], number>();
