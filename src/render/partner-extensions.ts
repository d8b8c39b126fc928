/**
 * What partner profiles add to an RSS or Atom feed after it is written: the vocabularies
 * listed in a profile's `extensions`, the language with its region, and the body left out
 * when the partner takes summaries only. Specifications:
 * - Media RSS: https://www.rssboard.org/media-rss
 * - DCMI terms (dcterms:modified): https://www.dublincore.org/specifications/dublin-core/dcmi-terms/
 * - Feedly webfeeds: https://blog.feedly.com/10-ways-to-optimize-your-feed-for-feedly/
 * - SmartNews SmartFormat: https://publishers.smartnews.com/hc/en-us/articles/360036526213
 * - MSN (mi:): https://helpcenter.microsoftstart.com/kb/articles/58-atom-and-rss-code-examples
 */
import type { PartnerConfig } from '../config/partner-schema.js';
import type { Article } from '../model/model.js';
import { urlOf } from '../model/urls.js';
import { syndicatedImage } from './rights.js';
import { mediaContent } from './rss.js';
import { type FeedContext, lastChange } from './to-feed.js';
import {
  buildXml,
  element,
  elements,
  insertAfter,
  markup,
  parseXml,
  removeChild,
  setAttributes,
  setText,
  textElement,
  type XmlNode,
} from './xml-tree.js';

const NAMESPACES: Record<PartnerConfig['extensions'][number], [string, string]> = {
  media: ['xmlns:media', 'http://search.yahoo.com/mrss/'],
  dcterms: ['xmlns:dcterms', 'http://purl.org/dc/terms/'],
  webfeeds: ['xmlns:webfeeds', 'http://webfeeds.org/rss/1.0'],
  snf: ['xmlns:snf', 'http://www.smartnews.be/snf'],
  mi: ['xmlns:mi', 'http://schemas.ingestion.microsoft.com/common/'],
};

export function decoratePartnerXml(
  xml: string,
  context: FeedContext,
  partner: PartnerConfig,
): string {
  const tree = parseXml(xml);
  const atom = partner.format === 'atom';
  const [root] = elements(tree, atom ? 'feed' : 'rss');
  const channel = atom ? root : root && elements(root, 'channel')[0];
  if (!root || !channel) throw new Error(`partner ${partner.id}: no feed root to add to`);
  const extensions = new Set(partner.extensions);
  setAttributes(root, Object.fromEntries([...extensions].map((name) => NAMESPACES[name])));
  // RSS declares Media RSS itself; an Atom feed needs it for an image flagged for MSN (mi).
  if (extensions.has('mi') && context.articles.some((a) => a.image?.syndication === false))
    setAttributes(root, { 'xmlns:media': NAMESPACES.media[1] });
  const language = context.listing.edition.language;
  if (partner.languageWithRegion && language.locale) {
    if (atom) setAttributes(root, { 'xml:lang': language.locale });
    else setText(channel, 'language', language.locale);
  }
  insertAfter(channel, atom ? 'link' : 'atom:link', channelElements(context, partner));

  const items = elements(channel, atom ? 'entry' : 'item');
  items.forEach((item, i) => {
    const article = context.articles[i];
    if (!article) throw new Error(`partner ${partner.id}: more items than articles`);
    if (partner.content === 'summary')
      for (const body of elements(item, atom ? 'content' : 'content:encoded'))
        removeChild(item, body);
    const added = itemElements(article, context, partner).filter(
      // An RSS item of an updated article has dcterms:modified already (rss.ts).
      (node) => !('dcterms:modified' in node && elements(item, 'dcterms:modified').length),
    );
    insertAfter(item, atom ? 'link' : 'category', added);
  });
  return buildXml(tree);
}

function channelElements(context: FeedContext, partner: PartnerConfig): XmlNode[] {
  const { site } = context;
  const nodes: XmlNode[] = [];
  if (partner.extensions.includes('webfeeds')) {
    if (site.icon) nodes.push(textElement('webfeeds:icon', site.icon.url));
    if (site.logo) nodes.push(textElement('webfeeds:logo', site.logo.url));
    const cover = partner.webfeeds?.cover;
    if (cover) nodes.push(element('webfeeds:cover', { image: urlOf(site.config.baseUrl, cover) }));
    const colour = partner.webfeeds?.accentColor;
    if (colour) nodes.push(textElement('webfeeds:accentColor', colour));
    nodes.push(element('webfeeds:related', { layout: 'card', target: 'browser' }));
  }
  // The config check makes sure there is a logo when a profile asks for snf.
  if (partner.extensions.includes('snf') && site.logo)
    nodes.push(element('snf:logo', {}, [textElement('url', site.logo.url)]));
  return nodes;
}

function itemElements(article: Article, context: FeedContext, partner: PartnerConfig): XmlNode[] {
  const iso = context.listing.edition.localizer.isoDate;
  const nodes: XmlNode[] = [];
  const extensions = new Set(partner.extensions);
  // RSS items carry Media RSS already (rss.ts); Atom entries get it here, for a photo that
  // may be passed on only (`article` is the edition's, not the partner's shaped copy).
  const syndicated = syndicatedImage(article);
  if (extensions.has('media') && partner.format === 'atom' && syndicated)
    nodes.push(markup(mediaContent(syndicated)));
  if (extensions.has('dcterms'))
    nodes.push(textElement('dcterms:modified', iso(lastChange(article))));
  if (extensions.has('mi')) {
    nodes.push(textElement('mi:dateTimeWritten', iso(article.published)));
    nodes.push(textElement('mi:hasSyndicationRights', '1'));
    // The photo is left out of the item (rights.ts); MSN's format can say why: the photo's
    // media:content with mi:hasSyndicationRights 0, which MSN does not show.
    const image = article.image;
    if (image && !image.syndication)
      nodes.push(
        element('media:content', { url: image.url, type: image.type, medium: 'image' }, [
          textElement('mi:hasSyndicationRights', '0'),
        ]),
      );
  }
  const analytics = partner.snf?.analytics;
  if (extensions.has('snf') && analytics)
    nodes.push(element('snf:analytics', {}, [cdata(analytics)]));
  return nodes;
}

/** A CDATA section holding `text` as is (a `]]>` inside is split across two sections). */
function cdata(text: string): XmlNode {
  return { '#cdata': [{ '#text': text.replaceAll(']]>', ']]]]><![CDATA[>') }] };
}
