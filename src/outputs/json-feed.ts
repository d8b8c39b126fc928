/**
 * JSON Feed 1.1. The `feed` package writes version 1 (singular `author`, no `language`), so
 * its object is brought to 1.1 here: `authors` lists, `language`, dates with the site's
 * offset. Keys starting with `_` are extensions, as the spec allows.
 */
import { feedPath } from '../urls.js';
import type { Output } from './index.js';
import { listingsOf } from './listings.js';
import { type FeedContext, feedContext, lastChange, renderWithFeedPackage } from './to-feed.js';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

export const jsonFeed: Output = {
  name: 'json-feed',
  render(site) {
    return listingsOf(site).map((listing) => ({
      path: feedPath(listing.folder, 'json'),
      contents: renderJsonFeed(feedContext(site, listing)),
    }));
  },
};

interface JsonItem {
  id: string;
  author?: unknown;
  [key: string]: unknown;
}

export function renderJsonFeed(context: FeedContext): string {
  const { listing, site } = context;
  const iso = listing.edition.localizer.isoDate;
  const original = JSON.parse(renderWithFeedPackage(context, 'json')) as {
    items: JsonItem[];
  } & Record<string, unknown>;
  const { version: _v1, items, author: _author, icon: _logo, ...rest } = original;
  const feed = {
    version: JSON_FEED_VERSION,
    ...rest,
    language: listing.edition.language.code,
    // JSON Feed's icon is square (the package puts the wide logo there).
    ...(site.icon ? { icon: site.icon.url, favicon: site.icon.url } : {}),
    items: items.map(({ author: _single, ...item }, i) => {
      const article = context.articles[i];
      if (!article) throw new Error('the feed package wrote more items than it was given');
      return {
        ...item,
        // Plain text here: the package got the HTML-escaped text meant for RSS and Atom.
        title: article.title,
        summary: article.summary,
        date_published: iso(article.published),
        date_modified: iso(lastChange(article)),
        authors: article.authors.map((name) => ({ name })),
        ...(article.translations.length
          ? { _translations: article.translations.map((t) => ({ language: t.lang, url: t.url })) }
          : {}),
      };
    }),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
