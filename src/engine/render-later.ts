/**
 * The dev server's files rendered when first asked for. A build with more files to render
 * than `BuildCache.renderLater` (the first build of a big site, or one after a template or
 * the config changed) renders the first file of each output in each language, so that a
 * template that fails on every file fails the build as it would have, and leaves the
 * others' rendering in their entries. A request renders its file then; the dev server
 * renders the rest a few at a time while no build runs (see DevBuilds). So it answers as
 * soon as the site is planned, and in a while holds every file as before.
 */
import type { Pending, Plan } from '../plan/plan-outputs.js';
import { type BuildCache, type OutputEntry, renderKept } from './build-cache.js';

/**
 * Takes the files to render later out of `plan.pending` and puts their entries, with their
 * rendering, in `entries`. Returns how many it took.
 */
export function renderLater(
  plan: Plan,
  entries: Map<string, OutputEntry>,
  cache: BuildCache,
): number {
  const limit = cache.renderLater;
  if (limit === undefined || plan.pending.length <= limit) return 0;
  const now: Pending[] = [];
  cache.unrendered ??= [];
  const queue = cache.unrendered;
  const seen = new Set<string>();
  let later = 0;
  for (const pending of plan.pending) {
    const { job, key, scope } = pending;
    const kind = `${pending.output} ${job.path.slice(0, job.path.indexOf('/') + 1)}`;
    if (!seen.has(kind)) {
      seen.add(kind);
      now.push(pending);
      continue;
    }
    const feed = plan.feedPaths.has(job.path);
    entries.set(job.path, { key, scope, group: job.group, feed, render: job.render });
    queue.push(job.path);
    later++;
  }
  plan.pending = now;
  return later;
}

/**
 * Renders up to `count` of the files left to render later into one new generation of
 * the store. Returns whether any are left; `failed` hears of each that threw.
 */
export function renderSome(
  cache: BuildCache,
  count: number,
  failed: (path: string, error: unknown) => void,
): boolean {
  const store = cache.store;
  const queue = cache.unrendered ?? [];
  if (!store) return false;
  let generation: number | undefined;
  for (let done = 0; done < count && queue.length; ) {
    const path = queue.pop() as string;
    const entry = cache.outputs.get(path);
    // Rendered on request meanwhile, or planned again by a later build.
    if (!entry?.render) continue;
    done++;
    generation ??= store.begin();
    try {
      renderKept(store, generation, path, entry);
    } catch (error) {
      failed(path, error);
    }
  }
  return queue.length > 0;
}
