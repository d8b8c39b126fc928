/**
 * A build: load → plan every output file → render what changed → (only when nothing is
 * wrong) hand the files to the writer. Everything here happens in memory, so tests build
 * fixture sites without touching disk.
 */

import { type Diagnostic, FileReport, hasErrors, sortDiagnostics } from './diagnostics.js';
import { digest } from './digest.js';
import { type BuildCache, emptyCache, type OutputEntry } from './engine/build-cache.js';
import { planBasis, planScope, storiesBefore } from './engine/incremental.js';
import { boundHeapGrowthForLargeSites } from './engine/memory.js';
import { BuildThread } from './engine/pool.js';
import { type BuildOptions, loadSite } from './load/load-site.js';
import type { Asset, OutputFile, Site } from './model/model.js';
import { VERSION } from './paths.js';
import { createTemplates, TemplateError, type Templates } from './render/environment.js';
import type { OutputJob, RenderContext } from './render/output.js';
import { outputs } from './render/outputs.js';
import { stylesheet } from './render/page-model.js';

export interface BuildResult {
  /**
   * Output files rendered (or, in memory, reused), sorted by path; empty on errors. Empty
   * too with a cache that keeps contents (the dev server): the output is then the cache's
   * `outputs`, path → entry with the bytes, which only a successful build changes.
   */
  files: OutputFile[];
  /** How many of the files (rendered, sent or reused) are feeds. */
  feeds: number;
  /** Files the previous build wrote with the same key: copy them from `cache.outDir`. */
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

export async function build(root: string, options: BuildOptions): Promise<BuildResult> {
  boundHeapGrowthForLargeSites(root);
  const result = await buildUnsorted(root, options);
  // Stories load concurrently, so problems arrive in any order; callers get them sorted,
  // each once: a broken partial fails every output that includes it, in both threads.
  const unique = new Map(result.diagnostics.map((d) => [JSON.stringify(d), d]));
  return { ...result, diagnostics: sortDiagnostics([...unique.values()]) };
}

async function buildUnsorted(root: string, options: BuildOptions): Promise<BuildResult> {
  const diagnostics: Diagnostic[] = [];
  const timings: Record<string, number> = {};
  const failed = (site?: Site): BuildResult => ({
    files: [],
    feeds: 0,
    reused: [],
    sent: [],
    planned: 0,
    rendered: [],
    workerFiles: 0,
    assets: [],
    diagnostics,
    site,
    timings,
  });
  options.onPhase?.('loading sources');
  let phaseStarted = performance.now();
  // Threads share parsed stories through a cache, so there is one whenever there are threads.
  const cache = options.cache ?? ((options.threads ?? 1) > 1 ? emptyCache() : undefined);
  // Read before loading replaces them; the basis is set again only if this build succeeds.
  const before = storiesBefore(cache);
  const lastBasis = cache?.basis;
  if (cache) cache.basis = undefined;
  const loaded = await loadSite(root, { ...options, cache }, diagnostics);
  // Checked even when the articles are broken, so that one run reports every problem.
  const compiled = loadTemplates(root, cache, diagnostics);
  timings.load = performance.now() - phaseStarted;
  timings.markdown = loaded?.markdownMs ?? 0;
  if (!loaded || !compiled || hasErrors(diagnostics)) {
    loaded?.thread?.stop();
    return failed();
  }
  const { site, locales } = loaded;

  const { templates, fingerprint: templatesKey } = compiled;
  const context: RenderContext = {
    templates,
    diagnostics,
    items: cache?.items ?? new Map(),
    itemUses: cache?.keepContents ? undefined : new Map(),
  };
  // What every file depends on, and what pages depend on besides (templates, stylesheet:
  // feeds do not use them, so a template edit re-renders pages only). The stylesheet is
  // read here so that its size is always checked.
  const shared = digest(
    VERSION,
    JSON.stringify(site.config),
    locales.fingerprint,
    JSON.stringify([site.logo, site.icon]),
  );
  const forPages = digest(shared, templatesKey, stylesheet(context));
  const basis = planBasis(site, `${shared} ${forPages}`, loaded.nextEmbargo);
  context.only = cache && planScope(cache, lastBasis, before, basis, options.now);
  // Feed items depend on the shared part only; the dev server keeps them while it holds.
  if (cache && cache.items.get('shared') !== shared) {
    cache.items.clear();
    cache.items.set('shared', shared);
  }

  const files: OutputFile[] = [];
  const reused: string[] = [];
  // With a sink, files go out as they are rendered instead of piling up in memory.
  const sent: string[] = [];
  const sink = options.sink;
  const feedPaths = new Set<string>();
  const keep = cache?.keepContents;
  const emit = (file: OutputFile): void => {
    if (keep) return;
    if (feedPaths.has(file.path)) file.feed = true;
    if (sink) {
      sink.write(file);
      sent.push(file.path);
    } else {
      files.push(file);
    }
  };
  phaseStarted = performance.now();
  // The entries of the files planned in this build.
  const entries = new Map<string, OutputEntry>();
  // The entries the files being planned were last built with.
  let previousEntries = cache?.outputs;
  // In an incremental rebuild, the files outside the changed stories' groups stay as they
  // are in the cache's map (tens of thousands of them); the others are planned again.
  let kept: Map<string, OutputEntry> | undefined;
  const pending: Pending[] = [];
  const planned = new Set<string>();
  let keptFeeds = 0;
  if (context.only && cache) {
    const only = context.only;
    kept = cache.outputs;
    const planAgain = new Map<string, OutputEntry>();
    kept.forEach((entry, path) => {
      if (entry.group === undefined || only.has(entry.group)) planAgain.set(path, entry);
      else if (entry.feed) keptFeeds++;
    });
    previousEntries = planAgain;
  }
  const isKept = (path: string) => kept?.has(path) === true && !previousEntries?.has(path);
  for (const [i, output] of outputs.entries()) {
    options.onPhase?.(`planning ${output.name} (${i + 1}/${outputs.length})`);
    const base = output.usesTemplates ? forPages : shared;
    // Kept in memory (the dev server), a key is compared as it is, apart from what all of
    // the output's files depend on (`scope`), which costs less than hashing or joining
    // them; written to the cache file, it is hashed to stay small.
    const scope = keep ? `${base}\u0000${output.name}` : undefined;
    for (const job of output.plan(site, context)) {
      // Two outputs writing one path is a bug in an output module, not a user mistake.
      if (planned.has(job.path) || isKept(job.path))
        throw new Error(`two outputs write ${job.path}`);
      planned.add(job.path);
      if (output.feeds) feedPaths.add(job.path);
      const key = scope ? job.key : digest(base, output.name, job.key);
      const previous = previousEntries?.get(job.path);
      if (previous?.key === key && previous.scope === scope) {
        if (previous.contents !== undefined) emit({ path: job.path, contents: previous.contents });
        else if (!keep) reused.push(job.path);
        if (scope) {
          // Kept in memory: what an incremental rebuild needs to know of it (see above).
          previous.group = job.group;
          previous.feed = output.feeds;
        }
        entries.set(job.path, previous);
      } else {
        pending.push({ output: output.name, job, key, scope });
      }
    }
  }
  timings.plan = performance.now() - phaseStarted;
  const pendingKeys = new Map(pending.map((p) => [p.job.path, p]));
  // Kept bytes go to the cache's store (the dev server's, on disk), into a generation of
  // this build's own, which only a successful build's entries name (see output-store.ts).
  const store = keep ? cache?.store : undefined;
  const generation = store?.begin();
  const rendered = (path: string, rendering: string | Uint8Array): void => {
    const { key = '', scope, job } = pendingKeys.get(path) ?? {};
    const feed = feedPaths.has(path);
    if (store && generation !== undefined) {
      store.write(generation, path, rendering);
      entries.set(path, { key, scope, generation, group: job?.group, feed });
      return;
    }
    // Kept in memory, as bytes: strings live in the garbage-collected heap, and a big
    // site's pages are gigabytes the collector would go through on every rebuild; a
    // Buffer's bytes are outside it.
    const contents = keep && typeof rendering === 'string' ? Buffer.from(rendering) : rendering;
    emit({ path, contents });
    entries.set(path, scope ? { key, scope, contents, group: job?.group, feed } : { key });
  };
  // A file the worker thread wrote into the sink's folder itself.
  const written = (path: string): void => {
    sent.push(path);
    entries.set(path, { key: pendingKeys.get(path)?.key ?? '' });
  };
  phaseStarted = performance.now();
  let workerFiles = 0;
  const threads = options.threads ?? 1;
  if (threads > 1 && pending.length >= PARALLEL_JOBS) {
    // The feeds go to a worker thread, which builds the same model from the stories parsed
    // here; this thread renders the pages meanwhile. (Handing out files alternately would
    // render each article's feed items in both threads.)
    options.onPhase?.(`rendering ${pending.length} files in ${threads} threads`);
    const templated = new Set(outputs.filter((o) => o.usesTemplates).map((o) => o.name));
    const theirs = pending.filter((p) => !templated.has(p.output));
    const ours = pending.filter((p) => templated.has(p.output));
    workerFiles = theirs.length;
    // When the worker is done with the feeds, it takes pages this thread has not got to,
    // from the end of the list: first large shares, then smaller ones, so that the two
    // threads finish together whatever the mix of pages and feeds.
    const progress: Progress = { next: 0, end: ours.length };
    const share = () => {
      const paths = takeShare(ours, progress).map((p) => p.job.path);
      workerFiles += paths.length;
      return paths;
    };
    const stories = cache?.stories ?? new Map();
    // Their bytes (most of a big site's) are written by the worker when the sink says
    // where: sending them here to be written cost this thread as much as rendering.
    const area = sink?.area?.();
    const worker = BuildThread.render(
      loaded.thread,
      root,
      options,
      stories,
      cache?.parseKey ?? '',
      theirs.map((p) => p.job.path),
      area ? { area, written } : { rendered },
      share,
    );
    await renderPending(ours, rendered, diagnostics, true, undefined, progress);
    const report = await worker;
    sink?.addChangedFeeds?.(report.changedFeeds);
    diagnostics.push(...report.diagnostics);
    for (const key of report.unknownKeys) locales.unknownKeys.add(key);
    timings.parallel = performance.now() - phaseStarted;
  } else {
    loaded.thread?.stop();
    options.onPhase?.(`rendering ${pending.length} files`);
    await renderPending(pending, rendered, diagnostics, false, timings);
  }
  for (const key of [...locales.unknownKeys].sort()) {
    new FileReport('templates', diagnostics).error(
      'i18n/unknown-key',
      `a template uses the key "${key}", which no locale file has`,
    );
  }
  const plannedFiles = planned.size;
  for (const asset of site.assets) {
    if (planned.has(asset.path) || isKept(asset.path))
      throw new Error(`two outputs write ${asset.path}`);
    planned.add(asset.path);
  }
  if (hasErrors(diagnostics)) {
    // The failed build's generation goes; the entries, and what they name, stay.
    store?.prune(cache?.outputs.values() ?? []);
    return failed(site);
  }
  if (cache) {
    if (kept) {
      // The files planned again replace theirs in the map the dev server serves from.
      for (const path of previousEntries?.keys() ?? []) kept.delete(path);
      for (const [path, entry] of entries) kept.set(path, entry);
    } else {
      cache.outputs = entries;
    }
    cache.basis = basis;
    store?.prune(cache.outputs.values());
  }
  if (!keep) files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    feeds: feedPaths.size + keptFeeds,
    reused: reused.sort(),
    sent,
    planned: plannedFiles,
    rendered: pending.map((p) => p.job.path),
    workerFiles,
    assets: site.assets,
    diagnostics,
    site,
    nextEmbargo: loaded.nextEmbargo,
    timings,
  };
}

