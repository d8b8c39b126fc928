/**
 * The dev server's builds: in memory, one at a time (a change seen during one starts the
 * next when it ends), each told what changed since the one before, so that only changed
 * stories are parsed and changed files rendered. While the sources have errors, the last
 * good build stays what is served. A build of many files renders most of them later: when
 * a request asks for one, and a few at a time while no build runs (see render-later.ts).
 */
import { type BuildResult, build } from '../build.js';
import { reportLines } from '../cli/report.js';
import type { SiteConfig } from '../config/schema.js';
import { type Diagnostic, hasErrors } from '../diagnostics.js';
import { type BuildCache, emptyCache } from '../engine/build-cache.js';
import { OutputStore } from '../engine/output-store.js';
import { renderSome } from '../engine/render-later.js';
import { TemplateError } from '../render/environment.js';
import { templateDiagnostic } from '../render/render-files.js';
import type { DevOptions } from './dev-options.js';

/**
 * A build with more files to render than this renders them later. An edited story's files
 * are fewer, and are rendered by its build (whose errors then fail it).
 */
const RENDER_LATER = 400;
/** The files rendered between two looks at the event loop (a few milliseconds). */
const FILL_STEP = 16;

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
  /** The next build is a recheck: it logs and reloads pages only if something changed. */
  private quietUnlessChanged = false;
  /** Files left to render are being rendered, a few at a time. */
  private filling = false;
  private closed = false;
  /** Template errors met while filling, each logged once. */
  private readonly fillErrors = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly options: DevOptions,
    /** Told the new version after each build, good or not. */
    private readonly built: (version: number) => void,
  ) {
    this.cache = emptyCache(true);
    this.cache.store = new OutputStore();
    this.cache.renderLater = options.renderLater ?? RENDER_LATER;
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

  /**
   * Checks every source again, as the first build did (the watcher has taken its first
   * look, and a change made before it did was not seen). Says nothing if nothing changed.
   */
  recheck(): void {
    this.changedStories = undefined;
    this.othersChanged = true;
    this.quietUnlessChanged = true;
    this.schedule();
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
      } else {
        this.fill();
      }
    });
  }

  /** Removes the kept files' bytes. Await `running` first. */
  close(): void {
    this.closed = true;
    this.cache.store?.close();
  }

  /**
   * Renders the files left to render, a few at a time while no build runs, so that requests
   * are answered meanwhile; a build stops it, and starts it again when it ends.
   */
  private fill(): void {
    if (this.filling) return;
    this.filling = true;
    const step = (): void => {
      const more =
        !this.closed &&
        !this.building &&
        renderSome(this.cache, FILL_STEP, (path, error) => this.fillFailed(path, error));
      if (more) setImmediate(step);
      else this.filling = false;
    };
    setImmediate(step);
  }

  private fillFailed(path: string, error: unknown): void {
    if (!(error instanceof TemplateError)) {
      this.options.log(`polyfeed: rendering ${path} crashed: ${(error as Error).stack ?? error}`);
      return;
    }
    const lines = reportLines([templateDiagnostic(error)], this.options.report);
    for (const { line } of lines) {
      if (this.fillErrors.has(line)) continue;
      this.fillErrors.add(line);
      this.options.log(line);
    }
  }

  private async rebuild(): Promise<void> {
    const started = performance.now();
    let result: BuildResult;
    // Changes seen from here on are for the next build.
    this.cache.changedStories = this.changedStories;
    this.cache.onlyStoriesChanged = !this.othersChanged;
    this.changedStories = new Set();
    this.othersChanged = false;
    const quiet = this.quietUnlessChanged;
    this.quietUnlessChanged = false;
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
    const unchanged = !result.rendered.length && !result.renderedLater && !this.served.errors;
    if (quiet && unchanged && !hasErrors(result.diagnostics)) return;
    this.fillErrors.clear();
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
      const later = result.renderedLater ? `, ${result.renderedLater} when first asked for` : '';
      if (!options.report?.quiet)
        options.log(
          `Rebuilt ${this.cache.outputs.size + served.assets.size} files in ${((performance.now() - started) / 1000).toFixed(2)} s (${result.rendered.length} rendered${later})`,
        );
    }
  }
}
