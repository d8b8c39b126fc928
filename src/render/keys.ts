/**
 * The parts of output keys (see OutputJob.key): an article is a digest of its path and the
 * version of its story folder; a page's navigation is the languages and sections that have
 * articles. Keys are short: a feed's key lists 50 articles, and a big site has thousands of
 * feeds, so long keys were hundreds of megabytes of strings per build of the dev server.
 */
import { digest } from '../digest.js';
import type { Article, Edition, Site } from '../model/model.js';

export function articleKey(article: Article): string {
  let key = articleKeys.get(article);
  if (key === undefined) {
    key = digest(article.path, article.version);
    articleKeys.set(article, key);
  }
  return key;
}

// An article's path and version never change (an edit parses a new Article).
const articleKeys = new WeakMap<Article, string>();

/**
 * An article and its links to its other language versions: of those, a page shows the
 * language, URL and title, a sitemap entry the language and URL, so an edit of another
 * version's body leaves the key as it was.
 */
export function articleWithTranslationsKey(article: Article): string {
  const known = withTranslations.get(article);
  if (known?.translations === article.translations) return known.key;
  const links = article.translations.map((t) => `${t.lang} ${t.url} ${t.title}`);
  const key = digest(articleKey(article), ...links);
  withTranslations.set(article, { translations: article.translations, key });
  return key;
}

// Asked for by every feed, page and sitemap that lists the article. Parsed articles are
// reused across the dev server's builds, and an article gets a new translations list only
// when its versions change (linkTranslations in load-site.ts), so the key is remembered
// with the list it was made from.
const withTranslations = new WeakMap<Article, { translations: Article[]; key: string }>();

export function navigationKey(site: Site, edition: Edition): string {
  const languages = site.editions.filter((e) => e.articles.length).map((e) => e.language.code);
  const sections = edition.sections.filter((s) => s.articles.length).map((s) => s.id);
  return `${languages.join(',')}|${sections.join(',')}`;
}
