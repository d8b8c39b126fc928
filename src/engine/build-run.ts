/**
 * One build as the engine runs it. build.ts calls the stages (load, plan, render) in
 * order; this supplies what they share with earlier and later builds (the cache of parsed
 * stories and of each file's key, the dev server's store of bytes), the second thread, and
 * where the rendered bytes go, and puts the result together.
 */
import type { BuildOptions, BuildResult } from '../build-result.js';
import { type Diagnostic, hasErrors } from '../diagnostics.js';
import type { LoadedSite } from '../load/load-site.js';
import type { LoadMemo, StoryEntry } from '../load/memo.js';
import type { Prepared } from '../load/prepare.js';
import type { OutputFile, Site } from '../model/model.js';
import {
  type OutputKeys,
  type Plan,
  planAssets,
  planOutputs,
  reportUnknownKeys,
} from '../plan/plan-outputs.js';
import type { Templates } from '../render/environment.js';
import { ListKeys } from '../render/keys.js';
import type { RenderContext } from '../render/output.js';
import { type CompiledTemplates, compileTemplates } from '../render/render-files.js';
import { type BuildCache, emptyCache, type OutputEntry, type PlanBasis } from './build-cache.js';
import { changedStories, planBasis, planScope, storiesThen } from './incremental.js';
import { loadMemo } from './memo.js';
import { parseAhead } from './parse-ahead.js';
import type { BuildThread } from './pool.js';
import { renderLater } from './render-later.js';
import { renderFiles } from './render-threads.js';

/**
 * Above this many stories the worker loads its model only when it is sent files to
 * render, as the main thread renders. Both threads building a model of that size at once
 * doubled the kernel's time (93-99 s against 38-47 s at 20,000 stories, cold, two runs
 * each) and made the build 6-16% slower; at 1,000 and 5,000 stories it made it faster.
 */
const PREPARE_MAX_STORIES = 10_000;

export class BuildRun {
  readonly diagnostics: Diagnostic[] = [];
  readonly timings: Record<string, number> = {};
  readonly stats = { markdownMs: 0 };
  /** Threads share parsed stories through a cache, so there is one whenever there are threads. */
  readonly cache?: BuildCache;
  readonly memo?: LoadMemo;
  /** The last build's stories, when this one can be incremental (see incremental.ts). */
  private readonly lastStories?: Map<string, StoryEntry>;
  private readonly lastBasis?: PlanBasis;
  private basis?: PlanBasis;
  private thread?: BuildThread;
  private lapStarted = performance.now();
  private readonly files: OutputFile[] = [];
  private readonly reused: string[] = [];
  private readonly sent: string[] = [];
  /** The entries of the files planned in this build. */
  private readonly entries = new Map<string, OutputEntry>();
  /** The entries the files being planned were last built with. */
  private previous?: Map<string, OutputEntry>;
  /** In an incremental rebuild, the cache's map: the files not planned again stay in it. */
  private kept?: Map<string, OutputEntry>;
  private keptFeeds = 0;
  private workerFiles = 0;
  private later = 0;

  constructor(
    private readonly root: string,
    private readonly options: BuildOptions,
  ) {
    this.cache = options.cache ?? ((options.threads ?? 1) > 1 ? emptyCache() : undefined);
    // Read before loading replaces them; the basis is set again only if this build succeeds.
    this.lastStories = storiesThen(this.cache);
    this.lastBasis = this.cache?.basis;
    if (this.cache) this.cache.basis = undefined;
    this.memo = this.cache && loadMemo(this.cache);
    options.onPhase?.('loading sources');
  }

  /** Records the time since the last lap under `name`. */
  lap(name: string): void {
    const now = performance.now();
    this.timings[name] = now - this.lapStarted;
    this.lapStarted = now;
  }

  /**
   * Parses beside a worker thread, which then stays to render (see parse-ahead.ts): it
   * loads its model from the stories at once, while this thread loads and plans.
   */
  async parseAhead(prepared: Prepared): Promise<void> {
    const { cache, options } = this;
    if (!cache || (options.threads ?? 1) < 2) return;
    this.thread = await parseAhead(this.root, options.strict, prepared, cache, this.stats);
    // Not where most files are rendered later (the dev server's builds): the worker would
    // plan for nothing, and slow this thread down meanwhile.
    if (cache.renderLater === undefined && cache.stories.size <= PREPARE_MAX_STORIES)
      this.thread?.prepare(this.root, options, cache.stories, prepared.parseKey);
  }

  /**
   * The templates, every one compiled. The dev server keeps them compiled while their files
   * are the same, and takes them unread when the watcher saw only stories change; broken
   * ones are never kept, so a later build checks them again.
   */
  templates(): CompiledTemplates | undefined {
    const cache = this.cache;
    const known = cache?.templates;
    if (known && cache?.onlyStoriesChanged) return known;
    const keep = cache?.keepContents === true;
    const compiled = compileTemplates(this.root, this.diagnostics, keep ? known : undefined);
    if (cache && keep) cache.templates = compiled;
    return compiled;
  }

  renderContext(templates: Templates): RenderContext {
    const cache = this.cache;
    if (cache?.keepContents) cache.listKeys ??= new ListKeys();
    return {
      templates,
      diagnostics: this.diagnostics,
      items: cache?.items ?? new Map(),
      itemUses: cache?.keepContents ? undefined : new Map(),
      listKeys: cache?.listKeys,
    };
  }

