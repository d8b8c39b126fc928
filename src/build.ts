/**
 * A build: load → plan every output file → render what changed → (only when nothing is
 * wrong) hand the files to the writer. Everything here happens in memory, so tests build
 * fixture sites without touching disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildCache, OutputEntry } from './cache/build-cache.js';
import { digest } from './cache/fingerprint.js';
import { type Diagnostic, FileReport, hasErrors, sortDiagnostics } from './diagnostics.js';
import { type BuildOptions, loadSite } from './load-site.js';
import type { Asset, OutputFile, Site } from './model.js';
import { outputs, type RenderContext } from './outputs/index.js';
import { stylesheet } from './outputs/page-model.js';
import { PACKAGE_ROOT } from './paths.js';
import { createTemplates, TemplateError } from './templates/environment.js';

export interface BuildResult {
  /** Output files rendered (or, in memory, reused), sorted by path; empty on errors. */
  files: OutputFile[];
  /** Files the previous build wrote with the same key: copy them from `cache.outDir`. */
  reused: string[];
  /** Files handed to `options.sink` as they were rendered (not in `files`). */
  sent: string[];
  /** Story files to copy; empty when there are errors. */
  assets: Asset[];
  diagnostics: Diagnostic[];
  site?: Site;
  /** The earliest embargo still in force (epoch ms): the output is stale from then on. */
  nextEmbargo?: number;
  /** Milliseconds per phase: load (of which markdown), then each output by name. */
  timings: Record<string, number>;
}

const VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export async function build(root: string, options: BuildOptions): Promise<BuildResult> {
  const result = await buildUnsorted(root, options);
  // Stories load concurrently, so problems arrive in any order; callers get them sorted.
  return { ...result, diagnostics: sortDiagnostics(result.diagnostics) };
}

async function buildUnsorted(root: string, options: BuildOptions): Promise<BuildResult> {
  const diagnostics: Diagnostic[] = [];
  const timings: Record<string, number> = {};
  const failed = (site?: Site): BuildResult => ({
    files: [],
    reused: [],
    sent: [],
    assets: [],
    diagnostics,
    site,
    timings,
  });
  options.onPhase?.('loading sources');
  let phaseStarted = performance.now();
  const loaded = await loadSite(root, options, diagnostics);
  timings.load = performance.now() - phaseStarted;
  timings.markdown = loaded?.markdownMs ?? 0;
  if (!loaded || hasErrors(diagnostics)) return failed();
  const { site, locales } = loaded;

  const cache = options.cache;
  const templates = createTemplates(root);
  const context: RenderContext = { templates, diagnostics, items: cache?.items ?? new Map() };
  // What every file depends on, and what pages depend on besides (templates, stylesheet:
  // feeds do not use them, so a template edit re-renders pages only). The stylesheet is
  // read here so that its size is always checked.
  const shared = digest(
    VERSION,
    JSON.stringify(site.config),
    locales.fingerprint,
    JSON.stringify([site.logo, site.icon]),
  );
  const forPages = digest(shared, templates.fingerprint(), stylesheet(context));
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
  const emit = (file: OutputFile): void => {
    if (sink) {
      sink(file);
      sent.push(file.path);
    } else {
      files.push(file);
    }
  };
  const entries = new Map<string, OutputEntry>();
  for (const [i, output] of outputs.entries()) {
    options.onPhase?.(`rendering ${output.name} (${i + 1}/${outputs.length})`);
    phaseStarted = performance.now();
    try {
      for (const job of output.plan(site, context)) {
        const key = digest(output.usesTemplates ? forPages : shared, output.name, job.key);
        const previous = cache?.outputs.get(job.path);
        if (previous?.key === key) {
          if (previous.contents === undefined) reused.push(job.path);
          else emit({ path: job.path, contents: previous.contents });
          entries.set(job.path, previous);
          continue;
        }
        const contents = job.render();
        emit({ path: job.path, contents });
        entries.set(job.path, cache?.keepContents ? { key, contents } : { key });
      }
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const position = { line: error.line, column: error.column };
      new FileReport(error.file, diagnostics).error(
        'template/render',
        error.message,
        undefined,
        position,
      );
    }
    timings[output.name] = performance.now() - phaseStarted;
  }
  for (const key of [...locales.unknownKeys].sort()) {
    new FileReport('templates', diagnostics).error(
      'i18n/unknown-key',
      `a template uses the key "${key}", which no locale file has`,
    );
  }
  checkUniquePaths([...files.map((f) => f.path), ...sent, ...reused, ...site.assets.map((a) => a.path)]);
  if (hasErrors(diagnostics)) return failed(site);
  if (cache) cache.outputs = entries;
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    reused: reused.sort(),
    sent,
    assets: site.assets,
    diagnostics,
    site,
    nextEmbargo: loaded.nextEmbargo,
    timings,
  };
}

/** Two outputs writing one path is a bug in an output module, not a user mistake. */
function checkUniquePaths(paths: readonly string[]): void {
  const seen = new Set<string>();
  for (const path of paths) {
    if (seen.has(path)) throw new Error(`two outputs write ${path}`);
    seen.add(path);
  }
}
