/**
 * The output layout, in one place: every path an output writes and every URL that points
 * at one comes from here. Paths are relative to the output folder and use '/'.
 */

/** Folder of one story's files (photos), shared by its language versions. */
export function mediaPath(storyId: string, file: string): string {
  return `media/${storyId}/${file}`;
}

/** The folder of an article's pages: its URL (see published-urls.ts). */
export function articleFolder(lang: string, slug: string): string {
  return `${lang}/articles/${slug}/`;
}

/** An article's page: the canonical page at its folder, the AMP page beside it. */
export function articlePath(lang: string, slug: string, kind: 'canonical' | 'amp'): string {
  return `${articleFolder(lang, slug)}${kind === 'amp' ? 'amp.html' : 'index.html'}`;
}

/** An article's IPTC ninjs document, beside its pages. */
export function ninjsPath(lang: string, slug: string): string {
  return `${articleFolder(lang, slug)}ninjs.json`;
}

/** A language's index of its articles' ninjs documents, newest first. */
export function ninjsIndexPath(lang: string): string {
  return `${lang}/ninjs.json`;
}

/** Folder of a language's, a section's or a tag's index and feeds. */
export function listingFolder(lang: string, kind: 'main' | 'section' | 'tag', id = ''): string {
  if (kind === 'section') return `${lang}/sections/${id}/`;
  if (kind === 'tag') return `${lang}/tags/${id}/`;
  return `${lang}/`;
}

/** Page `n` (from 1) of a listing's index: the folder itself, then `page/<n>/`. */
export function listingPagePath(folder: string, n: number): string {
  return n === 1 ? `${folder}index.html` : `${folder}page/${n}/index.html`;
}

/** The root page that lists the languages. */
export const ROOT_PAGE = 'index.html';

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_FILES: Record<FeedFormat, string> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

export function feedPath(folder: string, format: FeedFormat): string {
  return folder + FEED_FILES[format];
}

export const OPML_PATH = 'feeds.opml';

/** The sitemap index at the root, and each language's sitemaps. */
export const SITEMAP_INDEX_PATH = 'sitemap.xml';
export const ROBOTS_PATH = 'robots.txt';

export function sitemapPath(lang: string, kind: 'pages' | 'news'): string {
  return kind === 'news' ? `${lang}/news-sitemap.xml` : `${lang}/sitemap.xml`;
}

/** Absolute URL of an output path; `index.html` is left off, as servers serve it for the folder. */
export function urlOf(baseUrl: string, path: string): string {
  return baseUrl + path.replace(/(^|\/)index\.html$/, '$1');
}

/**
 * The canonical page of an AMP page: itself, or the same path on the newsroom's main site
 * (`canonicalBaseUrl`), where the article lives at its folder rather than at amp.html.
 */
export function canonicalOf(
  baseUrl: string,
  canonicalBaseUrl: string | undefined,
  path: string,
): string {
  if (!canonicalBaseUrl) return urlOf(baseUrl, path);
  return urlOf(canonicalBaseUrl, path.replace(/amp\.html$/, ''));
}

/**
 * The 1×1 image a republished copy of a story loads, counting republications:
 * `rights.trackingUrl`, or the typo service's endpoint followed by `/republished.gif`
 * (`polyfeed typo-server` answers there). Undefined when neither is configured.
 */
export function trackingPixelBase(config: {
  rights?: { trackingUrl?: string };
  typoReport?: { endpoint: string };
}): string | undefined {
  if (config.rights?.trackingUrl) return config.rights.trackingUrl;
  const endpoint = config.typoReport?.endpoint;
  return endpoint && `${endpoint.replace(/\/+$/, '')}/republished.gif`;
}

/** The tracking image of one story's republished copy in one language. */
export function trackingPixelUrl(base: string, storyId: string, lang: string): string {
  const url = new URL(base);
  url.searchParams.set('story', storyId);
  url.searchParams.set('lang', lang);
  return url.href;
}

/** Where the typo reporter script of canonical pages is published. */
export const TYPO_SCRIPT_PATH = 'assets/polyfeed/typo-report.js';
