/**
 * A listing as a `feed` package Feed. The only module that imports `feed`; what the package
 * cannot express (see CONTRIBUTING.md, "The `feed` package's limits") is added by rss.ts, atom.ts and json-feed.ts after
 * it has written its output.
 */

import { Feed, type Item } from 'feed';
import { bodyHtml } from '../content/body.js';
import { escapeHtml } from '../escape.js';
import type { Localizer } from '../i18n/load-locales.js';
import type { Article, Site } from '../model/model.js';
import { FEED_TYPES, type FeedFormat, feedPath, urlOf } from '../model/urls.js';
import { articleWithTranslationsKey, type ListKeys, listKey } from './keys.js';
import { sourceSentence } from './linked-sentence.js';
import type { Listing } from './listings.js';
import { listingUrl } from './listings.js';
import type { RenderContext } from './output.js';
import { type ElementText, insertAfter, withAttributes, xmlElement } from './xml-text.js';

/** Fixed, so that upgrading Polyfeed does not change every feed's bytes. */
export const GENERATOR = 'Polyfeed';

/** What a format module needs besides the `feed` package's output. */
export interface FeedContext {
  site: Site;
  listing: Listing;
  /** The articles in the feed: the listing's newest, up to the configured number. */
  articles: Article[];
  /** Newest change among the items: the feed's `updated`, never the clock. */
  updated: Date;
  /** Absolute URL of this feed in `format`. */
  selfUrl(format: FeedFormat): string;
  title: string;
  description: string;
  /** Absolute URL of the listing's page. */
  homeUrl: string;
  /** RFC 5005 links: to the archive of older items, or, in an archive, to its neighbours. */
  history?: FeedHistory;
  /**
   * Set when the feed's articles are shaped for one reader (a partner's links and body):
   * their items are then cached apart from everyone else's, under `id`. `shape` is applied
   * only when an item is made, so a feed taken from the cache costs no shaping.
   */
  variant?: { id: string; shape(article: Article): Article };
}

/** Output folders of the documents an RFC 5005 feed links to (each has rss.xml and atom.xml). */
export interface FeedHistory {
  /** This document is an immutable archive (`fh:archive`), whose live feed is `current`. */
  archive: boolean;
  current?: string;
  prev?: string;
  next?: string;
}

/** RFC 5005's namespace, for `fh:archive`. */
export const FH_NAMESPACE = 'http://purl.org/syndication/history/1.0';

const HISTORY_RELS = { current: 'current', prev: 'prev-archive', next: 'next-archive' } as const;

/** The RFC 5005 links of a feed, as `elementName` elements. */
export function historyLinks(
  context: FeedContext,
  format: 'rss' | 'atom',
  elementName: string,
): string[] {
  const history = context.history;
  if (!history) return [];
  return (['current', 'prev', 'next'] as const).flatMap((which) => {
    const folder = history[which];
    if (!folder) return [];
    const href = context.site.config.baseUrl + feedPath(folder, format);
    return [xmlElement(elementName, { rel: HISTORY_RELS[which], type: FEED_TYPES[format], href })];
  });
}

/** The feed of a listing (the same for its three formats, so worked out once). */
export function feedContext(site: Site, listing: Listing): FeedContext {
  let context = contexts.get(listing);
  if (!context) {
    context = makeFeedContext(site, listing);
    contexts.set(listing, context);
  }
  return context;
}

const contexts = new WeakMap<Listing, FeedContext>();

/** How many of a listing's newest articles its feeds list. */
function feedLimit(site: Site, listing: Listing): number {
  const { items, sectionItems, tagItems } = site.config.feeds;
  return listing.kind === 'tag' ? tagItems : listing.kind === 'section' ? sectionItems : items;
}

/**
 * The newest change among the articles a listing's feeds list (epoch ms): their `updated`.
 * Worked out without making the feed's context, for the OPML file's key, which covers
 * every listing of the site.
 */
export function feedUpdated(site: Site, listing: Listing): number {
  const count = Math.min(feedLimit(site, listing), listing.articles.length);
  let newest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const time = lastChange(listing.articles[i] as Article).getTime();
    if (time > newest) newest = time;
  }
  return newest;
}

