/**
 * RSS 2.0: the `feed` package's output, plus what it cannot write (feed issues #130, #157,
 * #241): one dc:creator for all authors, dcterms:modified, Media RSS, dc:source, related
 * links to the translations and to the feed in other languages, plain-text titles, and
 * dates with the site's offset instead of GMT.
 */
import { toRfc822 } from '../i18n/dates.js';
import type { Localizer } from '../i18n/load-locales.js';
import type { Article, ArticleImage, Site } from '../model/model.js';
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
  buildFragment,
  buildXml,
  element,
  elements,
  type FeedParts,
  feedText,
  insertAfter,
  itemBytes,
  parseXml,
  removeChild,
  setAttributes,
  setText,
  textElement,
  type XmlNode,
} from './xml-tree.js';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
};

const DCTERMS = 'http://purl.org/dc/terms/';

export function renderRss(context: FeedContext, render: RenderContext): string {
  return feedText(rssParts(context, render));
}

export function rssParts(context: FeedContext, render: RenderContext): FeedParts {
  const { site, listing } = context;
  const tree = parseXml(renderChannelWithFeedPackage(context, 'rss'));
  const [root] = elements(tree, 'rss');
  const [channel] = root ? elements(root, 'channel') : [];
  if (!root || !channel) throw new Error('the feed package wrote RSS without <rss><channel>');
  setAttributes(root, NAMESPACES);
  // dcterms:modified is on updated articles only (renderItem): declared where it is used.
  if (context.articles.some((article) => article.updated))
    setAttributes(root, { 'xmlns:dcterms': DCTERMS });
  setText(channel, 'lastBuildDate', toRfc822(context.updated, site.config.timeZone));
  addFeedLinks(context, 'rss', root, channel, 'atom:link');
  const items = cachedItems(render, context, 'rss', (article) =>
    itemBytes(renderItem(site, listing.edition.localizer, article), '        '),
  );
  return aroundItems(buildXml(tree), '</channel>', items);
}

/** One article's <item>, with what the package cannot write added. */
function renderItem(site: Site, localizer: Localizer, article: Article): string {
  const tree = parseXml(renderItemWithFeedPackage(site, localizer, article, 'rss'));
  const [item] = elements(elements(elements(tree, 'rss')[0] ?? {}, 'channel')[0] ?? {}, 'item');
  if (!item) throw new Error('the feed package wrote RSS without its <item>');
  // Plain text, not the package's CDATA of HTML: readers show an RSS title as text, so
  // escaped markup in CDATA reached subscribers as "&quot;" and "&amp;".
  setText(item, 'title', article.title);
  setText(item, 'pubDate', toRfc822(article.published, site.config.timeZone));
  // One dc:creator naming everyone: newsboat shows only the last of several.
  const extra: XmlNode[] = [textElement('dc:creator', localizer.formatList(article.authors))];
  // dcterms:modified, not dc:date: the W3C validator warns that dc:date repeats pubDate.
  if (article.updated)
    extra.push(textElement('dcterms:modified', localizer.isoDate(lastChange(article))));
  if (article.source)
    extra.push(textElement('dc:source', article.source.url ?? article.source.name));
  const image = article.image;
  if (image) {
    // An enclosure needs the file's length; a remote image has only Media RSS.
    if (image.length === undefined)
      for (const enclosure of elements(item, 'enclosure')) removeChild(item, enclosure);
    extra.push(mediaContent(image));
  }
  extra.push(...translationLinks(article, 'atom:link'));
  insertAfter(item, 'category', extra);
  return buildFragment([item]);
}

/** The article's photo in Media RSS, with its size, caption and credit. */
export function mediaContent(image: ArticleImage): XmlNode {
  const media: XmlNode[] = [];
  if (image.caption) media.push(textElement('media:description', image.caption, { type: 'plain' }));
  if (image.credit) media.push(textElement('media:credit', image.credit));
  return element(
    'media:content',
    {
      url: image.url,
      type: image.type,
      medium: 'image',
      width: image.width,
      height: image.height,
      fileSize: image.length,
    },
    media,
  );
}
