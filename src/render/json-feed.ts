/**
 * JSON Feed 1.1. The `feed` package writes version 1 (singular `author`, no `language`), so
 * its object is brought to 1.1 here: `authors` lists, `language`, dates with the site's
 * offset. Keys starting with `_` are extensions, as the spec allows.
 */
import type { Localizer } from '../i18n/load-locales.js';
import type { Article, Site } from '../model/model.js';
import type { RenderContext } from './output.js';
import {
  cachedItems,
  type FeedContext,
  lastChange,
  renderChannelWithFeedPackage,
  renderItemWithFeedPackage,
} from './to-feed.js';
import { type FeedParts, feedText } from './xml-tree.js';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

type JsonObject = Record<string, unknown>;

export function renderJsonFeed(context: FeedContext, render: RenderContext): string {
  return feedText(jsonFeedParts(context, render));
}

export function jsonFeedParts(context: FeedContext, render: RenderContext): FeedParts {
  const { listing, site } = context;
  const { localizer } = listing.edition;
  const original = JSON.parse(renderChannelWithFeedPackage(context, 'json')) as JsonObject;
  const { version: _v1, items: _none, author: _author, icon: _logo, ...rest } = original;
  const feed = {
    version: JSON_FEED_VERSION,
    ...rest,
    language: listing.edition.language.code,
    ...(site.config.websub ? { hubs: [{ type: 'WebSub', url: site.config.websub.hub }] } : {}),
    // JSON Feed's icon is square (the package puts the wide logo there).
    ...(site.icon ? { icon: site.icon.url, favicon: site.icon.url } : {}),
    items: [],
  };
  // Each item is serialized once, indented for its place in "items", and reused by every
  // feed that lists it: the result is what JSON.stringify(feed, null, 2) would give.
  const items = cachedItems(render, context, 'json', (article) =>
    Buffer.from(
      JSON.stringify(renderItem(site, localizer, article), null, 2).replaceAll('\n', '\n    '),
    ),
  );
  const json = JSON.stringify(feed, null, 2);
  if (!items.length) return { head: `${json}\n`, items: [], tail: '' };
  const empty = '"items": []\n}';
  if (!json.endsWith(empty)) throw new Error('"items" is not the last member of the feed');
  return {
    head: `${json.slice(0, -empty.length)}"items": [\n    `,
    items,
    separator: ',\n    ',
    tail: '\n  ]\n}\n',
  };
}

function renderItem(site: Site, localizer: Localizer, article: Article): JsonObject {
  const [item] = (
    JSON.parse(renderItemWithFeedPackage(site, localizer, article, 'json')) as {
      items: JsonObject[];
    }
  ).items;
  const { author: _single, ...rest } = item ?? {};
  return {
    ...rest,
    // Plain text here: the package got the HTML-escaped text meant for RSS and Atom.
    title: article.title,
    summary: article.summary,
    date_published: localizer.isoDate(article.published),
    date_modified: localizer.isoDate(lastChange(article)),
    authors: article.authors.map((name) => ({ name })),
    ...(article.translations.length
      ? { _translations: article.translations.map((t) => ({ language: t.lang, url: t.url })) }
      : {}),
  };
}
