/**
 * `polyfeed i18n-check`: the coverage of the UI strings (missing, extra and empty keys per
 * locale, against the default language) and which stories exist in which languages.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimit } from '../concurrency.js';
import { type Diagnostic, formatDiagnostic, sortDiagnostics } from '../diagnostics.js';
import { loadConfig } from '../load/load-config.js';
import { ARTICLES_FOLDER } from '../load/load-stories.js';
import { PACKAGE_ROOT } from '../paths.js';
import { loadLocales } from './load-locales.js';

export interface I18nReport {
  /** The report, as printed. */
  text: string;
  /** True when no locale has a missing, extra or empty key (and the config is valid). */
  clean: boolean;
}

export async function checkI18n(root: string): Promise<I18nReport> {
  const diagnostics: Diagnostic[] = [];
  const config = await loadConfig(root, diagnostics);
  if (!config)
    return { text: diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join(''), clean: false };
  const roots = join(root) === join(PACKAGE_ROOT) ? [root] : [PACKAGE_ROOT, root];
  await loadLocales(roots, root, config, diagnostics);
  const codes = config.languages.map((l) => l.code);

  const lines: string[] = [`Locales (checked against ${config.defaultLanguage})`];
  for (const code of codes) {
    const own = diagnostics.filter(
      (d) => d.file.startsWith(`locales/${code}/`) || d.file.includes(`/locales/${code}/`),
    );
    const count = (c: string) => own.filter((d) => d.code === c).length;
    const summary = [
      `${count('i18n/missing-key')} missing`,
      `${count('i18n/extra-key')} extra`,
      `${count('i18n/empty')} empty`,
    ];
    lines.push(`  ${code.padEnd(6)} ${own.length ? summary.join(', ') : 'complete'}`);
  }
  const problems = sortDiagnostics(diagnostics);
  if (problems.length) lines.push('', ...problems.map(formatDiagnostic));

  lines.push('', 'Stories by language (✓ written, · missing)');
  const stories = await storyLanguages(root, codes);
  const width = Math.max(5, ...stories.map((s) => s.id.length));
  lines.push(`  ${'story'.padEnd(width)}  ${codes.map((c) => c.padEnd(4)).join('')}`.trimEnd());
  for (const story of stories) {
    lines.push(
      `  ${story.id.padEnd(width)}  ${codes.map((c) => (story.languages.has(c) ? '✓' : '·').padEnd(4)).join('')}`.trimEnd(),
    );
  }
  const totals = codes.map((c) => `${c} ${stories.filter((s) => s.languages.has(c)).length}`);
  lines.push(`  ${stories.length} stories: ${totals.join(', ')}`);
  return { text: `${lines.join('\n')}\n`, clean: problems.length === 0 };
}

async function storyLanguages(
  root: string,
  codes: readonly string[],
): Promise<{ id: string; languages: Set<string> }[]> {
  const folder = join(root, ARTICLES_FOLDER);
  let ids: string[];
  try {
    ids = (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return [];
  }
  return mapLimit(ids.sort(), 64, async (id) => {
    const files = await readdir(join(folder, id));
    return { id, languages: new Set(codes.filter((code) => files.includes(`${code}.md`))) };
  });
}
