/**
 * What one build leaves for the next, so that a rebuild redoes only what changed: the
 * parsed stories (by a stamp of their folder) and the key each output file was rendered
 * from. The dev server keeps it in memory with the files' bytes; `polyfeed build` keeps it
 * in `<site>/.polyfeed-cache/`, outside the output folder, and reuses unchanged files from
 * the previous output.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { LoadedLocales } from '../i18n/load-locales.js';
import type { ModelBasis, SessionMemo, StoryEntry } from '../load/memo.js';
import { VERSION } from '../paths.js';
import type { Templates } from '../render/environment.js';
import type { OutputStore } from './output-store.js';

export const CACHE_FOLDER = '.polyfeed-cache';
const CACHE_FILE = 'build.v8';
/** The small part read before deciding whether to build at all. */
const STATE_FILE = 'state.json';
/**
 * Bumped when the cache's shape or the meaning of a key changes (2: article bodies as
 * bytes; 3: an article's version covers its own file and its story's media only; 4:
 * articles and their images carry their rights; 5: no slug positions, read again
 * from the file when an error needs one; 6: the assets the output holds; 7: each file's
 * group and whether it is a feed, and the plan's basis, for incremental planning). A
 * cache another version of Polyfeed wrote is not read either: its parsed stories may lack
 * what this one's code expects.
 */
const FORMAT = `7 ${VERSION}`;

export interface OutputEntry {
  /** Everything the file's bytes depend on (with `scope`, when there is one). */
  key: string;
  /**
   * In memory (the dev server): what all files of its output depend on (Polyfeed's version,
   * config, UI strings, templates), kept apart from `key` so as not to join the two for
   * every file of every rebuild.
   */
  scope?: string;
  /**
   * The bytes, when kept in memory (a cache that keeps contents, without a `store`); else
   * they are in `store` (see `generation`) or in the output folder.
   */
  contents?: string | Uint8Array;
  /** With a `store` (the dev server): the generation whose folder holds the bytes. */
  generation?: number;
  /** In memory: the part of the site the file belongs to (see OutputJob.group). */
  group?: string;
  /** In memory: whether the file is a feed. */
  feed?: boolean;
  /**
   * With a `store`: the file is not rendered yet, and this renders it (see
   * render-later.ts). It is then written to the store and dropped.
   */
  render?: () => string | Uint8Array;
}

export interface BuildCache {
  /** Config and locales the stories were parsed under; stories from another are stale. */
  parseKey?: string;
  stories: Map<string, StoryEntry>;
  /** By output path. */
  outputs: Map<string, OutputEntry>;
  /**
   * Keep each output's bytes with its key (the dev server serves them): in `store` when
   * there is one, else in memory.
   */
  keepContents?: boolean;
  /** Where kept bytes go instead of memory (the dev server's, see output-store.ts). */
  store?: OutputStore;
  /** The output folder `outputs` describes (a disk cache is only good for that folder). */
  outDir?: string;
  /** The story and site files that folder holds besides `outputs` (photos, logo). */
  assets?: string[];
  /** Feed items by article, format and what else they depend on (memory only). */
  items: Map<string, unknown>;
  /** The UI strings, reused while they and the config are unchanged (memory only). */
  locales?: LoadedLocales;
  /**
   * Set by a caller that watches the story folders (the dev server): only these stories
   * can have changed since the last build, so the others are reused without reading
   * their folder. Unset, every story folder is checked.
   */
  changedStories?: ReadonlySet<string>;
  /**
   * Set by a caller that watches the whole site (the dev server): nothing but story
   * folders changed since the last build, so the config, UI strings and templates it read
   * are taken as they were instead of being read and checked again.
   */
  onlyStoriesChanged?: boolean;
  /** In memory: the config and UI strings the last build read, with what they reported. */
  prepared?: SessionMemo['prepared'];
  /**
   * What the last successful build planned its files against. A rebuild whose stories
   * alone changed, under the same basis, plans only the files those stories can touch
   * (see incremental.ts).
   */
  basis?: PlanBasis;
  /**
   * In memory: the site model the last load made from `stories`, which the next, when the
   * watcher says which stories changed, updates around them (see editions.ts).
   */
  model?: ModelBasis;
  /**
   * In memory: the templates as nunjucks compiled them, reused while their files are the
   * same (compiled again on every rebuild, they also ran as new, unoptimized code).
   */
  templates?: { fingerprint: string; templates: Templates };
  /**
   * With a `store` (the dev server): a build with more files to render than this renders
   * the rest when they are asked for, or later (see render-later.ts).
   */
  renderLater?: number;
  /** Paths whose entries may still be rendered later (some may be rendered already). */
  unrendered?: string[];
}