  /** Plans every file, or in an incremental rebuild those the changed stories can touch. */
  plan(loaded: LoadedSite, context: RenderContext, keys: OutputKeys): Plan<OutputEntry> {
    const { cache, options } = this;
    // Drafts shown or not change which articles there are, with every story as it was.
    const scopes = `${keys.shared} ${keys.forPages} ${options.drafts}`;
    this.basis = planBasis(loaded.site, scopes, loaded.nextEmbargo);
    const before = cache && this.lastStories && changedStories(this.lastStories, cache.stories);
    context.only = cache && planScope(cache, this.lastBasis, before, this.basis, options.now);
    // Feed items depend on the shared part only; the dev server keeps them while it holds.
    if (cache && cache.items.get('shared') !== keys.shared) {
      cache.items.clear();
      cache.items.set('shared', keys.shared);
    }
    this.previous = cache?.outputs;
    if (cache && context.only) this.planOnly(cache, context.only);
    context.listKeys?.begin();
    const plan = planOutputs(loaded.site, context, {
      keys,
      keysApart: cache?.keepContents === true,
      previous: this.previous,
      isKept: (path) => this.isKept(path),
      onPhase: options.onPhase,
    });
    for (const file of plan.unchanged) this.keepUnchanged(file, plan);
    if (!context.only) context.listKeys?.keepAsked();
    this.lap('plan');
    return plan;
  }

  /**
   * Renders what the plan says changed: in two threads when there is enough of it. The dev
   * server leaves most of a big rendering for later (see render-later.ts).
   */
  async render(plan: Plan<OutputEntry>, loaded: LoadedSite): Promise<void> {
    if (this.cache) this.later = renderLater(plan, this.entries, this.cache);
    const threads = this.options.threads ?? 1;
    const { workerFiles } = await renderFiles({
      plan,
      loaded,
      root: this.root,
      options: this.options,
      cache: this.cache,
      thread: this.thread,
      threads,
      diagnostics: this.diagnostics,
      timings: this.timings,
      emit: (file) => this.emit(file, plan),
      entries: this.entries,
      sent: this.sent,
    });
    this.workerFiles = workerFiles;
  }

  /** The result: the files, or, when anything is wrong, none and every problem. */
  finish(loaded: LoadedSite, plan: Plan<OutputEntry>): BuildResult {
    reportUnknownKeys(loaded.locales.unknownKeys, this.diagnostics);
    const planned = plan.planned.size;
    planAssets(plan, loaded.site, (path) => this.isKept(path));
    const cache = this.cache;
    const store = cache?.keepContents ? cache.store : undefined;
    if (hasErrors(this.diagnostics)) {
      // The failed build's generation goes; the entries, and what they name, stay.
      store?.prune(cache?.outputs.values() ?? []);
      return this.failed(loaded.site);
    }
    if (cache) {
      // An incremental `polyfeed build`: the files it did not plan stay in the output too.
      if (this.kept && !cache.keepContents)
        for (const path of this.kept.keys()) if (!this.previous?.has(path)) this.reused.push(path);
      this.remember(cache, store);
    }
    if (!cache?.keepContents)
      this.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      files: this.files,
      feeds: plan.feedPaths.size + this.keptFeeds,
      reused: this.reused,
      sent: this.sent,
      planned,
      rendered: plan.pending.map((p) => p.job.path),
      renderedLater: this.later,
      workerFiles: this.workerFiles,
      assets: loaded.site.assets,
      diagnostics: this.diagnostics,
      site: loaded.site,
      nextEmbargo: loaded.nextEmbargo,
      timings: this.timings,
    };
  }

  failed(site?: Site): BuildResult {
    this.thread?.stop();
    return {
      files: [],
      feeds: 0,
      reused: [],
      sent: [],
      planned: 0,
      rendered: [],
      workerFiles: 0,
      assets: [],
      diagnostics: this.diagnostics,
      site,
      timings: this.timings,
    };
  }

  /**
   * An incremental rebuild: the files outside the changed stories' groups stay as they are
   * in the cache's map (tens of thousands of them); the others are planned again.
   */
  private planOnly(cache: BuildCache, only: ReadonlySet<string>): void {
    this.kept = cache.outputs;
    const again = new Map<string, OutputEntry>();
    this.kept.forEach((entry, path) => {
      if (entry.group === undefined || only.has(entry.group)) again.set(path, entry);
      else if (entry.feed) this.keptFeeds++;
    });
    this.previous = again;
  }

  private isKept(path: string): boolean {
    return this.kept?.has(path) === true && !this.previous?.has(path);
  }

  private keepUnchanged(file: Plan<OutputEntry>['unchanged'][number], plan: Plan): void {
    const { path, previous } = file;
    const keep = this.cache?.keepContents;
    if (previous.contents !== undefined) this.emit({ path, contents: previous.contents }, plan);
    else if (!keep) this.reused.push(path);
    // What an incremental rebuild needs to know of it (see planOnly).
    previous.group = file.group;
    previous.feed = file.feed;
    this.entries.set(path, previous);
  }

  /** A finished file: to the sink as it comes, or into the result (none when kept in memory). */
  private emit(file: OutputFile, plan: Plan): void {
    if (this.cache?.keepContents) return;
    if (plan.feedPaths.has(file.path)) file.feed = true;
    if (this.options.sink) {
      this.options.sink.write(file);
      this.sent.push(file.path);
    } else {
      this.files.push(file);
    }
  }

  /** What the next build plans against: this build's entries and basis. */
  private remember(cache: BuildCache, store: BuildCache['store']): void {
    if (this.kept) {
      // The files planned again replace theirs in the map the dev server serves from.
      for (const path of this.previous?.keys() ?? []) this.kept.delete(path);
      for (const [path, entry] of this.entries) this.kept.set(path, entry);
    } else {
      cache.outputs = this.entries;
    }
    cache.basis = this.basis;
    store?.prune(cache.outputs.values());
  }
}
