/** What a build is asked (BuildOptions) and what it gives back (BuildResult). */
import type { Diagnostic } from './diagnostics.js';
import type { BuildCache } from './engine/build-cache.js';
import type { LoadOptions } from './load/load-site.js';
import type { Asset, OutputFile, Site } from './model/model.js';
import type { OutputSink } from './write/write-output.js';

export interface BuildOptions extends LoadOptions {
  /** Called as the build enters each phase (for progress display). */
  onPhase?: (phase: string) => void;
  /** What an earlier build left: unchanged stories are not parsed again. */
  cache?: BuildCache;
  /** Receives each output file as soon as it is rendered; the result then holds only paths. */
  sink?: OutputSink;
  /** Threads to parse and render with (1: this one only). Needs the compiled lib/. */
  threads?: number;
}

export interface BuildResult {
  /**
   * Output files rendered (or, in memory, reused), sorted by path; empty on errors. Empty
   * too with a cache that keeps contents (the dev server): the output is then the cache's
   * `outputs`, path → entry with the bytes, which only a successful build changes.
   */
  files: OutputFile[];
  /** How many of the files (rendered, sent or reused) are feeds. */
  feeds: number;
  /**
   * Files the previous build wrote with the same key: copy them from `cache.outDir`. In no
   * particular order (sorting the 59,000 of a one-edit rebuild at 5,000 stories took 50 ms).
   */
  reused: string[];
  /** Files handed to `options.sink` as they were rendered (not in `files`). */
  sent: string[];
  /**
   * How many files were planned: all of them, except in an incremental rebuild of the dev
   * server, which keeps the files its changed stories cannot touch (see incremental.ts).
   */
  planned: number;
  /** The paths of the files rendered (the others were kept from the last build or reused). */
  rendered: string[];
  /** Files left to render when first asked for (the dev server, see render-later.ts). */
  renderedLater?: number;
  /**
   * Files the worker thread rendered: those not made from templates (feeds, sitemaps), and
   * the pages it took over when done with them.
   */
  workerFiles: number;
  /** Story files to copy; empty when there are errors. */
  assets: Asset[];
  diagnostics: Diagnostic[];
  site?: Site;
  /** The next instant (epoch ms) the output changes by itself: an embargo ends, the news sitemap moves on. */
  nextEmbargo?: number;
  /** Milliseconds per phase: load (of which markdown), plan, then each output by name. */
  timings: Record<string, number>;
}
