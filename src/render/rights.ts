/**
 * What may travel: the parts of an article that may be passed on to others (ninjs, partner
 * feeds, republished copies), and the localized words for its rights. The site's own pages
 * and feeds show everything; an image without syndication rights stops here.
 */
import { bodyBytes, bodyHtml } from '../content/body.js';
import { withoutImages } from '../content/sanitize.js';
import { escapeHtml } from '../escape.js';
import type { Localizer } from '../i18n/load-locales.js';
import type { Article, ArticleImage, ArticleRights } from '../model/model.js';

/** The lead image, if it may be passed on. */
export function syndicatedImage(article: Article): ArticleImage | undefined {
  return article.image?.syndication ? article.image : undefined;
}

/** Whether an image of the article (lead or body) may not be passed on. */
export function hasUnsyndicatedImages(article: Article): boolean {
  return article.image?.syndication === false || article.rights.unsyndicatedImages.length > 0;
}

/** The body's HTML without the images that may not be passed on. */
export function syndicatedBody(article: Article): string {
  const html = bodyHtml(article);
  const urls = article.rights.unsyndicatedImages;
  return urls.length ? withoutImages(html, new Set(urls.map(escapeHtml))) : html;
}

/**
 * The article as it may be passed on: the lead image dropped and the body's restricted
 * images removed when they may not travel; the same article otherwise.
 */
export function syndicatedArticle(article: Article): Article {
  if (!hasUnsyndicatedImages(article)) return article;
  const { image: _image, ...rest } = article;
  const image = syndicatedImage(article);
  return { ...rest, ...(image ? { image } : {}), body: bodyBytes(syndicatedBody(article)) };
}

/**
 * "Published under CC BY-ND 4.0…" or "All rights reserved", in the article's language;
 * nothing where no copyright holder is named (a site without `rights:` says only its
 * copyright line).
 */
export function usageTerms(localizer: Localizer, rights: ArticleRights): string | undefined {
  const holder = rights.holder;
  if (!holder) return undefined;
  return rights.licence
    ? localizer.t('rights:usageTerms', { licence: rights.licence.name, holder })
    : localizer.t('rights:allRightsReserved', { holder });
}
