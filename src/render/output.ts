/**
 * The output contract: what every output module implements and the build calls. Outputs
 * import it from here, never the registry (outputs.ts), which imports them all.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Site } from '../model/model.js';
import type { Templates } from './environment.js';
import type { ListKeys } from './keys.js';

export interface RenderContext {
  templates: Templates;
  /** Problems an output finds in the sources (a stylesheet too large for AMP, say). */
  diagnostics: Diagnostic[];
  /** Finished feed items by article and format, shared by every feed (see to-feed.ts). */
  items: Map<string, unknown>;
  /**
   * How many feeds this thread is still to render will use each item (see
   * OutputJob.countItemUses): an item is dropped after its last use, so that a big site's
   * items are not all in memory at the end of a build. Left out where the items are kept
   * for the next build (the dev server).
   */
  itemUses?: Map<string, number>;
  /** Where the dev server keeps keys made from lists of articles between rebuilds (see listKey). */
  listKeys?: ListKeys;
  /**
   * An incremental rebuild (the dev server after some stories changed): plan only the
   * files of these groups (see OutputJob.group); the others are kept from the last build.
   */
  only?: ReadonlySet<string>;
}

/** One file an output writes, and what its bytes depend on. */
export interface OutputJob {
  /** Relative to the output folder. */
  path: string;
  /**
   * Everything the file's bytes depend on besides what every file does (config, locales,
   * templates, Polyfeed's version): the same key, the same bytes, so an incremental build
   * reuses the file instead of rendering it.
   */
  key: string;
  /** Pure: no I/O, no clock. */
  render(): string | Uint8Array;
  /**
   * A feed: counts in RenderContext.itemUses the items its rendering takes. Called for
   * the files a thread is given to render, before it renders the first: a file kept from
   * the last build, or given to the other thread, uses none here. (The main thread's list
   * is counted whole, though the worker may take its end; it holds pages only.)
   */
  countItemUses?(): void;
  /**
   * The part of the site whose articles alone the file depends on, besides what every file
   * does: a listing (`listingGroup`) or a story (`storyGroup`). A file with a group is
   * planned only when its group is in `RenderContext.only`; one without is always planned.
   */
  group?: string;
}

export interface Output {
  /** Stable name, used in progress and diagnostics. */
  name: string;
  /** Whether its files come from the templates (and so change when a template does). */
  usesTemplates: boolean;
  /** Whether its files are feeds: WebSub is told when they change, the summary counts them. */
  feeds: boolean;
  plan(site: Site, context: RenderContext): OutputJob[];
}
