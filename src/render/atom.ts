/**
 * Atom 1.0: the `feed` package's output, plus what it cannot write: `xml:lang` (feed issue
 * #196), links between translations and to the cited source, enclosure types from the file
 * rather than guessed from its extension, and dates with the site's offset.
 */
import type { Localizer } from '../i18n/load-locales.js';
import type { Article, Site } from '../model/model.js';
import { FEED_TYPES } from '../model/urls.js';
import type { RenderContext } from './output.js';
import {
  addFeedLinks,
  cachedItems,
  type FeedContext,
  lastChange,
  renderChannelWithFeedPackage,
  renderItemWithFeedPackage,
  translationLinks,
} from './to-feed.js';
import {
  aroundItems,
  attribute,
  buildFragment,
  buildXml,
  element,
  elements,
  escapeAngleBrackets,
  type FeedParts,
  feedText,
  insertAfter,
  itemBytes,
  parseXml,
  setAttributes,
  setText,
  type XmlNode,
} from './xml-tree.js';

export function renderAtom(context: FeedContext, render: RenderContext): string {
  return feedText(atomParts(context, render));
}

export function atomParts(context: FeedContext, render: RenderContext): FeedParts {
  const tree = parseXml(renderChannelWithFeedPackage(context, 'atom'));
  const [feed] = elements(tree, 'feed');
  if (!feed) throw new Error('the feed package wrote Atom without <feed>');
  const { listing, site } = context;
  const { localizer } = listing.edition;
  setAttributes(feed, { 'xml:lang': listing.edition.language.code });
  setText(feed, 'updated', localizer.isoDate(context.updated));
  for (const link of elements(feed, 'link')) {
    const rel = attribute(link, 'rel');
    if (rel === 'self') setAttributes(link, { type: FEED_TYPES.atom });
    if (rel === 'alternate') setAttributes(link, { type: 'text/html' });
  }
  addFeedLinks(context, 'atom', feed, feed, 'link');
  const entries = cachedItems(render, context, 'atom', (article) =>
    itemBytes(renderEntry(site, localizer, article), '    '),
  );
  return aroundItems(buildXml(tree), '</feed>', entries);
}

/** One article's <entry>, with what the package cannot write added. */
function renderEntry(site: Site, localizer: Localizer, article: Article): string {
  const tree = parseXml(renderItemWithFeedPackage(site, localizer, article, 'atom'));
  const [entry] = elements(elements(tree, 'feed')[0] ?? {}, 'entry');
  if (!entry) throw new Error('the feed package wrote Atom without its <entry>');
  // Plain text (type="text"), not the package's CDATA of HTML: Universal Feed Parser shows
  // an HTML title's entities as they are ("&amp;").
  replaceWithText(entry, 'title', article.title);
  replaceWithText(entry, 'summary', article.summary);
  setText(entry, 'updated', localizer.isoDate(lastChange(article)));
  setText(entry, 'published', localizer.isoDate(article.published));
  for (const link of elements(entry, 'link')) {
    const rel = attribute(link, 'rel');
    if (rel === undefined) setAttributes(link, { rel: 'alternate', type: 'text/html' });
    if (rel === 'enclosure' && article.image) {
      setAttributes(link, { type: article.image.type });
      if (article.image.length !== undefined)
        setAttributes(link, { length: String(article.image.length) });
    }
  }
  // The package escapes "&" and '"' in attributes but not "<": a tag named "<i>" made the
  // whole feed unreadable (tests/feed-package.test.ts).
  for (const category of elements(entry, 'category')) escapeAngleBrackets(category, 'label');
  const links = translationLinks(article, 'link');
  if (article.source?.url)
    links.push(
      element('link', { rel: 'via', href: article.source.url, title: article.source.name }),
    );
  insertAfter(entry, 'link', links);
  return buildFragment([entry]);
}

/** Makes the child `name` a plain-text Atom construct holding `value`. */
function replaceWithText(entry: XmlNode, name: string, value: string): void {
  const [target] = elements(entry, name);
  if (!target) return;
  setAttributes(target, { type: 'text' });
  setText(entry, name, value);
}
