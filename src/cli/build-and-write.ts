/** The part of `polyfeed build` that runs when something changed: build, write, keep the cache. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../build.js';
import { emptyCache, readCache, writeCache, writeState } from '../cache/build-cache.js';
import { hasErrors, summarizeDiagnostics } from '../diagnostics.js';
import type { BuildOptions } from '../load-site.js';
import { writeOutput } from '../write-output.js';
import { ExitCode } from './command.js';
import { buildSummary, printDiagnostics, progressReporter } from './report.js';

export interface BuildRun {
  root: string;
  out: string;
  options: BuildOptions;
  useCache: boolean;
  /** The input stamp this build is made from (see cache/input-stamp.ts). */
  stamp: string;
  started: number;
  quiet: boolean;
}

export async function buildAndWrite(run: BuildRun): Promise<number> {
  const cache = run.useCache ? await readCache(run.root) : emptyCache();
  // Reused files come from the output folder the cache describes: another folder, none.
  if (cache.outDir !== run.out) cache.outputs.clear();
  const progress = progressReporter();
  let result = await build(run.root, { ...run.options, cache, onPhase: progress.phase });
  if (result.reused.some((path) => !existsSync(join(run.out, path)))) {
    // Someone removed files from the output folder: render everything again.
    cache.outputs.clear();
    result = await build(run.root, { ...run.options, cache, onPhase: progress.phase });
  }
  progress.done();
  printDiagnostics(result.diagnostics);
  if (hasErrors(result.diagnostics)) {
    process.stderr.write(
      `\n✖ ${summarizeDiagnostics(result.diagnostics)}; nothing was written to ${run.out}\n`,
    );
    return ExitCode.ContentErrors;
  }
  if (run.useCache) await writeState(run.root, undefined);
  await writeOutput(run.out, result.files, result.assets, result.reused);
  if (run.useCache) {
    cache.outDir = run.out;
    await writeCache(run.root, cache);
    await writeState(run.root, {
      outDir: run.out,
      inputs: run.stamp,
      nextEmbargo: result.nextEmbargo,
    });
  }
  if (!run.quiet) {
    const reused = result.reused.length ? `; ${result.reused.length} unchanged files kept` : '';
    process.stdout.write(
      `${buildSummary(result, (performance.now() - run.started) / 1000)}${reused} → ${run.out}\n`,
    );
  }
  return ExitCode.Ok;
}
