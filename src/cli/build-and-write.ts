/** The part of `polyfeed build` that runs when something changed: build, write, keep the cache. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildResult, build } from '../build.js';
import type { BuildOptions } from '../build-result.js';
import { hasErrors, summarizeDiagnostics } from '../diagnostics.js';
import {
  type BuildCache,
  type CacheFiles,
  emptyCache,
  forgetOutput,
  forgetOutputFolder,
  readCache,
  writeCache,
  writeState,
} from '../engine/build-cache.js';
import type { InputStamp } from '../engine/input-stamp.js';
import { urlOf } from '../model/urls.js';
import { recordChangedFeeds } from '../websub.js';
import { findMissing } from '../write/find-missing.js';
import { readPublishedUrls, StagedOutput } from '../write/write-output.js';
import { ExitCode } from './command.js';
import { buildSummary, printDiagnostics, progressReporter, type ReportOptions } from './report.js';

/** What `polyfeed build` asks of buildAndWrite (not the engine's BuildRun, engine/build-run.ts). */
export interface WriteJob {
  root: string;
  out: string;
  options: BuildOptions;
  useCache: boolean;
  /**
   * The cache's files, already being read (see readCacheFiles). The build takes them and
   * clears this: their buffers are not kept through the build, and a build again (when a
   * kept file is missing) reads the cache it rewrote.
   */
  cacheFiles?: CacheFiles;
  /** The input stamp this build is made from (see engine/input-stamp.ts). */
  stamp: InputStamp;
  started: number;
  /** How much to print (--verbose, --quiet). */
  report: ReportOptions;
}

export async function buildAndWrite(run: WriteJob): Promise<number> {
  const cache = await openCache(run);
  // Checked beside the build, on the other core (see find-missing.ts).
  const gone = cache.outputs.size ? findMissing(run.out, [...cache.outputs.keys()]) : undefined;
  // What the output folder holds now, as the last build wrote it.
  const before = [...cache.outputs.keys(), ...(cache.assets ?? [])];
  // Where the current output published each article: a rename since then gets a redirect.
  const published = readPublishedUrls(run.out);
  if (published.problem) process.stderr.write(`polyfeed: warning: ${published.problem}\n`);
  const progress = progressReporter();
  // Files are written into the new folder as they are rendered; only if the whole build
  // succeeds do they reach the output folder, swapped in whole or moved in (writeFiles).
  // It notes the feeds whose bytes differ from the current output's, for WebSub.
  const staged = new StagedOutput(run.out, { compareFeeds: true });
  try {
    const result = await build(run.root, {
      ...run.options,
      published: published.manifest,
      cache,
      onPhase: progress.phase,
      sink: staged,
    });
    progress.done();
    printDiagnostics(result.diagnostics, process.stderr, run.report);
    if (hasErrors(result.diagnostics)) {
      await staged.abort();
      process.stderr.write(
        `\n✖ ${summarizeDiagnostics(result.diagnostics)}; nothing was written to ${run.out}\n`,
      );
      return ExitCode.ContentErrors;
    }
    const goneNow = await gone;
    const missing = result.reused.find((path) =>
      goneNow ? goneNow.has(path) : !existsSync(join(run.out, path)),
    );
    if (missing) {
      // Someone changed the output folder behind our back: build every file again. The
      // cache keeps its stories and describes no output folder, so no build plans against
      // files it did not write (keeping what it knows nothing of, it would drop the rest).
      await staged.abort();
      await writeState(run.root, undefined);
      forgetOutput(cache);
      await writeCache(run.root, cache);
      return buildAndWrite(run);
    }
    await forgetOutputFolder(run.root, run.out);
    await writeFiles(staged, result, before);
    await recordChangedFeeds(
      run.root,
      staged.changedFeeds.map((path) => urlOf(result.site?.config.baseUrl ?? '', path)),
    );
    if (run.useCache) {
      cache.outDir = run.out;
      cache.assets = result.assets.map((asset) => asset.path);
      await writeCache(run.root, cache);
      await writeState(run.root, {
        outDir: run.out,
        inputs: run.stamp.inputs,
        nextEmbargo: result.nextEmbargo,
      });
    }
    if (!run.report.quiet) {
      const reused = result.reused.length ? `; ${result.reused.length} unchanged files kept` : '';
      process.stdout.write(
        `${buildSummary(result, (performance.now() - run.started) / 1000)}${reused} → ${run.out}\n`,
      );
    }
    return ExitCode.Ok;
  } catch (error) {
    await staged.abort();
    throw error;
  }
}

/** The cache the last build left, for this one's output folder and input stamp. */
async function openCache(run: WriteJob): Promise<BuildCache> {
  const files = run.cacheFiles;
  run.cacheFiles = undefined;
  const cache = run.useCache ? await readCache(run.root, files) : emptyCache();
  // Reused files come from the output folder the cache describes: another folder, none.
  // Without the files' entries, an incremental plan would keep files it knows nothing of.
  if (cache.outDir !== run.out || !existsSync(run.out) || !cache.outputs.size) forgetOutput(cache);
  cache.storyStamps = run.stamp.stories;
  return cache;
}

/**
 * Puts the build's files in place. When it kept more files than it wrote (a rebuild after
 * an edit), the files it wrote are moved into the output folder and the ones it no longer
 * writes removed; otherwise the new folder, with the kept files linked into it, replaces
 * the output whole.
 */
async function writeFiles(
  staged: StagedOutput,
  result: BuildResult,
  before: readonly string[],
): Promise<void> {
  if (result.reused.length && result.reused.length >= result.sent.length) {
    for (const asset of result.assets) staged.copyIfChanged(asset);
    const now = new Set([...result.reused, ...result.sent, ...result.assets.map((a) => a.path)]);
    await staged.updateInPlace(before.filter((path) => !now.has(path)));
    return;
  }
  for (const path of result.reused) staged.reuse(path);
  for (const asset of result.assets) staged.copy(asset);
  await staged.commit();
}
