/**
 * Loading, the first stage of a build: config → locales → articles → the site model.
 * Nothing here renders or writes.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BuildCache } from './cache/build-cache.js';
import { digest } from './cache/fingerprint.js';
import { loadConfig } from './config/load-config.js';
import type { SiteConfig } from './config/schema.js';
import { loadSiteAssets } from './content/load-site-assets.js';
import { ARTICLES_FOLDER, type LoadStats, loadStories } from './content/load-stories.js';
import type { Diagnostic } from './diagnostics.js';
import { type LoadedLocales, loadLocales } from './i18n/load-locales.js';
import type { Article, Edition, Site, Tag } from './model.js';
import { NEWS_WINDOW_MS } from './outputs/sitemaps.js';
import { PACKAGE_ROOT } from './paths.js';
import { BuildThread, StoryQueue } from './workers/pool.js';
import type { OutputSink } from './write-output.js';

export interface BuildOptions {
  /** The clock, for embargoes: `--now` in tests, the real time otherwise. */
  now: Date;
  /** Include articles marked `draft: true`. */
  drafts: boolean;
  /** Missing translations of UI strings are errors instead of warnings. */
  strict: boolean;
  /** Called as the build enters each phase (for progress display). */
  onPhase?: (phase: string) => void;
  /** What an earlier build left: unchanged stories are not parsed again. */
  cache?: BuildCache;
  /** Receives each output file as soon as it is rendered; the result then holds only paths. */
  sink?: OutputSink;
  /** Threads to parse and render with (1: this one only). Needs the compiled lib/. */
  threads?: number;
}

export interface LoadedSite {
  site: Site;
  locales: LoadedLocales;
  /** The next instant the output changes by itself (an embargo ends, the news sitemap moves on). */
  nextEmbargo?: number;
  /** Time spent rendering Markdown while loading. */
  markdownMs: number;
  /**
   * The worker that parsed stories beside this thread, waiting to render (see pool.ts);
   * whoever loaded the site renders with it or stops it.
   */
  thread?: BuildThread;
}

/** What parsing articles needs: the config, the UI strings, and the key of both. */
export interface Prepared {
  config: SiteConfig;
  locales: LoadedLocales;
  /** Config and locales the stories are parsed under (see BuildCache.parseKey). */
  parseKey: string;
}

export async function prepare(
  root: string,
  strict: boolean,
  diagnostics: Diagnostic[],
  cache?: BuildCache,
): Promise<Prepared | undefined> {
  const config = await loadConfig(root, diagnostics);
  if (!config) return undefined;
  // The package's own locales and templates are the defaults a site folder overrides.
  const roots = resolve(root) === resolve(PACKAGE_ROOT) ? [root] : [PACKAGE_ROOT, root];
  const locales = await loadLocales(roots, root, config, diagnostics, strict, cache?.locales);
  if (cache) cache.locales = locales;
  return { config, locales, parseKey: digest(JSON.stringify(config), locales.fingerprint) };
}

export async function loadSite(
  root: string,
  options: BuildOptions,
  diagnostics: Diagnostic[],
): Promise<LoadedSite | undefined> {
  const prepared = await prepare(root, options.strict, diagnostics, options.cache);
  if (!prepared) return undefined;
  const { config, locales, parseKey } = prepared;
  const stats = { markdownMs: 0 };
  const cache = options.cache;
  const thread =
    cache && (options.threads ?? 1) > 1
      ? await parseInParallel(root, options.strict, prepared, cache, stats)
      : undefined;
  let articles: Article[];
  try {
    articles = await loadStories(root, config, locales.localizers, diagnostics, {
      cache,
      parseKey,
      stats,
    });
  } catch (error) {
    thread?.stop();
    throw error;
  }
  const siteAssets = await loadSiteAssets(root, config, diagnostics);

  const published = articles.filter((a) => isPublished(a, options));
  linkTranslations(published);
  const byLanguage = new Map<string, Article[]>(config.languages.map((l) => [l.code, []]));
  for (const article of published) byLanguage.get(article.lang)?.push(article);
  const editions = config.languages.map((language): Edition => {
    const localizer = locales.localizers.get(language.code);
    if (!localizer) throw new Error(`no localizer for ${language.code}`);
    const own = sortNewestFirst(byLanguage.get(language.code) ?? []);
    return {
      language,
      localizer,
      articles: own,
      sections: config.sections.map((id) => ({
        id,
        articles: own.filter((a) => a.section === id),
      })),
      tags: groupByTag(own),
    };
  });
  const media = new Map(published.flatMap((a) => a.media).map((asset) => [asset.path, asset]));
  const assets = [...siteAssets.assets, ...media.values()].sort((a, b) =>
    a.path < b.path ? -1 : 1,
  );
  const site: Site = {
    config,
    editions,
    assets,
    logo: siteAssets.logo,
    icon: siteAssets.icon,
    now: options.now,
  };
  // The output changes at these instants with no file changing: an embargo ends, an
  // article enters or leaves the news sitemap's two days.
  const now = options.now.getTime();
  let next = Number.POSITIVE_INFINITY;
  const consider = (change: number) => {
    if (change > now && change < next) next = change;
  };
  for (const a of articles) {
    consider(a.embargo?.getTime() ?? 0);
    consider(a.published.getTime());
    consider(a.published.getTime() + NEWS_WINDOW_MS);
  }
  const nextEmbargo = Number.isFinite(next) ? next : undefined;
  return { site, locales, nextEmbargo, markdownMs: stats.markdownMs, thread };
}

