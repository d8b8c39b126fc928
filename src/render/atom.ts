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
  attributeOf,
  childrenNamed,
  type ElementText,
  escapeAngleBrackets,
  insertAfter,
  packageElement,
  setText,
  withAttributes,
  writeDocument,
  writeElement,
  xmlElement,
} from './xml-text.js';
import { aroundItems, type FeedParts, feedText, itemBytes } from './xml-tree.js';

export function renderAtom(context: FeedContext, render: RenderContext): string {
  return feedText(atomParts(context, render));
}

export function atomParts(context: FeedContext, render: RenderContext): FeedParts {
  const feed = packageElement(renderChannelWithFeedPackage(context, 'atom'), 'feed');
  const { listing, site } = context;
  const { localizer } = listing.edition;
  feed.startTag = withAttributes(feed.startTag, { 'xml:lang': listing.edition.language.code });
  setText(feed, 'updated', localizer.isoDate(context.updated));
  for (const link of childrenNamed(feed, 'link')) {
    const rel = attributeOf(link.xml, 'rel');
    if (rel === 'self') link.xml = withAttributes(link.xml, { type: FEED_TYPES.atom });
    if (rel === 'alternate') link.xml = withAttributes(link.xml, { type: 'text/html' });
  }
  addFeedLinks(context, 'atom', feed, feed, 'link');
  const entries = cachedItems(render, context, 'atom', (article) =>
    itemBytes(renderEntry(site, localizer, article), '    '),
  );
  return aroundItems(writeDocument(feed), '</feed>', entries);
}

/** One article's <entry>, with what the package cannot write added. */
function renderEntry(site: Site, localizer: Localizer, article: Article): string {
  const entry = packageElement(
    renderItemWithFeedPackage(site, localizer, article, 'atom'),
    'entry',
  );
  // Plain text (type="text"), not the package's CDATA of HTML: Universal Feed Parser shows
  // an HTML title's entities as they are ("&amp;").
  replaceWithText(entry, 'title', article.title);
  replaceWithText(entry, 'summary', article.summary);
  setText(entry, 'updated', localizer.isoDate(lastChange(article)));
  setText(entry, 'published', localizer.isoDate(article.published));
  for (const link of childrenNamed(entry, 'link')) {
    const rel = attributeOf(link.xml, 'rel');
    if (rel === undefined)
      link.xml = withAttributes(link.xml, { rel: 'alternate', type: 'text/html' });
    if (rel === 'enclosure' && article.image) {
      link.xml = withAttributes(link.xml, { type: article.image.type });
      if (article.image.length !== undefined)
        link.xml = withAttributes(link.xml, { length: String(article.image.length) });
    }
  }
  // The package escapes "&" and '"' in attributes but not "<": a tag named "<i>" made the
  // whole feed unreadable (tests/feed-package.test.ts).
  for (const category of childrenNamed(entry, 'category'))
    category.xml = escapeAngleBrackets(category.xml, 'label');
  const links = translationLinks(article, 'link');
  if (article.source?.url)
    links.push(
      xmlElement('link', { rel: 'via', href: article.source.url, title: article.source.name }),
    );
  insertAfter(entry, 'link', links);
  return writeElement(entry);
}

/** Makes the child `name` a plain-text Atom construct holding `value`. */
function replaceWithText(entry: ElementText, name: string, value: string): void {
  const [target] = childrenNamed(entry, name);
  if (!target) return;
  target.xml = withAttributes(target.xml, { type: 'text' });
  setText(entry, name, value);
}
