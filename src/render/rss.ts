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
  childrenNamed,
  insertAfter,
  packageElement,
  removeChildren,
  setText,
  splitElement,
  withAttributes,
  writeDocument,
  writeElement,
  xmlElement,
  xmlTextElement,
} from './xml-text.js';
import { aroundItems, type FeedParts, feedText, itemBytes } from './xml-tree.js';

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
  const root = packageElement(renderChannelWithFeedPackage(context, 'rss'), 'rss');
  const [channelText] = childrenNamed(root, 'channel');
  if (!channelText) throw new Error('the feed package wrote RSS without <rss><channel>');
  const channel = splitElement(channelText.xml);
  root.startTag = withAttributes(root.startTag, NAMESPACES);
  // dcterms:modified is on updated articles only (renderItem): declared where it is used.
  if (context.articles.some((article) => article.updated))
    root.startTag = withAttributes(root.startTag, { 'xmlns:dcterms': DCTERMS });
  setText(channel, 'lastBuildDate', toRfc822(context.updated, site.config.timeZone));
  addFeedLinks(context, 'rss', root, channel, 'atom:link');
  channelText.xml = writeElement(channel);
  const items = cachedItems(render, context, 'rss', (article) =>
    itemBytes(renderItem(site, listing.edition.localizer, article), '        '),
  );
  return aroundItems(writeDocument(root), '</channel>', items);
}

/** One article's <item>, with what the package cannot write added. */
function renderItem(site: Site, localizer: Localizer, article: Article): string {
  const item = packageElement(renderItemWithFeedPackage(site, localizer, article, 'rss'), 'item');
  // Plain text, not the package's CDATA of HTML: readers show an RSS title as text, so
  // escaped markup in CDATA reached subscribers as "&quot;" and "&amp;".
  setText(item, 'title', article.title);
  setText(item, 'pubDate', toRfc822(article.published, site.config.timeZone));
  // One dc:creator naming everyone: newsboat shows only the last of several.
  const extra = [xmlTextElement('dc:creator', localizer.formatList(article.authors))];
  // dcterms:modified, not dc:date: the W3C validator warns that dc:date repeats pubDate.
  if (article.updated)
    extra.push(xmlTextElement('dcterms:modified', localizer.isoDate(lastChange(article))));
  if (article.source)
    extra.push(xmlTextElement('dc:source', article.source.url ?? article.source.name));
  const image = article.image;
  if (image) {
    // An enclosure needs the file's length; a remote image has only Media RSS.
    if (image.length === undefined) removeChildren(item, 'enclosure');
    extra.push(mediaContent(image));
  }
  extra.push(...translationLinks(article, 'atom:link'));
  insertAfter(item, 'category', extra);
  return writeElement(item);
}

/** The article's photo in Media RSS, with its size, caption and credit. */
export function mediaContent(image: ArticleImage): string {
  let media = '';
  if (image.caption) media += xmlTextElement('media:description', image.caption, { type: 'plain' });
  if (image.credit) media += xmlTextElement('media:credit', image.credit);
  return xmlElement(
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
