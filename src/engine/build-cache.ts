/**
 * What one build leaves for the next, so that a rebuild redoes only what changed: the
 * parsed stories (by a stamp of their folder) and the key each output file was rendered
 * from. The dev server keeps it in memory with the files' bytes; `polyfeed build` keeps it
 * in `<site>/.polyfeed-cache/`, outside the output folder, and reuses unchanged files from
 * the previous output.
 *
 * On disk the stories and the files' entries are split into shards by group (a story and
 * its pages, a listing and its feeds), and a build writes only the shards whose entries
 * changed: after an edit, a few of them, instead of 180 MB at 5,000 stories.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { LoadedLocales } from '../i18n/load-locales.js';
import type { ModelBasis, SessionMemo, StoryEntry } from '../load/memo.js';
import { VERSION } from '../paths.js';
import type { Templates } from '../render/environment.js';
import type { ListKeys } from '../render/keys.js';
import {
  readShardFiles,
  readShards,
  replaceFile,
  type Shard,
  writeShards,
} from './cache-shards.js';
import type { OutputStore } from './output-store.js';

export const CACHE_FOLDER = '.polyfeed-cache';
/** The build's basis and what the output folder holds besides its files. */
const CACHE_FILE = 'build.v8';
/** The small part read before deciding whether to build at all. */
const STATE_FILE = 'state.json';
/**
 * Bumped when the cache's shape or the meaning of a key changes (2: article bodies as
 * bytes; 3: an article's version covers its own file and its story's media only; 4:
 * articles and their images carry their rights; 5: no slug positions, read again
 * from the file when an error needs one; 6: the assets the output holds; 7: each file's
 * group and whether it is a feed, and the plan's basis, for incremental planning; 8:
 * split into shards). A cache another version of Polyfeed wrote is not read either: its
 * parsed stories may lack what this one's code expects.
 */
const FORMAT = `8 ${VERSION}`;

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
  /** With `keepContents`: parts of keys made from lists of articles (see listKey). */
  listKeys?: ListKeys;
  /** The UI strings, reused while they and the config are unchanged (memory only). */
  locales?: LoadedLocales;
  /**
   * Set by a caller that watches the story folders (the dev server): only these stories
   * can have changed since the last build, so the others are reused without reading
   * their folder. Unset, every story folder is checked.
   */
  changedStories?: ReadonlySet<string>;
  /**
   * Set by `polyfeed build`, which stamps every input before deciding to build: each story
   * folder's stamp, so that loading does not list and stat the folders again.
   */
  storyStamps?: ReadonlyMap<string, string>;
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
  /**
   * `polyfeed build`: each shard's stories and entries as the disk holds them, so that
   * writeCache writes only the shards whose entries are no longer the same.
   */
  shards?: Shard[];
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

/**
 * The cache's files being read: `polyfeed build` starts reading them as soon as it knows
 * something changed, so that the disk works while the build's modules load (0.2 s).
 */
export interface CacheFiles {
  main: Promise<Buffer | undefined>;
  shards: Promise<Buffer | undefined>[];
}

/** Starts reading the cache's files; each read that fails gives undefined. */
export function readCacheFiles(siteRoot: string): CacheFiles {
  const folder = join(siteRoot, CACHE_FOLDER);
  return {
    main: readFile(join(folder, CACHE_FILE)).catch(() => undefined),
    shards: readShardFiles(folder),
  };
}

/** The cache from its files (read now, unless already being read). */
export async function readCache(
  siteRoot: string,
  files = readCacheFiles(siteRoot),
): Promise<BuildCache> {
  try {
    const main = await files.main;
    // Missing or unreadable (a first build): start afresh.
    if (!main) return emptyCache();
    const data = deserialize(main) as { format: unknown } & BuildCache;
    if (data.format !== FORMAT) return emptyCache();
    const { whole, ...read } = await readShards(files.shards, FORMAT, data.parseKey);
    const cache = { ...data, ...read, items: new Map() };
    // A shard lost or another's: the files it held are unknown, and so is what the output
    // folder holds. Planned against what is left, a build would drop those files.
    if (!whole) forgetOutput(cache);
    return cache;
  } catch {
    // Not in a form this version reads (another wrote it): start afresh, it is only a cache.
    return emptyCache();
  }
}

/** The cache as describing no output folder: the next build renders every file. */
export function forgetOutput(cache: BuildCache): void {
  cache.outDir = undefined;
  cache.outputs.clear();
  cache.assets = undefined;
  cache.basis = undefined;
}

/**
 * Marks the cache on disk as describing no output folder, before `outDir` changes, when
 * it describes that one. A build killed while it updates the folder, or one that keeps no
 * cache (`--no-cache`), must not leave a cache that describes what the folder held
 * before: the next build would keep files it no longer holds, or old bytes after a change
 * undone. The cached stories stay; writeCache describes the folder again.
 */
export async function forgetOutputFolder(siteRoot: string, outDir: string): Promise<void> {
  const folder = join(siteRoot, CACHE_FOLDER);
  if (!existsSync(folder)) return;
  if ((await readState(siteRoot))?.outDir === outDir) await writeState(siteRoot, undefined);
  const file = join(folder, CACHE_FILE);
  let data: BuildCache;
  try {
    data = deserialize(await readFile(file)) as BuildCache;
  } catch {
    return;
  }
  if (data.outDir === outDir) await replaceFile(file, serialize({ ...data, outDir: undefined }));
}

export async function writeCache(siteRoot: string, cache: BuildCache): Promise<void> {
  const folder = join(siteRoot, CACHE_FOLDER);
  cache.shards = await writeShards(folder, FORMAT, cache);
  const {
    items: _memoryOnly,
    locales: _functions,
    model: _devModel,
    templates: _compiled,
    prepared: _reread,
    stories: _inShards,
    outputs: _alsoInShards,
    shards: _asRead,
    storyStamps: _taken,
    ...rest
  } = cache;
  // Last: until it is written, the cache on disk describes no output folder (see
  // forgetOutputFolder), whatever the shards already hold.
  await replaceFile(join(folder, CACHE_FILE), serialize({ ...rest, format: FORMAT }));
}
