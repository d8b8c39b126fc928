/**
 * A build: load → render → (only when nothing is wrong) hand the files to the writer.
 * Everything here happens in memory, so tests build fixture sites without touching disk.
 */
import { type Diagnostic, FileReport, hasErrors, sortDiagnostics } from './diagnostics.js';
import { type BuildOptions, loadSite } from './load-site.js';
import type { Asset, OutputFile, Site } from './model.js';
import { outputs } from './outputs/index.js';
import { createTemplates, TemplateError } from './templates/environment.js';

export interface BuildResult {
  /** Output files, sorted by path; empty when there are errors. */
  files: OutputFile[];
  /** Story files to copy; empty when there are errors. */
  assets: Asset[];
  diagnostics: Diagnostic[];
  site?: Site;
}

export async function build(root: string, options: BuildOptions): Promise<BuildResult> {
  const result = await buildUnsorted(root, options);
  // Stories load concurrently, so problems arrive in any order; callers get them sorted.
  return { ...result, diagnostics: sortDiagnostics(result.diagnostics) };
}

async function buildUnsorted(root: string, options: BuildOptions): Promise<BuildResult> {
  const diagnostics: Diagnostic[] = [];
  options.onPhase?.('loading sources');
  const loaded = await loadSite(root, options, diagnostics);
  if (!loaded || hasErrors(diagnostics)) return { files: [], assets: [], diagnostics };
  const { site, locales } = loaded;

  const context = { templates: createTemplates(root), diagnostics };
  const files: OutputFile[] = [];
  for (const [i, output] of outputs.entries()) {
    options.onPhase?.(`rendering ${output.name} (${i + 1}/${outputs.length})`);
    try {
      files.push(...output.render(site, context));
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
  }
  for (const key of [...locales.unknownKeys].sort()) {
    new FileReport('templates', diagnostics).error(
      'i18n/unknown-key',
      `a template uses the key "${key}", which no locale file has`,
    );
  }
  checkUniquePaths(files, site.assets);
  if (hasErrors(diagnostics)) return { files: [], assets: [], diagnostics, site };
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, assets: site.assets, diagnostics, site };
}

/** Two outputs writing one path is a bug in an output module, not a user mistake. */
function checkUniquePaths(files: readonly OutputFile[], assets: readonly Asset[]): void {
  const seen = new Set<string>();
  for (const path of [...files.map((f) => f.path), ...assets.map((a) => a.path)]) {
    if (seen.has(path)) throw new Error(`two outputs write ${path}`);
    seen.add(path);
  }
}