/**
 * The site's templates, every one compiled; undefined (and reported) when any has a syntax
 * error. The dev server keeps them compiled while their files are the same, and takes them
 * as they are, unread, when the watcher saw only stories change.
 */
function loadTemplates(
  root: string,
  cache: BuildCache | undefined,
  diagnostics: Diagnostic[],
): { templates: Templates; fingerprint: string } | undefined {
  const known = cache?.templates;
  if (known && cache?.onlyStoriesChanged) return known;
  const templates = createTemplates(root);
  const fingerprint = templates.fingerprint();
  if (cache?.keepContents && known?.fingerprint === fingerprint) return known;
  const errors = templates.compile();
  for (const error of errors) reportTemplateError(error, diagnostics);
  // Never kept broken: a later build that sees only stories change must check them again.
  if (cache?.keepContents) cache.templates = errors.length ? undefined : { templates, fingerprint };
  return errors.length ? undefined : { templates, fingerprint };
}

function reportTemplateError(error: TemplateError, diagnostics: Diagnostic[]): void {
  new FileReport(error.file, diagnostics).error(
    `template/${error.phase}`,
    error.message,
    undefined,
    {
      line: error.line,
      column: error.column,
    },
  );
}

/** A file to render, and the key it will be cached under. */
interface Pending {
  output: string;
  job: OutputJob;
  key: string;
  /** See OutputEntry.scope. */
  scope?: string;
}

