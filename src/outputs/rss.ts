/**
 * RSS 2.0: the `feed` package's output, plus what it cannot write (feed issues #130, #157,
 * #241): dc:creator, Media RSS, dc:source, links between translations, feed alternates in
 * other languages, and dates with the site's offset instead of GMT.
 */
import { toRfc822 } from '../i18n/dates.js';
import { FEED_TYPES, feedPath } from '../urls.js';
import type { Output } from './index.js';
import { listingsOf } from './listings.js';
import { type FeedContext, feedContext, lastChange, renderWithFeedPackage } from './to-feed.js';
import {
  buildXml,
  element,
  elements,
  insertAfter,
  parseXml,
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

export const rss: Output = {
  name: 'rss',
  render(site) {
    return listingsOf(site).map((listing) => {
      const context = feedContext(site, listing);
      return { path: feedPath(listing.folder, 'rss'), contents: renderRss(context) };
    });
  },
};

export function renderRss(context: FeedContext): string {
  const tree = parseXml(renderWithFeedPackage(context, 'rss'));
  const [root] = elements(tree, 'rss');
  const [channel] = root ? elements(root, 'channel') : [];
  if (!root || !channel) throw new Error('the feed package wrote RSS without <rss><channel>');
  setAttributes(root, NAMESPACES);

  const zone = context.site.config.timeZone;
  setText(channel, 'lastBuildDate', toRfc822(context.updated, zone));
  insertAfter(
    channel,
    'atom:link',
    context.listing.translations.map((other) =>
      element('atom:link', {
        rel: 'alternate',
        hreflang: other.edition.language.code,
        type: FEED_TYPES.rss,
        href: context.site.config.baseUrl + feedPath(other.folder, 'rss'),
      }),
    ),
  );

  elements(channel, 'item').forEach((item, i) => {
    const article = context.articles[i];
    if (!article) throw new Error('the feed package wrote more items than it was given');
    setText(item, 'pubDate', toRfc822(article.published, zone));
    const extra: XmlNode[] = article.authors.map((name) => textElement('dc:creator', name));
    if (article.updated)
      extra.push(
        textElement('dc:date', context.listing.edition.localizer.isoDate(lastChange(article))),
      );
    if (article.source)
      extra.push(textElement('dc:source', article.source.url ?? article.source.name));
    const image = article.image;
    if (image) {
      // An enclosure needs the file's length; a remote image has only Media RSS.
      if (image.length === undefined)
        for (const enclosure of elements(item, 'enclosure')) removeChild(item, enclosure);
      const media: XmlNode[] = [];
      if (image.caption)
        media.push(textElement('media:description', image.caption, { type: 'plain' }));
      if (image.credit) media.push(textElement('media:credit', image.credit));
      extra.push(
        element(
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
        ),
      );
    }
    for (const translation of article.translations) {
      extra.push(
        element('atom:link', {
          rel: 'alternate',
          hreflang: translation.lang,
          type: 'text/html',
          href: translation.url,
        }),
      );
    }
    insertAfter(item, 'category', extra);
  });
  return buildXml(tree);
}

function removeChild(parent: XmlNode, child: XmlNode): void {
  const name = Object.keys(parent).find((key) => key !== ':@');
  const children = name ? (parent[name] as XmlNode[]) : [];
  children.splice(children.indexOf(child), 1);
}
