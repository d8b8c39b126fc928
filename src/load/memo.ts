/**
 * What loading can take from earlier loads instead of doing the work again. The load stage
 * defines these interfaces and uses them; whoever runs builds one after another supplies
 * them (engine/memo.ts, over the build cache) and decides what is kept and for how long.
 * Nothing in load/ knows about caches on disk, worker threads or the dev server.
 */

import type { SiteConfig } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics.js';
import type { LoadedLocales } from '../i18n/load-locales.js';
import type { Article, Asset, Edition } from '../model/model.js';

/** What parsing articles needs: the config, the UI strings, and the key of both. */
export interface Prepared {
  config: SiteConfig;
  locales: LoadedLocales;
  /** Config and locales the stories are parsed under. */
  parseKey: string;
}

/** A story folder as a load parsed it. */
export interface StoryEntry {
  /** Sizes and modification times of every file of the story folder. */
  stamp: string;
  articles: Article[];
  diagnostics: Diagnostic[];
}

/** Stories parsed by earlier loads (or by another thread of this one), by story id. */
export interface StoryMemo {
  /** Starts a load under `parseKey` (config and UI strings): others' stories are stale. */
  begin(parseKey: string): void;
  get(id: string): StoryEntry | undefined;
  set(id: string, entry: StoryEntry): void;
  /** Only these stories exist now. */
  retain(ids: ReadonlySet<string>): void;
  /**
   * The stories a watcher says may have changed since the last load: the others are taken
   * as they are, without reading their folder. Undefined: any story may have changed.
   */
  readonly changed?: ReadonlySet<string>;
  /**
   * The story folder's stamp (see StoryEntry.stamp), when whoever runs the build took it
   * already; else loading lists the folder to make it.
   */
  stamp(id: string): string | undefined;
}

/**
 * What one load leaves for the next in a process that builds again and again (the dev
 * server): the config and UI strings it read, and the site model it made.
 */
export interface SessionMemo {
  /** Nothing but story folders changed since the last load (a watcher says so). */
  readonly onlyStoriesChanged?: boolean;
  prepared?: { strict: boolean; value: Prepared; diagnostics: Diagnostic[] };
  /** The UI strings, which loadLocales reuses while they and the config are unchanged. */
  locales?: LoadedLocales;
  model?: ModelBasis;
}

/** The model a load made, which the next updates around the changed stories (editions.ts). */
export interface ModelBasis {
  /** Config and UI strings it was made under. */
  parseKey: string;
  drafts: boolean;
  /** When the next embargo ends: from then on the model is made again. */
  until?: number;
  editions: Edition[];
  /** The stories' published files, by output path. */
  media: Map<string, Asset>;
}

export interface LoadMemo {
  stories: StoryMemo;
  /** Only where builds follow one another in one process. */
  session?: SessionMemo;
}
