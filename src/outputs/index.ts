/**
 * Every output format, in one list. Each plans the files it writes from the whole site
 * model; adding a format means one module and one line here.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Site } from '../model.js';
import type { Templates } from '../templates/environment.js';
import { ampPages, canonicalPages, pageStylesheet, typoScript } from './amp-pages.js';
import { feedArchives } from './archives.js';
import { atom } from './atom.js';
import { indexPages } from './index-pages.js';
import { jsonFeed } from './json-feed.js';
import { ninjs } from './ninjs.js';
import { opml } from './opml.js';
import { partnerFeeds } from './partners.js';
import { redirectPages } from './redirect-pages.js';
import { republishScript } from './republish.js';
import { rss } from './rss.js';
import { sitemaps } from './sitemaps.js';
import { urlManifest } from './url-manifest.js';

export interface RenderContext {
  templates: Templates;
  /** Problems an output finds in the sources (a stylesheet too large for AMP, say). */
  diagnostics: Diagnostic[];
  /** Finished feed items by article and format, shared by every feed (see to-feed.ts). */
  items: Map<string, unknown>;
  /**
   * How many planned feeds will still use each item: an item is dropped after its last
   * use, so that a big site's items are not all in memory at the end of a build. Left out
   * where the items are kept for the next build (the dev server).
   */
  itemUses?: Map<string, number>;
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

// Files render in this order. Archives come first: they list every older article once,
// so most items are made, used and dropped there; only the newest, which the live feeds
// list too, stay in memory (see RenderContext.itemUses).
export const outputs: readonly Output[] = [
  feedArchives,
  rss,
  atom,
  jsonFeed,
  opml,
  sitemaps,
  partnerFeeds,
  ninjs,
  canonicalPages,
  ampPages,
  pageStylesheet,
  typoScript,
  republishScript,
  indexPages,
  redirectPages,
  urlManifest,
];
