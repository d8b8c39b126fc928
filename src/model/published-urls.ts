/**
 * Published URLs never change silently. An article's URL comes from its title unless it
 * sets `slug:`, so editing a published headline would move the article and leave its old
 * URL dead: links from other sites, search results and readers' bookmarks would break.
 *
 * A build that writes an output folder keeps there a small manifest, `published-urls.json`:
 * per article (story and language) the folder it is published at, and the folders it had
 * before. The next build reads it (see write-output.ts); an article whose folder changed
 * gets a warning on the line its slug comes from, and every old folder gets a redirect
 * page to the article's page of today (render/redirect-pages.ts). Old folders
 * accumulate, so an article renamed twice keeps both old URLs working. An article left out
 * of a build (deleted, a draft again, under embargo) is not a rename: it gets no redirect,
 * and its entry is kept, so that if it comes back under another URL the old one redirects.
 */
import { hasCanonicalPages, type SiteConfig } from '../config/schema.js';
import { type Diagnostic, FileReport, type Position } from '../diagnostics.js';
import type { Article, Edition, PublishedUrls, Redirect } from './model.js';
import type { UrlManifest } from './url-manifest.js';
import { articleFolder, urlOf } from './urls.js';

/**
 * Compares where the editions' articles are published with where `previous` says they
 * were: warns about each article whose URL changed in this build, and gives the manifest
 * to write and the redirects of every old URL.
 */
export function trackUrls(
  previous: UrlManifest,
  config: SiteConfig,
  editions: readonly Edition[],
  diagnostics: Diagnostic[],
  slugPosition: (article: Article) => Position | undefined,
): PublishedUrls {
  // A big site has 70,000 articles: each costs a Map lookup, and only those that ever
  // moved cost more (spreading and filling the manifest's object took most of a second).
  const entries = new Map(Object.entries(previous.articles));
  // The folders of this build's articles, made only if some article ever moved.
  let current: Set<string> | undefined;
  const isCurrent = (folder: string): boolean => {
    current ??= new Set(
      editions.flatMap((e) => e.articles.map((a) => articleFolder(a.lang, a.slug))),
    );
    return current.has(folder);
  };
  const redirects: Redirect[] = [];
  const claimed = new Set<string>();
  // In the editions' order (config order, newest first, ties by story id): deterministic,
  // so that of two articles that once had the same URL, the same one always keeps it.
  for (const edition of editions) {
    for (const article of edition.articles) {
      const key = `${article.storyId}/${article.lang}`;
      const folder = articleFolder(article.lang, article.slug);
      const known = entries.get(key);
      if (known?.folder === folder && !known.moved.length) continue;
      const moved = [...(known?.moved ?? [])];
      if (known && known.folder !== folder) {
        moved.push(known.folder);
        warnMoved(article, known.folder, config, diagnostics, slugPosition);
      }
      // Renamed back, its old folder is its own again.
      const kept = [...new Set(moved)].filter((f) => f !== folder);
      entries.set(key, { folder, moved: kept });
      for (const old of kept) {
        // A folder another article has now is theirs.
        if (isCurrent(old) || claimed.has(old)) continue;
        claimed.add(old);
        redirects.push(...redirectsOf(old, article, config));
      }
    }
  }
  const manifest: UrlManifest = { version: 1, articles: {} };
  for (const key of [...entries.keys()].sort())
    manifest.articles[key] = entries.get(key) as UrlManifest['articles'][string];
  redirects.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { manifest, redirects };
}

/**
 * The manifest as the file holds it: one article a line, so that a diff of two builds'
 * shows what moved. (Keys and folders are story ids, language codes and slugs, which never
 * hold `},"`; one JSON.stringify, then line breaks, is several times faster than
 * formatting 70,000 entries one by one.)
 */
export function formatUrlManifest(manifest: UrlManifest): string {
  return `${JSON.stringify(manifest).replace('"articles":{"', '"articles":{\n"').replaceAll('},"', '},\n"')}\n`;
}

/** The old pages of `folder`, each kind the site writes now, to the same kind today. */
function redirectsOf(folder: string, article: Article, config: SiteConfig): Redirect[] {
  const pages: Redirect[] = [];
  if (hasCanonicalPages(config))
    pages.push({ path: `${folder}index.html`, to: article.url, article });
  if (article.amp) pages.push({ path: `${folder}amp.html`, to: article.amp.url, article });
  return pages;
}

function warnMoved(
  article: Article,
  oldFolder: string,
  config: SiteConfig,
  diagnostics: Diagnostic[],
  slugPosition: (article: Article) => Position | undefined,
): void {
  const oldSlug = oldFolder.split('/').at(-2) ?? '';
  const oldUrl = urlOf(config.baseUrl, oldFolder);
  const newUrl = urlOf(config.baseUrl, articleFolder(article.lang, article.slug));
  // Without `slug:` the URL follows the title; with it (`polyfeed new` writes one), the slug
  // was edited, even if to match a new title.
  const fromTitle = !article.slugWritten;
  const why = fromTitle ? 'the title changed, and the URL with it' : 'the slug changed';
  new FileReport(article.file, diagnostics).warning(
    'content/url-changed',
    `${why}: ${oldUrl} is now ${newUrl}. Published URLs should not change, so the old one now redirects to the new one; to keep the old URL instead, ${fromTitle ? 'add' : 'set'} \`slug: ${oldSlug}\``,
    fromTitle ? 'title' : 'slug',
    slugPosition(article),
  );
}