function isPublished(article: Article, options: BuildOptions): boolean {
  if (article.draft && !options.drafts) return false;
  return !article.embargo || article.embargo <= options.now;
}

/**
 * Newest first; the story id breaks ties so that the order never depends on the disk. Each
 * date is read once: a 5,000-story site sorts 17,000 articles per build.
 */
function sortNewestFirst(articles: Article[]): Article[] {
  const keyed = articles.map((article) => ({ time: article.published.getTime(), article }));
  keyed.sort(
    (a, b) =>
      b.time - a.time ||
      (a.article.storyId < b.article.storyId ? -1 : a.article.storyId > b.article.storyId ? 1 : 0),
  );
  return keyed.map((k) => k.article);
}

/**
 * Links each article to its story's other published versions. An article the dev server
 * parsed in an earlier build keeps its list when the versions are the same objects, so
 * that what was worked out from the list (output keys) is still known to be current.
 */
function linkTranslations(articles: readonly Article[]): void {
  const byStory = new Map<string, Article[]>();
  for (const article of articles) {
    const versions = byStory.get(article.storyId);
    if (versions) versions.push(article);
    else byStory.set(article.storyId, [article]);
  }
  for (const versions of byStory.values()) {
    for (const article of versions) {
      // Compared in place: a new list per article per build is 17,000 lists at 5,000 stories.
      const known = article.translations;
      let same = known.length === versions.length - 1;
      for (let i = 0, j = 0; same && i < versions.length; i++) {
        if (versions[i] !== article) same = versions[i] === known[j++];
      }
      if (!same) article.translations = versions.filter((v) => v !== article);
    }
  }
}

/** Tags by slug; the name is the spelling of the newest article that uses it. */
function groupByTag(articles: readonly Article[]): Edition['tags'] {
  const groups = new Map<string, { tag: Tag; articles: Article[] }>();
  for (const article of articles) {
    for (const tag of article.tags) {
      const group = groups.get(tag.slug) ?? { tag, articles: [] };
      group.articles.push(article);
      groups.set(tag.slug, group);
    }
  }
  return [...groups.values()].sort((a, b) => (a.tag.slug < b.tag.slug ? -1 : 1));
}

/** Below this many stories a second thread costs more to start than it saves. */
const PARALLEL_STORIES = 32;

/**
 * Parses the stories in a worker thread and this one, each taking the next story neither
 * has taken; both land in `cache`, from which loadStories then takes them all. Gives the
 * worker, which keeps its stories to render with.
 */
async function parseInParallel(
  root: string,
  strict: boolean,
  prepared: Prepared,
  cache: BuildCache,
  stats: LoadStats,
): Promise<BuildThread | undefined> {
  const ids = await storyIds(root);
  const stale = ids.filter((id) => !cache.stories.has(id) || cache.parseKey !== prepared.parseKey);
  if (stale.length < PARALLEL_STORIES) return undefined;
  const queue = new StoryQueue(stale);
  const { thread, parsed } = BuildThread.parse(root, strict, queue);
  const scratch: Diagnostic[] = []; // the full load below reports every problem once
  try {
    const [entries] = await Promise.all([
      parsed,
      loadStories(root, prepared.config, prepared.locales.localizers, scratch, {
        cache,
        parseKey: prepared.parseKey,
        stats,
        take: queue.take,
      }),
    ]);
    for (const [id, entry] of entries) cache.stories.set(id, entry);
    return thread;
  } catch (error) {
    thread.stop();
    throw error;
  }
}

async function storyIds(root: string): Promise<string[]> {
  try {
    return (await readdir(join(root, ARTICLES_FOLDER), { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}