function makeFeedContext(site: Site, listing: Listing): FeedContext {
  const articles = listing.articles.slice(0, feedLimit(site, listing));
  const t = listing.edition.localizer.t;
  const siteTitle = t('site.title');
  const names = { site: siteTitle, section: listing.name, tag: listing.name };
  const kind = listing.kind === 'main' ? 'main' : listing.kind;
  return {
    site,
    listing,
    articles,
    updated: new Date(feedUpdated(site, listing)),
    selfUrl: (format) => urlOf(site.config.baseUrl, feedPath(listing.folder, format)),
    title: t(`feed.${kind}Title`, names),
    description: t(`feed.${kind}Description`, names),
    homeUrl: urlOf(site.config.baseUrl, listing.folder),
  };
}

/**
 * Links to the same feed in the site's other languages, as `element` elements. They are
 * `rel="related"`, not `alternate`: newsboat takes the last alternate link of an Atom feed
 * for the site's address, so a Ukrainian feed opened the Arabic feed's file
 * (tests/readers.test.ts).
 */
export function otherLanguages(
  context: FeedContext,
  format: FeedFormat,
  elementName: string,
): string[] {
  return context.listing.translations.map((other) =>
    xmlElement(elementName, {
      rel: 'related',
      hreflang: other.edition.language.code,
      type: FEED_TYPES[format],
      href: context.site.config.baseUrl + feedPath(other.folder, format),
    }),
  );
}

/**
 * Links to an article's other language versions. `rel="related"`, not `alternate`:
 * Universal Feed Parser takes an item's last alternate link as the item's address, in RSS
 * and in Atom, and newsboat does so in Atom, so readers opened another language's article.
 */
export function translationLinks(article: Article, elementName: string): string[] {
  return article.translations.map((translation) =>
    xmlElement(elementName, {
      rel: 'related',
      hreflang: translation.lang,
      type: 'text/html',
      href: translation.url,
    }),
  );
}

export function lastChange(article: Article): Date {
  return article.updated ?? article.published;
}

/**
 * The `feed` package's rendering of a listing's feed-level elements in one format, with no
 * items: each article's item is rendered once (renderItemWithFeedPackage) and reused in
 * every feed that lists it, since one article sits in up to a dozen feeds.
 */
export function renderChannelWithFeedPackage(context: FeedContext, format: FeedFormat): string {
  const { site, listing } = context;
  const feed = new Feed({
    id: context.selfUrl(format),
    title: context.title,
    description: context.description,
    link: context.homeUrl,
    language: listing.edition.language.code,
    updated: context.updated,
    generator: GENERATOR,
    copyright: listing.edition.localizer.t('site.copyright', { copyright: site.config.copyright }),
    image: site.logo?.url,
    favicon: site.icon?.url,
    feedLinks: { [format]: context.selfUrl(format) },
    // RSS and Atom get <atom:link rel="hub">/<link rel="hub">; JSON Feed's `hubs` is added by json-feed.ts.
    hub: site.config.websub?.hub,
  });
  return serialize(feed, format);
}

/** The `feed` package's rendering of a feed whose only item is `article`. */
export function renderItemWithFeedPackage(
  site: Site,
  localizer: Localizer,
  article: Article,
  format: FeedFormat,
): string {
  const feed = new Feed({
    id: site.config.baseUrl,
    title: '-',
    copyright: '-',
    updated: new Date(0),
    generator: false,
  });
  feed.addItem(toItem(site, localizer, article, format));
  return serialize(feed, format);
}

function serialize(feed: Feed, format: FeedFormat): string {
  if (format === 'rss') return feed.rss2();
  if (format === 'atom') return feed.atom1();
  return feed.json1();
}

/**
 * `make()` once per article and format, for every feed that lists it; kept across the dev
 * server's rebuilds while the article and the translations it links to are unchanged.
 */
function cachedItem<T>(
  render: RenderContext,
  article: Article,
  format: FeedFormat,
  make: () => T,
  variant = '',
): T {
  const key = itemKey(article, format, variant);
  let item = render.items.get(key) as T | undefined;
  if (item === undefined) {
    item = make();
    render.items.set(key, item);
  }
  const uses = render.itemUses;
  const left = (uses?.get(key) ?? 0) - 1;
  if (uses && left <= 0) {
    uses.delete(key);
    render.items.delete(key);
  } else {
    uses?.set(key, left);
  }
  return item;
}

function itemKey(article: Article, format: FeedFormat, variant: string): string {
  return `${format} ${variant} ${articleWithTranslationsKey(article)}`;
}

/** Counts the items a feed to render will take from the cache (see RenderContext.itemUses). */
export function countItemUses(
  render: RenderContext,
  context: FeedContext,
  format: FeedFormat,
): void {
  const uses = render.itemUses;
  if (!uses) return;
  for (const article of context.articles) {
    const key = itemKey(article, format, context.variant?.id ?? '');
    uses.set(key, (uses.get(key) ?? 0) + 1);
  }
}

