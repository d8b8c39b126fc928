/**
 * A build: load → render → (only when nothing is wrong) hand the files to the writer.
 * Everything here happens in memory, so tests build fixture sites without touching disk.
 */
import { type Diagnostic, FileReport, hasErrors, sortDiagnostics } from './diagnostics.js';
import { type BuildOptions, loadSite } from './load-site.js';
import type { Asset, OutputFile, Site } from './model.js';
import { outputs } from './outputs/index.js';
import { createTemplates } from './templates/environment.js';

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
  const loaded = await loadSite(root, options, diagnostics);
  if (!loaded || hasErrors(diagnostics)) return { files: [], assets: [], diagnostics };
  const { site, locales } = loaded;

  const templates = createTemplates(root);
  const files = outputs.flatMap((output) => output.render(site, templates));
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
