/**
 * "Republish this story" (after ProPublica's box and INN's Republication Tracker): on a
 * canonical article page whose licence allows it, a dialog with the licence terms and the
 * HTML another outlet copies: headline, byline, the photo and body as far as they may be
 * passed on, a credit line linking the original and the licence, and a 1×1 image that
 * counts republications (`polyfeed typo-server` serves it; see typo/republications.ts).
 */
import { offersRepublishing } from '../config/schema.js';
import { escapeHtml } from '../escape.js';
import type { Article, Edition, Site } from '../model/model.js';
import { trackingPixelBase, trackingPixelUrl, urlOf } from '../model/urls.js';
import { SLOTS, sourceSentence, withLinks } from './linked-sentence.js';
import type { Output } from './output.js';
import { hasUnsyndicatedImages, syndicatedBody, syndicatedImage } from './rights.js';

/** Where the dialog's script is published (see republishScript below). */
export const REPUBLISH_SCRIPT_PATH = 'assets/polyfeed/republish.js';

/** What the page's dialog shows. */
export interface RepublishView {
  /** The licence terms, as HTML (the licence linked). */
  terms: string;
  /** The HTML to copy. */
  html: string;
  /** Whether an image was left out because it may not be passed on. */
  imagesLeftOut: boolean;
  script: string;
}

/** The dialog of an article's canonical page; undefined where republishing is not offered. */
export function republishView(
  site: Site,
  edition: Edition,
  article: Article,
): RepublishView | undefined {
  const licence = article.rights.licence;
  const pixel = trackingPixelBase(site.config);
  if (!offersRepublishing(site.config, article.rights) || !licence || !pixel) return undefined;
  const { t } = edition.localizer;
  return {
    terms: withLinks(t('rights:terms', { licence: SLOTS[0] }), [licenceLink(licence)]),
    html: republishHtml(edition, article, trackingPixelUrl(pixel, article.storyId, article.lang)),
    imagesLeftOut: hasUnsyndicatedImages(article),
    script: urlOf(site.config.baseUrl, REPUBLISH_SCRIPT_PATH),
  };
}

/** The HTML another outlet pastes into its own page. */
export function republishHtml(edition: Edition, article: Article, pixel: string): string {
  const { localizer } = edition;
  const { t } = localizer;
  const licence = article.rights.licence;
  const language = edition.language;
  const parts = [
    `<article lang="${escapeHtml(article.lang)}" dir="${language.dir}">`,
    `<h1>${escapeHtml(article.title)}</h1>`,
    `<p>${escapeHtml(t('label.by', { authors: localizer.formatList(article.authors), count: article.authors.length }))}</p>`,
  ];
  const image = syndicatedImage(article);
  if (image) {
    const caption = [image.caption, image.credit && t('label.photo', { credit: image.credit })]
      .filter(Boolean)
      .join(' ');
    parts.push(
      `<figure><img src="${escapeHtml(image.url)}" width="${image.width}" height="${image.height}" alt="${escapeHtml(image.alt)}" />${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`,
    );
  }
  parts.push(syndicatedBody(article).trim());
  if (article.source) parts.push(`<p>${sourceSentence(article.source, t)}</p>`);
  const original = `<a href="${escapeHtml(article.url)}">${escapeHtml(t('site.title'))}</a>`;
  const attribution = t('rights:attribution', {
    publisher: SLOTS[0],
    date: localizer.formatDate(article.published, 'format.date'),
    licence: SLOTS[1],
  });
  parts.push(
    `<p><em>${withLinks(attribution, [original, licence ? licenceLink(licence) : ''])}</em></p>`,
    // The full address of the page that shows the copy is what counts a republication;
    // browsers send only the origin across sites unless the image asks for more.
    `<img src="${escapeHtml(pixel)}" width="1" height="1" alt="" referrerpolicy="no-referrer-when-downgrade" style="width:1px;height:1px;border:0" />`,
    '</article>',
  );
  return `${parts.join('\n')}\n`;
}

/** The dialog's script: one small file every canonical page that offers it shares. */
export const republishScript: Output = {
  name: 'republish-script',
  usesTemplates: true,
  feeds: false,
  plan(site, context) {
    const offered = site.editions.some((e) =>
      e.articles.some((a) => offersRepublishing(site.config, a.rights)),
    );
    if (!offered) return [];
    return [
      {
        path: REPUBLISH_SCRIPT_PATH,
        key: '',
        render: () => context.templates.raw('republish.js').text,
      },
    ];
  },
};

function licenceLink(licence: { name: string; url: string }): string {
  return `<a href="${escapeHtml(licence.url)}" rel="license">${escapeHtml(licence.name)}</a>`;
}
