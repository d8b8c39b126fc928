/**
 * Loading, the first stage of a build: config → locales → articles → the site model.
 * Nothing here renders or writes.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SiteConfig } from '../config/schema.js';
import type { Diagnostic, Position } from '../diagnostics.js';
import { digest } from '../digest.js';
import type { BuildCache, ModelBasis } from '../engine/build-cache.js';
import { BuildThread, StoryQueue } from '../engine/pool.js';
import { type LoadedLocales, loadLocales } from '../i18n/load-locales.js';
import { linkTranslations, makeEditions, updateEditions } from '../model/editions.js';
import type { Article, Asset, Edition, Site } from '../model/model.js';
import { trackUrls } from '../model/published-urls.js';
import type { UrlManifest } from '../model/url-manifest.js';
import { PACKAGE_ROOT } from '../paths.js';
import { NEWS_WINDOW_MS } from '../render/sitemaps.js';
import type { OutputSink } from '../write/write-output.js';
import { loadConfig } from './load-config.js';
import { loadSiteAssets } from './load-site-assets.js';
import { ARTICLES_FOLDER, type LoadStats, loadStories, slugPositionOf } from './load-stories.js';

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
  /**
   * The URLs the previous output published (its manifest, see published-urls.ts): given,
   * the build warns about articles whose URL changed, writes redirect pages at their old
   * URLs and a manifest for the next build. Left out (the dev server, most tests), neither.
   */
  published?: UrlManifest;
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
  const known = cache?.prepared;
  if (cache?.onlyStoriesChanged && known?.strict === strict) {
    diagnostics.push(...known.diagnostics);
    // As loadLocales does when it reuses them: unknown keys are this build's to report.
    known.value.locales.unknownKeys = new Set();
    return known.value;
  }
  if (cache) cache.prepared = undefined;
  const first = diagnostics.length;
  const config = await loadConfig(root, diagnostics);
  if (!config) return undefined;
  // The package's own locales and templates are the defaults a site folder overrides.
  const roots = resolve(root) === resolve(PACKAGE_ROOT) ? [root] : [PACKAGE_ROOT, root];
  const locales = await loadLocales(roots, root, config, diagnostics, strict, cache?.locales);
  if (cache) cache.locales = locales;
  const value = { config, locales, parseKey: digest(JSON.stringify(config), locales.fingerprint) };
  if (cache?.keepContents)
    cache.prepared = { strict, value, diagnostics: diagnostics.slice(first) };
  return value;
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
  // The last model, taken now: it is set again only when this load gets to the end.
  const lastModel = cache?.model;
  if (cache) cache.model = undefined;
  // The stories the watcher says changed, with their articles as the last load had them.
  const changed = cache?.changedStories && {
    stories: [...cache.changedStories],
    before: [...cache.changedStories].flatMap((id) => cache.stories.get(id)?.articles ?? []),
  };
  const thread =
    cache && (options.threads ?? 1) > 1
      ? await parseInParallel(root, options.strict, prepared, cache, stats)
      : undefined;
  let articles: Article[];
  const slugPositions = new Map<Article, Position>();
  try {
    articles = await loadStories(root, config, locales.localizers, diagnostics, {
      cache,
      parseKey,
      stats,
      slugPositions,
    });
  } catch (error) {
    thread?.stop();
    throw error;
  }
  const siteAssets = await loadSiteAssets(root, config, diagnostics);

  let editions: Edition[];
  let media: Map<string, Asset>;
  if (lastModel && changed && canUpdate(lastModel, parseKey, options)) {
    // Only the changed stories' articles come and go; every other list stays as it was.
    const removed = new Set(changed.before);
    const published = changed.stories
      .flatMap((id) => cache?.stories.get(id)?.articles ?? [])
      .filter((a) => isPublished(a, options));
    linkTranslations(published);
    editions = updateEditions(lastModel.editions, removed, published);
    media = new Map(lastModel.media);
    // A story's files are published under its own folder: no other story shares them.
    for (const asset of changed.before.flatMap((a) => a.media)) media.delete(asset.path);
    for (const asset of published.flatMap((a) => a.media)) media.set(asset.path, asset);
  } else {
    const published = articles.filter((a) => isPublished(a, options));
    linkTranslations(published);
    editions = makeEditions(config, locales.localizers, published);
    media = new Map(published.flatMap((a) => a.media).map((asset) => [asset.path, asset]));
  }
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
    urls:
      options.published &&
      trackUrls(options.published, config, editions, diagnostics, (article) =>
        slugPositionOf(article, slugPositions, cache),
      ),
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
  if (cache?.keepContents) {
    cache.model = { parseKey, drafts: options.drafts, until: nextEmbargo, editions, media };
  }
  return { site, locales, nextEmbargo, markdownMs: stats.markdownMs, thread };
}

/**
 * Whether the last model can be updated rather than made again: the same config and UI
 * strings, the same drafts option, and no embargo has ended since (an article would appear
 * that no story edit brought).
 */
function canUpdate(last: ModelBasis, parseKey: string, options: BuildOptions): boolean {
  return (
    last.parseKey === parseKey &&
    last.drafts === options.drafts &&
    (last.until === undefined || options.now.getTime() < last.until)
  );
}

function isPublished(article: Article, options: BuildOptions): boolean {
  if (article.draft && !options.drafts) return false;
  return !article.embargo || article.embargo <= options.now;
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
