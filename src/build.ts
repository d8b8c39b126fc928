/**
 * A build, stage by stage: load the sources into the site model, plan every output file,
 * render what changed, and hand the files to the writer (only when nothing is wrong).
 * Everything happens in memory, so tests build fixture sites without touching disk. What
 * a build shares with earlier and later ones (caches, the second thread, the dev server's
 * store) is the engine's, in BuildRun; the stages know nothing of it.
 */
import type { BuildOptions, BuildResult } from './build-result.js';
import { hasErrors, sortDiagnostics } from './diagnostics.js';
import { BuildRun } from './engine/build-run.js';
import { boundHeapGrowthForLargeSites } from './engine/memory.js';
import { loadModel } from './load/load-site.js';
import { prepare } from './load/prepare.js';
import { outputKeys } from './plan/plan-outputs.js';
import { prepareRuntime } from './render/environment.js';
import { stylesheet } from './render/page-model.js';

export type { BuildOptions, BuildResult } from './build-result.js';

export async function build(root: string, options: BuildOptions): Promise<BuildResult> {
  prepareRuntime();
  boundHeapGrowthForLargeSites(root);
  const result = await stages(root, options);
  // Stories load concurrently, so problems arrive in any order; callers get them sorted,
  // each once: a broken partial fails every output that includes it, in both threads.
  const unique = new Map(result.diagnostics.map((d) => [JSON.stringify(d), d]));
  return { ...result, diagnostics: sortDiagnostics([...unique.values()]) };
}

async function stages(root: string, options: BuildOptions): Promise<BuildResult> {
  const run = new BuildRun(root, options);
  try {
    return await runStages(run, root, options);
  } catch (error) {
    // An exception (a file that cannot be read, a bug): the worker thread goes with the
    // build, not left holding every story it parsed, or writing into a removed folder.
    run.failed();
    throw error;
  }
}

async function runStages(run: BuildRun, root: string, options: BuildOptions): Promise<BuildResult> {
  const { diagnostics } = run;

  // Load: config and UI strings, then the stories (on two cores if asked), then the model.
  const prepared = await prepare(root, options.strict, diagnostics, run.memo?.session);
  if (prepared) await run.parseAhead(prepared);
  const loaded =
    prepared && (await loadModel(root, prepared, options, diagnostics, run.memo, run.stats));
  // Checked even when the articles are broken, so that one run reports every problem.
  const compiled = run.templates();
  run.lap('load');
  run.timings.markdown = run.stats.markdownMs;
  if (!loaded || !compiled || hasErrors(diagnostics)) return run.failed();

  // Plan: every file with the key of what its bytes depend on; unchanged ones are kept.
  const context = run.renderContext(compiled.templates);
  const keys = outputKeys(
    loaded.site,
    loaded.locales.fingerprint,
    compiled.fingerprint,
    // Read here, so that its size is always checked.
    stylesheet(context),
  );
  const plan = run.plan(loaded, context, keys);

  // Render what changed, then the result: the files, or every problem and none.
  await run.render(plan, loaded);
  return run.finish(loaded, plan);
}