/** See BuildCache.basis. */
export interface PlanBasis {
  /** What every file depends on, and what pages depend on besides (templates). */
  scopes: string;
  /** Every listing's folder: a listing that appears or goes changes other files' links. */
  structure: string;
  /** The next instant the output changes by itself; from then on, everything is planned. */
  nextEmbargo?: number;
}

/** What the no-change check needs, kept apart so that it does not read the whole cache. */
export interface BuildState {
  outDir: string;
  inputs: string;
  nextEmbargo?: number;
}

export async function readState(siteRoot: string): Promise<BuildState | undefined> {
  try {
    return JSON.parse(
      await readFile(join(siteRoot, CACHE_FOLDER, STATE_FILE), 'utf8'),
    ) as BuildState;
  } catch {
    return undefined;
  }
}

export async function writeState(siteRoot: string, state: BuildState | undefined): Promise<void> {
  const folder = join(siteRoot, CACHE_FOLDER);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, STATE_FILE), state ? `${JSON.stringify(state)}\n` : '{}\n');
}

/**
 * The entry with its articles' translation lists emptied, to be written or sent to another
 * thread: the lists point at other articles, which would be copied with them, and the
 * site model links them again where the entry is read (see linkTranslations).
 */
export function unlinked(entry: StoryEntry): StoryEntry {
  return { ...entry, articles: entry.articles.map((a) => ({ ...a, translations: [] })) };
}

export function emptyCache(keepContents = false): BuildCache {
  return { stories: new Map(), outputs: new Map(), items: new Map(), keepContents };
}

/**
 * The bytes a cache that keeps contents has for `path`, from memory or its store; a file
 * left to render later is rendered now (a template error is thrown).
 */
export function keptContents(cache: BuildCache, path: string): string | Uint8Array | undefined {
  const entry = cache.outputs.get(path);
  if (entry?.contents !== undefined) return entry.contents;
  if (entry?.generation !== undefined) return cache.store?.read(entry.generation, path);
  if (entry?.render && cache.store)
    return renderKept(cache.store, cache.store.begin(), path, entry);
  return undefined;
}

/**
 * Renders an entry left to render later into a generation of the store, which the entry
 * then names. On a template error the entry stays as it was: asked again, it fails again.
 */
export function renderKept(
  store: OutputStore,
  generation: number,
  path: string,
  entry: OutputEntry,
): string | Uint8Array {
  const contents = (entry.render as () => string | Uint8Array)();
  store.write(generation, path, contents);
  entry.generation = generation;
  entry.render = undefined;
  return contents;
}

export async function readCache(siteRoot: string): Promise<BuildCache> {
  try {
    const data = deserialize(await readFile(join(siteRoot, CACHE_FOLDER, CACHE_FILE))) as {
      format: unknown;
    } & BuildCache;
    if (data.format !== FORMAT) return emptyCache();
    return { ...data, items: new Map() };
  } catch {
    // Missing or unreadable (another version wrote it): start afresh, it is only a cache.
    return emptyCache();
  }
}

export async function writeCache(siteRoot: string, cache: BuildCache): Promise<void> {
  const folder = join(siteRoot, CACHE_FOLDER);
  await mkdir(folder, { recursive: true });
  const outputs = new Map(
    [...cache.outputs].map(([path, { key, group, feed }]) => [path, { key, group, feed }]),
  );
  const stories = new Map([...cache.stories].map(([id, entry]) => [id, unlinked(entry)]));
  const {
    items: _memoryOnly,
    locales: _functions,
    model: _devModel,
    templates: _compiled,
    prepared: _reread,
    ...rest
  } = cache;
  const temporary = join(folder, `${CACHE_FILE}.${process.pid}`);
  await writeFile(temporary, serialize({ ...rest, format: FORMAT, outputs, stories }));
  await rename(temporary, join(folder, CACHE_FILE));
}
