/**
 * What every AMP page shares: the head (canonical, hreflang, feed discovery, styles), the
 * navigation and the footer. Pages are built as plain data here and rendered by the
 * templates, which hold the markup and no text of their own.
 */

import type { LanguageConfig } from '../config/schema.js';
import { FileReport } from '../diagnostics.js';
import { digest } from '../digest.js';
import type { Localizer } from '../i18n/load-locales.js';
import type { Article, Edition, Site } from '../model/model.js';
import {
  FEED_TYPES,
  type FeedFormat,
  feedPath,
  listingFolder,
  OPML_PATH,
  urlOf,
} from '../model/urls.js';
import { articleDigest } from './keys.js';
import { type Listing, listingUrl } from './listings.js';
import type { RenderContext } from './output.js';
import { feedContext } from './to-feed.js';

/** AMP allows this many bytes in <style amp-custom>. */
export const AMP_CSS_LIMIT = 75_000;
const STYLESHEET = 'amp.css';

export interface PageHead {
  /** An AMP page (runtime, boilerplate, amp-img), or a plain HTML one. */
  amp: boolean;
  /** On a canonical page, its AMP version. */
  ampUrl?: string;
  lang: string;
  dir: 'ltr' | 'rtl';
  title: string;
  description?: string;
  canonical: string;
  alternates: { hreflang: string; url: string }[];
  feeds: { type: string; title: string; url: string; label: string }[];
  meta: { attribute: 'name' | 'property'; name: string; content: string }[];
  jsonLd?: unknown;
  extensions: { kind: 'custom-element' | 'custom-template'; name: string; version: string }[];
}

export interface PageNav {
  home: string;
  languages: { code: string; name: string; dir: string; url: string; current: boolean }[];
  sections: { name: string; url: string; current: boolean }[];
}

const stylesheets = new WeakMap<RenderContext, string>();

/** The stylesheet, read once per build; over AMP's limit it is an error, not a silent cut. */
export function stylesheet(context: RenderContext): string {
  const cached = stylesheets.get(context);
  if (cached !== undefined) return cached;
  const { text, file } = context.templates.raw(STYLESHEET);
  // Comments and layout whitespace cost bytes of AMP's budget on every page.
  const css = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .trim();
  const bytes = Buffer.byteLength(css);
  if (bytes > AMP_CSS_LIMIT) {
    new FileReport(file, context.diagnostics).error(
      'amp/css-too-large',
      `is ${bytes.toLocaleString('en')} bytes without comments; AMP allows ${AMP_CSS_LIMIT.toLocaleString('en')} in <style amp-custom>`,
    );
  }
  stylesheets.set(context, css);
  return css;
}

/**
 * Where canonical pages' stylesheet is published: named by its contents, so that a changed
 * stylesheet is a new URL and browsers may keep the old one for as long as they like.
 */
export function stylesheetPath(context: RenderContext): string {
  let path = stylesheetPaths.get(context);
  if (path === undefined) {
    path = `assets/polyfeed/style-${digest(stylesheet(context)).slice(0, 10)}.css`;
    stylesheetPaths.set(context, path);
  }
  return path;
}

// Every canonical page links it: hashed once per build, not once per page.
const stylesheetPaths = new WeakMap<RenderContext, string>();

/** Renders `template` with the shared parts every page needs. */
export function renderPage(
  site: Site,
  edition: Edition,
  context: RenderContext,
  template: string,
  head: Omit<PageHead, 'lang' | 'dir'>,
  nav: PageNav,
  data: Record<string, unknown>,
): string {
  const { localizer } = edition;
  return context.templates.render(template, {
    ...data,
    page: {
      ...head,
      lang: edition.language.code,
      dir: edition.language.dir,
      // AMP allows only an inline stylesheet; plain pages share one file a browser caches.
      css: head.amp ? stylesheet(context) : undefined,
      stylesheet: head.amp ? undefined : urlOf(site.config.baseUrl, stylesheetPath(context)),
      icon: site.icon?.url,
    },
    nav,
    site: { copyright: site.config.copyright, opml: urlOf(site.config.baseUrl, OPML_PATH) },
    t: localizer.t,
  });
}