/** Each of the feed's articles as `make` renders it, once per article, format and variant. */
export function cachedItems<T>(
  render: RenderContext,
  context: FeedContext,
  format: FeedFormat,
  make: (article: Article) => T,
): T[] {
  const { variant } = context;
  return context.articles.map((article) =>
    cachedItem(
      render,
      article,
      format,
      () => make(variant ? variant.shape(article) : article),
      variant?.id,
    ),
  );
}

/**
 * The links an RSS or Atom feed has besides its own: the same feed in the other languages
 * and its RFC 5005 history (with `fh:archive` on the root of an archive document).
 */
export function addFeedLinks(
  context: FeedContext,
  format: 'rss' | 'atom',
  root: ElementText,
  parent: ElementText,
  linkName: string,
): void {
  insertAfter(parent, linkName, [
    ...otherLanguages(context, format, linkName),
    ...historyLinks(context, format, linkName),
  ]);
  if (context.history?.archive) {
    root.startTag = withAttributes(root.startTag, { 'xmlns:fh': FH_NAMESPACE });
    insertAfter(parent, linkName, [xmlElement('fh:archive')]);
  }
}

/** What a feed's bytes depend on: its list, its items and the lists it links to. */
export function feedKey(context: FeedContext, keys?: ListKeys): string {
  const { listing, articles } = context;
  const head = [
    listing.kind,
    listing.id,
    listing.name,
    listing.folder,
    listing.translations.map((t) => t.folder).join(','),
    JSON.stringify(context.history ?? null),
  ].join('\n');
  if (!articles.length) return head;
  const items = listKey(keys, `feed ${listing.folder}`, articles, articleWithTranslationsKey, '\n');
  return `${head}\n${items}`;
}

function toItem(site: Site, localizer: Localizer, article: Article, format: FeedFormat): Item {
  const t = localizer.t;
  const sectionUrl = listingUrl(site, article.lang, 'section', article.section);
  const item: Item = {
    // The package puts titles and summaries in CDATA marked as HTML. rss.ts replaces the
    // title, atom.ts the title and summary, with plain text, which readers show as written;
    // an RSS description stays HTML, as its readers take it. Escaped here so that the
    // package's CDATA stays well-formed (JSON Feed takes the plain text).
    title: escapeHtml(article.title),
    id: itemId(site, article),
    link: article.url,
    date: lastChange(article),
    published: article.published,
    description: escapeHtml(article.summary),
    content: contentHtml(article, t),
    category: [
      {
        name: t(`sections.${article.section}`),
        domain: sectionUrl,
        term: article.section,
        scheme: sectionUrl,
      },
      ...article.tags.map((tag) => ({ name: tag.name, term: tag.slug })),
    ],
  };
  // RSS 2.0's <author> must be an e-mail address, so RSS gets dc:creator (added by rss.ts).
  // Atom gets one <author> naming everyone, as the byline does: Universal Feed Parser shows
  // only the last of several <author> elements. JSON Feed lists each (json-feed.ts).
  if (format === 'atom') item.author = [{ name: localizer.formatList(article.authors) }];
  if (article.image) {
    item.image = {
      url: article.image.url,
      type: article.image.type,
      length: article.image.length ?? 0,
    };
  }
  return item;
}

/**
 * The permanent id of an item (RFC 4151): made of the story folder and the language, so
 * editing a title or a slug never makes readers see a story twice.
 */
export function itemId(site: Site, article: Article): string {
  const authority =
    site.config.feeds.tagAuthority ?? `${new URL(site.config.baseUrl).hostname},2000`;
  return `tag:${authority}:${article.storyId}/${article.lang}`;
}

/** The article as a feed reader shows it: lead photo, body, cited source. */
function contentHtml(
  article: Article,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  let html = '';
  const image = article.image;
  if (image) {
    const caption = [image.caption, image.credit && t('label.photo', { credit: image.credit })]
      .filter(Boolean)
      .join(' ');
    html += `<figure><img src="${escapeHtml(image.url)}" width="${image.width}" height="${image.height}" alt="${escapeHtml(image.alt)}" />`;
    html += caption ? `<figcaption>${escapeHtml(caption)}</figcaption></figure>\n` : '</figure>\n';
  }
  html += bodyHtml(article);
  if (article.source) html += `<p>${sourceSentence(article.source, t)}</p>\n`;
  return html;
}
