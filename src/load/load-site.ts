/**
 * Loading, the first stage of a build: config → locales → articles → the site model.
 * Nothing here renders or writes. What an earlier load left is taken through a LoadMemo
 * (memo.ts), which whoever runs the build supplies.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { LoadedLocales } from '../i18n/load-locales.js';
import { linkTranslations, makeEditions, updateEditions } from '../model/editions.js';
import {
  type Article,
  type Asset,
  type Edition,
  NEWS_WINDOW_MS,
  type Site,
} from '../model/model.js';
import { trackUrls } from '../model/published-urls.js';
import type { UrlManifest } from '../model/url-manifest.js';
import { loadSiteAssets } from './load-site-assets.js';
import { type LoadStats, loadStories, slugPositionOf } from './load-stories.js';
import type { LoadMemo, ModelBasis } from './memo.js';
import { type Prepared, prepare } from './prepare.js';

export interface LoadOptions {
  /** The clock, for embargoes: `--now` in tests, the real time otherwise. */
  now: Date;
  /** Include articles marked `draft: true`. */
  drafts: boolean;
  /** Missing translations of UI strings are errors instead of warnings. */
  strict: boolean;
  /**
   * The URLs the previous output published (its manifest, see published-urls.ts): given,
   * the load warns about articles whose URL changed and plans redirect pages at their old
   * URLs and a manifest for the next build. Left out (the dev server, most tests), neither.
   */
  published?: UrlManifest;
}

export interface LoadedSite {
  site: Site;
  locales: LoadedLocales;
  /** The next instant the output changes by itself (an embargo ends, the news sitemap moves on). */
  nextEmbargo?: number;
}

/**
 * Prepares and loads in one step: the worker thread's load (engine/build-worker.ts), the
 * CLI's `partners`, tests.
 */
export async function loadSite(
  root: string,
  options: LoadOptions,
  diagnostics: Diagnostic[],
  memo?: LoadMemo,
): Promise<LoadedSite | undefined> {
  const prepared = await prepare(root, options.strict, diagnostics, memo?.session);
  return prepared && loadModel(root, prepared, options, diagnostics, memo);
}

/** Reads the stories (taking unchanged ones from `memo`) and makes the site model. */
export async function loadModel(
  root: string,
  prepared: Prepared,
  options: LoadOptions,
  diagnostics: Diagnostic[],
  memo?: LoadMemo,
  stats?: LoadStats,
): Promise<LoadedSite> {
  const { config, locales, parseKey } = prepared;
  const session = memo?.session;
  // The last model, taken now: it is set again only when this load gets to the end.
  const lastModel = session?.model;
  if (session) session.model = undefined;
  // The stories the watcher says changed, with their articles as the last load had them.
  const changedIds = memo?.stories.changed;
  const before =
    changedIds && [...changedIds].flatMap((id) => memo.stories.get(id)?.articles ?? []);
  const articles = await loadStories(root, config, locales.localizers, diagnostics, {
    memo: memo?.stories,
    parseKey,
    stats,
  });
  const siteAssets = await loadSiteAssets(root, config, diagnostics);
  const published = (a: Article) => isPublished(a, options);
  const { editions, media } =
    lastModel && changedIds && before && canUpdate(lastModel, parseKey, options)
      ? updateModel(lastModel, before, changedIds, memo, published)
      : makeModel(prepared, articles.filter(published));
  const site: Site = {
    config,
    editions,
    assets: [...siteAssets.assets, ...media.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
    logo: siteAssets.logo,
    icon: siteAssets.icon,
    now: options.now,
    urls:
      options.published &&
      trackUrls(options.published, config, editions, diagnostics, (article) =>
        slugPositionOf(root, article),
      ),
  };
  const nextEmbargo = nextChange(articles, options.now);
  if (session)
    session.model = { parseKey, drafts: options.drafts, until: nextEmbargo, editions, media };
  return { site, locales, nextEmbargo };
}

interface ModelLists {
  editions: Edition[];
  /** The stories' published files, by output path. */
  media: Map<string, Asset>;
}

function makeModel(prepared: Prepared, published: Article[]): ModelLists {
  linkTranslations(published);
  return {
    editions: makeEditions(prepared.config, prepared.locales.localizers, published),
    media: new Map(published.flatMap((a) => a.media).map((asset) => [asset.path, asset])),
  };
}

/** The last model with only the changed stories' articles gone and come: every other list stays. */
function updateModel(
  last: ModelBasis,
  before: readonly Article[],
  changed: ReadonlySet<string>,
  memo: LoadMemo | undefined,
  isShown: (article: Article) => boolean,
): ModelLists {
  const published = [...changed]
    .flatMap((id) => memo?.stories.get(id)?.articles ?? [])
    .filter(isShown);
  linkTranslations(published);
  const editions = updateEditions(last.editions, new Set(before), published);
  const media = new Map(last.media);
  // A story's files are published under its own folder: no other story shares them.
  for (const asset of before.flatMap((a) => a.media)) media.delete(asset.path);
  for (const asset of published.flatMap((a) => a.media)) media.set(asset.path, asset);
  return { editions, media };
}

/**
 * The next instant the output changes with no file changing: an embargo ends, an article
 * enters or leaves the news sitemap's two days.
 */
function nextChange(articles: readonly Article[], clock: Date): number | undefined {
  const now = clock.getTime();
  let next = Number.POSITIVE_INFINITY;
  const consider = (change: number) => {
    if (change > now && change < next) next = change;
  };
  for (const a of articles) {
    consider(a.embargo?.getTime() ?? 0);
    consider(a.published.getTime());
    consider(a.published.getTime() + NEWS_WINDOW_MS);
  }
  return Number.isFinite(next) ? next : undefined;
}

/**
 * Whether the last model can be updated rather than made again: the same config and UI
 * strings, the same drafts option, and no embargo has ended since (an article would appear
 * that no story edit brought).
 */
function canUpdate(last: ModelBasis, parseKey: string, options: LoadOptions): boolean {
  return (
    last.parseKey === parseKey &&
    last.drafts === options.drafts &&
    (last.until === undefined || options.now.getTime() < last.until)
  );
}

function isPublished(article: Article, options: LoadOptions): boolean {
  if (article.draft && !options.drafts) return false;
  return !article.embargo || article.embargo <= options.now;
}