/**
 * Header navigation. `sameIn` gives the URL of this page in another language where it
 * exists; the language switcher falls back to that language's home page.
 */
export function navigation(
  site: Site,
  edition: Edition,
  sameIn: (lang: string) => string | undefined,
  currentSection?: string,
): PageNav {
  const base = site.config.baseUrl;
  return {
    home: urlOf(base, listingFolder(edition.language.code, 'main')),
    languages: site.editions
      .filter((other) => other.articles.length)
      .map((other) => ({
        code: other.language.code,
        name: other.language.name,
        dir: other.language.dir,
        url: sameIn(other.language.code) ?? urlOf(base, listingFolder(other.language.code, 'main')),
        current: other === edition,
      })),
    sections: edition.sections.flatMap((section) => {
      const url = listingUrl(site, edition.language.code, 'section', section.id);
      if (!url || !section.articles.length) return [];
      return [
        {
          name: edition.localizer.t(`sections.${section.id}`),
          url,
          current: section.id === currentSection,
        },
      ];
    }),
  };
}

/** `<link rel="alternate">` for a listing's three feeds, for readers' discovery. */
export function feedLinks(site: Site, listing: Listing): PageHead['feeds'] {
  const { t } = listing.edition.localizer;
  const title = feedContext(site, listing).title;
  const labels: Record<FeedFormat, string> = {
    rss: t('feed.formatRss'),
    atom: t('feed.formatAtom'),
    json: t('feed.formatJson'),
  };
  return (['rss', 'atom', 'json'] as const).map((format) => ({
    type: FEED_TYPES[format],
    title: `${title} (${labels[format]})`,
    label: labels[format],
    url: urlOf(site.config.baseUrl, feedPath(listing.folder, format)),
  }));
}

/** A date as the page shows it and as machines read it. */
export function dateView(localizer: Localizer, date: Date): { iso: string; text: string } {
  return { iso: localizer.isoDate(date), text: localizer.formatDate(date) };
}

/** What a list of articles shows of each (cardKey below is what it reads of the article). */
export function cardView(site: Site, edition: Edition, article: Article) {
  const { localizer } = edition;
  return {
    title: article.title,
    url: article.url,
    summary: article.summary,
    image: article.image,
    /** Marked as such: only builds with drafts (polyfeed dev, --drafts) have any. */
    draft: article.draft,
    section: {
      name: localizer.t(`sections.${article.section}`),
      url: listingUrl(site, article.lang, 'section', article.section),
    },
    published: dateView(localizer, article.published),
    updated: article.updated && dateView(localizer, article.updated),
  };
}

/**
 * The fields of an article cardView shows, as a key: listing pages are keyed by their
 * cards, so that an edit of an article's body does not render its listings again.
 */
export function cardKey(article: Article): string {
  return articleDigest(article, 'card', () => {
    const { title, url, summary, image, lang, section, published, updated, draft } = article;
    const dates = [published.getTime(), updated?.getTime()];
    return digest(JSON.stringify([title, url, summary, image, lang, section, dates, draft]));
  });
}

/**
 * Open Graph wants `uk_UA`, not `uk`: the language's `locale` in site.yaml (`en-GB` gives
 * `en_GB`), else the most likely region fills in.
 */
export function ogLocale(language: Pick<LanguageConfig, 'code' | 'locale'>): string {
  const given = language.locale ?? language.code;
  let tag = ogLocales.get(given);
  if (tag === undefined) {
    const locale = new Intl.Locale(given).maximize();
    tag = locale.region ? `${locale.language}_${locale.region}` : locale.language;
    ogLocales.set(given, tag);
  }
  return tag;
}

// Maximizing a locale costs more than a page's worth of other work; a site has a handful.
const ogLocales = new Map<string, string>();
