/**
 * Rendering a plan's files where the engine keeps them: into the dev server's store, into
 * memory, or to the sink; on two cores when there are enough of them. The worker thread
 * takes the files not made from templates (feeds, sitemaps), which it renders from the
 * same model; this thread renders the pages meanwhile, and hands the worker pages it has
 * not got to when the worker is done. (Handing out files alternately would render each
 * article's feed items in both threads.)
 */
import type { BuildOptions } from '../build-result.js';
import type { Diagnostic } from '../diagnostics.js';
import type { LoadedSite } from '../load/load-site.js';
import type { OutputFile } from '../model/model.js';
import type { Plan } from '../plan/plan-outputs.js';
import { outputs } from '../render/outputs.js';
import { type Progress, renderPending } from '../render/render-files.js';
import type { BuildCache, OutputEntry } from './build-cache.js';
import { BuildThread } from './pool.js';

/** Below this many files to render, a second thread costs more to start than it saves. */
const PARALLEL_JOBS = 400;

/** The fewest pages handed to the worker at a time (each share is a message each way). */
const MIN_SHARE = 16;

export interface RenderFiles {
  plan: Plan<OutputEntry>;
  loaded: LoadedSite;
  root: string;
  options: BuildOptions;
  cache?: BuildCache;
  /** A worker that parsed stories of this build, waiting to render (or none). */
  thread?: BuildThread;
  threads: number;
  diagnostics: Diagnostic[];
  timings: Record<string, number>;
  /** Hands on a finished file (to the sink or the result). */
  emit(file: OutputFile): void;
  /** Filled: each rendered file's entry. */
  entries: Map<string, OutputEntry>;
  /** Filled: files the worker wrote into the sink's folder itself. */
  sent: string[];
}

export async function renderFiles(run: RenderFiles): Promise<{ workerFiles: number }> {
  const { plan, options, diagnostics } = run;
  // The files to render by path, one map for both threads (a big site has tens of
  // thousands).
  const pending: Pending = new Map(plan.pending.map((p) => [p.job.path, p]));
  const rendered = keeper(run, pending);
  if (run.threads > 1 && plan.pending.length >= PARALLEL_JOBS)
    return inTwoThreads(run, rendered, pending);
  run.thread?.stop();
  options.onPhase?.(`rendering ${plan.pending.length} files`);
  await renderPending(plan.pending, rendered, diagnostics, false, run.timings);
  return { workerFiles: 0 };
}

type Rendered = (path: string, rendering: string | Uint8Array) => void;
type Pending = ReadonlyMap<string, Plan<OutputEntry>['pending'][number]>;

/** Where a rendered file goes, with the entry that the next build compares keys with. */
function keeper(run: RenderFiles, pending: Pending): Rendered {
  const { plan, cache, entries } = run;
  const keep = cache?.keepContents;
  // Kept bytes go to the cache's store (the dev server's, on disk), into a generation of
  // this build's own, which only a successful build's entries name (see output-store.ts).
  const store = keep ? cache?.store : undefined;
  const generation = store?.begin();
  return (path, rendering) => {
    const { key = '', scope, job } = pending.get(path) ?? {};
    const feed = plan.feedPaths.has(path);
    if (store && generation !== undefined) {
      store.write(generation, path, rendering);
      entries.set(path, { key, scope, generation, group: job?.group, feed });
      return;
    }
    // Kept in memory, as bytes: strings live in the garbage-collected heap, and a big
    // site's pages are gigabytes the collector would go through on every rebuild; a
    // Buffer's bytes are outside it.
    const contents = keep && typeof rendering === 'string' ? Buffer.from(rendering) : rendering;
    run.emit({ path, contents });
    const group = job?.group;
    entries.set(path, keep ? { key, scope, contents, group, feed } : { key, group, feed });
  };
}

async function inTwoThreads(
  run: RenderFiles,
  rendered: Rendered,
  pending: Pending,
): Promise<{ workerFiles: number }> {
  const { plan, options, cache, diagnostics } = run;
  const started = performance.now();
  options.onPhase?.(`rendering ${plan.pending.length} files in ${run.threads} threads`);
  const templated = new Set(outputs.filter((o) => o.usesTemplates).map((o) => o.name));
  const theirs = plan.pending.filter((p) => !templated.has(p.output));
  const ours = plan.pending.filter((p) => templated.has(p.output));
  let workerFiles = theirs.length;
  // When the worker is done with the feeds, it takes pages this thread has not got to,
  // from the end of the list: first large shares, then smaller ones, so that the two
  // threads finish together whatever the mix of pages and feeds.
  const progress: Progress = { next: 0, end: ours.length };
  const share = () => {
    const paths = takeShare(ours, progress).map((p) => p.job.path);
    workerFiles += paths.length;
    return paths;
  };
  // A file the worker thread wrote into the sink's folder itself.
  const written = (path: string): void => {
    run.sent.push(path);
    const { key = '', job } = pending.get(path) ?? {};
    run.entries.set(path, { key, group: job?.group, feed: plan.feedPaths.has(path) });
  };
  // Their bytes (most of a big site's) are written by the worker when the sink says
  // where: sending them here to be written cost this thread as much as rendering.
  const area = options.sink?.area?.();
  const worker = BuildThread.render(
    run.thread,
    run.root,
    options,
    cache?.stories ?? new Map(),
    cache?.parseKey ?? '',
    theirs.map((p) => p.job.path),
    area ? { area, written } : { rendered },
    share,
  );
  // Should rendering here throw, the build stops the worker (build.ts): its rejection then
  // is no news, and unhandled it would end the process (the dev server's too).
  worker.catch(() => {});
  await renderPending(ours, rendered, diagnostics, true, undefined, progress);
  const report = await worker;
  options.sink?.addChangedFeeds?.(report.changedFeeds);
  diagnostics.push(...report.diagnostics);
  for (const key of report.unknownKeys) run.loaded.locales.unknownKeys.add(key);
  run.timings.parallel = performance.now() - started;
  return { workerFiles };
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
