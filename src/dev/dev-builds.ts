/**
 * The dev server's builds: in memory, one at a time (a change seen during one starts the
 * next when it ends), each told what changed since the one before, so that only changed
 * stories are parsed and changed files rendered. While the sources have errors, the last
 * good build stays what is served.
 */
import { type BuildResult, build } from '../build.js';
import { reportLines } from '../cli/report.js';
import type { SiteConfig } from '../config/schema.js';
import { type Diagnostic, hasErrors } from '../diagnostics.js';
import { type BuildCache, emptyCache } from '../engine/build-cache.js';
import { OutputStore } from '../engine/output-store.js';
import type { DevOptions } from './dev-options.js';

/** What the dev server serves: the last good build, and the errors of the sources now. */
export interface ServedBuild {
  /** The last good build: its files are the cache's outputs, which only a good build changes. */
  cache: BuildCache;
  /** Its story files, by output path: the source file to send. */
  assets: Map<string, string>;
  /**
   * The last good build's config. Its `baseUrl` (and the typo endpoint) in served text
   * become this server's address.
   */
  config?: SiteConfig;
  /** Set while the sources have errors. */
  errors?: Diagnostic[];
  /** Counts the builds (good or not): open pages reload when it changes. */
  version: number;
}

/** The builds of one dev server: started by `schedule()`, served from `served`. */
export class DevBuilds {
  /** What the server serves; only the builds change it. */
  readonly served: ServedBuild;
  /** Kept across builds; the files' bytes are on disk, in a temporary folder removed on close. */
  private readonly cache: BuildCache;
  private building: Promise<void> | undefined;
  /** A change was seen while a build ran: build again when it ends. */
  private pending = false;
  /** Story folders seen changing since the last build; undefined: check them all. */
  private changedStories: Set<string> | undefined;
  /** Whether anything else was seen changing (the config, UI strings, templates, assets). */
  private othersChanged = true;

  constructor(
    private readonly root: string,
    private readonly options: DevOptions,
    /** Told the new version after each build, good or not. */
    private readonly built: (version: number) => void,
  ) {
    this.cache = emptyCache(true);
    this.cache.store = new OutputStore();
    this.served = { cache: this.cache, assets: new Map(), version: 0 };
  }

  /** The build running now, if any. */
  get running(): Promise<void> | undefined {
    return this.building;
  }

  /**
   * Notes a change of a source, by its top folder (or file) in the site and, under
   * articles/, its story folder, for the next build to take into account.
   */
  sourceChanged(top: string, story: string | undefined): void {
    if (top === 'articles') {
      if (story) this.changedStories?.add(story);
      else this.changedStories = undefined;
    } else {
      this.othersChanged = true;
    }
  }

  /** Builds now, or once the build running ends. */
  schedule(): void {
    if (this.building) {
      this.pending = true;
      return;
    }
    this.building = this.rebuild().finally(() => {
      this.building = undefined;
      if (this.pending) {
        this.pending = false;
        this.schedule();
      }
    });
  }

  /** Removes the kept files' bytes. Await `running` first. */
  close(): void {
    this.cache.store?.close();
  }

  private async rebuild(): Promise<void> {
    const started = performance.now();
    let result: BuildResult;
    // Changes seen from here on are for the next build.
    this.cache.changedStories = this.changedStories;
    this.cache.onlyStoriesChanged = !this.othersChanged;
    this.changedStories = new Set();
    this.othersChanged = false;
    try {
      result = await build(this.root, {
        now: this.options.now ?? new Date(),
        drafts: this.options.drafts,
        strict: this.options.strict,
        cache: this.cache,
        threads: this.options.threads,
      });
    } catch (error) {
      // A bug, not a content problem: say so and keep serving what we have.
      this.changedStories = undefined;
      this.othersChanged = true;
      this.options.log(`polyfeed: the build crashed: ${(error as Error).stack ?? error}`);
      return;
    }
    this.take(result, started);
    this.served.version++;
    this.built(this.served.version);
  }

  /** Logs the build's problems; then serves it, or, if it has errors, keeps the last good one. */
  private take(result: BuildResult, started: number): void {
    const { served, options } = this;
    for (const { line } of reportLines(result.diagnostics, options.report)) options.log(line);
    if (hasErrors(result.diagnostics)) {
      served.errors = result.diagnostics.filter((d) => d.severity === 'error');
      options.log(`✖ ${served.errors.length} error(s); still serving the last good build`);
    } else {
      served.errors = undefined;
      served.config = result.site?.config ?? served.config;
      served.assets = new Map(result.assets.map((asset) => [asset.path, asset.from]));
      if (!options.report?.quiet)
        options.log(
          `Rebuilt ${this.cache.outputs.size + served.assets.size} files in ${((performance.now() - started) / 1000).toFixed(2)} s (${result.rendered.length} rendered)`,
        );
    }
  }
}
