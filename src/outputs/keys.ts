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
  return [article, ...article.translations].map(articleKey).join(' ');
}

export function navigationKey(site: Site, edition: Edition): string {
  const languages = site.editions.filter((e) => e.articles.length).map((e) => e.language.code);
  const sections = edition.sections.filter((s) => s.articles.length).map((s) => s.id);
  return `${languages.join(',')}|${sections.join(',')}`;
}