/** Below this many files to render, a second thread costs more to start than it saves. */
const PARALLEL_JOBS = 400;

/** The fewest pages handed to the worker at a time (each share is a message each way). */
const MIN_SHARE = 16;

/**
 * A list one thread renders from the front while another takes from its end: the index
 * of the next file to render, and where the part handed over starts.
 */
export interface Progress {
  next: number;
  end: number;
}

/**
 * Takes files off the end of a list another thread renders (see Progress), none it has
 * started: a third of what is left, at least MIN_SHARE.
 */
export function takeShare<T>(list: readonly T[], progress: Progress): T[] {
  const left = progress.end - progress.next;
  const start = Math.max(progress.next, progress.end - Math.max(MIN_SHARE, Math.floor(left / 3)));
  const taken = list.slice(start, progress.end);
  progress.end = start;
  return taken;
}

/**
 * Renders files in order. A template error is reported once and stops that output (every
 * file of it would fail alike). With `yielding`, lets the event loop run now and then, so
 * that a worker's finished files are written while this thread renders.
 */
export async function renderPending(
  pending: readonly Pending[],
  rendered: (path: string, contents: string | Uint8Array) => void,
  diagnostics: Diagnostic[],
  yielding: boolean,
  timings?: Record<string, number>,
  progress?: Progress,
): Promise<void> {
  const broken = new Set<string>();
  let last = performance.now();
  for (let i = 0; i < (progress?.end ?? pending.length); i++) {
    if (progress) progress.next = i + 1;
    const { output, job } = pending[i] as Pending;
    if (broken.has(output)) continue;
    try {
      rendered(job.path, job.render());
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      broken.add(output);
      reportTemplateError(error, diagnostics);
    }
    if (timings) {
      const now = performance.now();
      timings[output] = (timings[output] ?? 0) + now - last;
      last = now;
    }
    if (yielding && i % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
  }
}
