/**
 * The parts of output keys (see OutputJob.key): an article is its path and the version of
 * its story folder; a page's navigation is the languages and sections that have articles.
 */
import type { Article, Edition, Site } from '../model.js';

export function articleKey(article: Article): string {
  return `${article.path}@${article.version}`;
}

/** An article and the language versions it links to. */
export function articleWithTranslationsKey(article: Article): string {
  const known = withTranslations.get(article);
  if (known?.translations === article.translations) return known.key;
  const key = [article, ...article.translations].map(articleKey).join(' ');
  withTranslations.set(article, { translations: article.translations, key });
  return key;
}

// Asked for by every feed, page and sitemap that lists the article. Each build gives an
// article a new translations list (parsed articles are reused across the dev server's
// builds), so the key is remembered with the list it was made from.
const withTranslations = new WeakMap<Article, { translations: Article[]; key: string }>();

export function navigationKey(site: Site, edition: Edition): string {
  const languages = site.editions.filter((e) => e.articles.length).map((e) => e.language.code);
  const sections = edition.sections.filter((s) => s.articles.length).map((s) => s.id);
  return `${languages.join(',')}|${sections.join(',')}`;
}
