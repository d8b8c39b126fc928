/**
 * What the CLI prints: diagnostics (coloured only on a terminal, never with NO_COLOR),
 * progress for builds that take a while, and the one-line summary every build ends with.
 */
import type { BuildResult } from '../build.js';
import type { SiteConfig } from '../config/schema.js';
import { type Diagnostic, formatDiagnostic, sortDiagnostics } from '../diagnostics.js';

/** Colour only for people: a terminal, and not when NO_COLOR is set (https://no-color.org). */
export function colourFor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

const PAINT = { error: '\u001b[31m', warning: '\u001b[33m', reset: '\u001b[0m', dim: '\u001b[2m' };

/** How much of a build's problems the CLI prints (`--verbose`, `--quiet`). */
export interface ReportOptions {
  /** Every warning on its own line, even when many are alike. */
  verbose?: boolean;
  /** Errors only: no warnings (and, on success, no summary line). */
  quiet?: boolean;
}

/** A kind of warning seen this many times or more is printed as one line (see reportLines). */
const GROUP_FROM = 3;
/** Places a grouped line names besides the first, before "and N other places". */
const PLACES_SHOWN = 3;

/**
 * The lines to print for `diagnostics`, sorted, in the GNU form editors and CI parse. Errors
 * are always printed one by one. Warnings of one kind (the same code, field and message
 * but for its numbers and quoted values) seen GROUP_FROM times or more become one line: the
 * first in full, then how many more and where (31 warnings of the untouched sample site
 * were 23 copies of one line). `verbose` prints each; `quiet` none.
 */
export function reportLines(
  diagnostics: readonly Diagnostic[],
  options: ReportOptions = {},
): { diagnostic: Diagnostic; line: string }[] {
  const sorted = sortDiagnostics(diagnostics).filter(
    (d) => d.severity === 'error' || !options.quiet,
  );
  const kinds = new Map<string, Diagnostic[]>();
  if (!options.verbose) {
    for (const d of sorted) {
      if (d.severity !== 'warning') continue;
      const key = kindOf(d);
      const alike = kinds.get(key);
      if (alike) alike.push(d);
      else kinds.set(key, [d]);
    }
  }
  const lines: { diagnostic: Diagnostic; line: string }[] = [];
  for (const d of sorted) {
    const alike = d.severity === 'warning' ? kinds.get(kindOf(d)) : undefined;
    if (!alike || alike.length < GROUP_FROM) {
      lines.push({ diagnostic: d, line: formatDiagnostic(d) });
    } else if (alike[0] === d) {
      const others = alike.slice(1);
      const named = others.slice(0, PLACES_SHOWN).map(placeOf);
      const rest = others.length - named.length;
      const where = rest
        ? `${named.join(', ')} and ${rest} other place${rest === 1 ? '' : 's'}`
        : named.join(', ');
      lines.push({
        diagnostic: d,
        line: `${formatDiagnostic(d)} (and ${others.length} more like it, in ${where}; --verbose lists each)`,
      });
    }
  }
  return lines;
}

/** What makes two warnings alike: all but the file, the position, numbers and quoted values. */
function kindOf(d: Diagnostic): string {
  const shape = d.message.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, '#');
  return `${d.severity}\u0000${d.code}\u0000${d.field ?? ''}\u0000${shape}`;
}

function placeOf(d: Diagnostic): string {
  return d.line === undefined ? d.file : `${d.file}:${d.line}`;
}

export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  stream: NodeJS.WriteStream = process.stderr,
  options: ReportOptions = {},
): void {
  const colour = colourFor(stream);
  for (const { diagnostic: d, line } of reportLines(diagnostics, options)) {
    stream.write(
      `${colour ? line.replace(`: ${d.severity}: `, `: ${PAINT[d.severity]}${d.severity}${PAINT.reset}: `) : line}\n`,
    );
  }
}

/** `Built 4 languages: 36 articles, 114 pages, 240 feeds, 0 warnings in 0.91 s`. */
export function buildSummary(result: BuildResult, seconds: number, verb = 'Built'): string {
  const site = result.site;
  const languages = site?.editions.filter((e) => e.articles.length).length ?? 0;
  const articles = site?.editions.reduce((n, e) => n + e.articles.length, 0) ?? 0;
  const paths = [...result.files.map((f) => f.path), ...result.sent, ...result.reused];
  const pages = paths.filter((path) => path.endsWith('.html')).length;
  const feeds = result.feeds;
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${verb} ${plural(languages, 'language')}: ${plural(articles, 'article')}, ${plural(pages, 'page')}, ${plural(feeds, 'feed')}, ${plural(warnings, 'warning')} in ${seconds.toFixed(2)} s`;
}

/**
 * Shows the current phase on a terminal once a build has taken a second; prints nothing
 * elsewhere (CI logs get the summary line only).
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let shown = false;
  return {
    phase(name: string): void {
      if (!stream.isTTY || performance.now() - started < 1000) return;
      shown = true;
      stream.write(
        `\r\u001b[2K${colourFor(stream) ? PAINT.dim : ''}… ${name}${colourFor(stream) ? PAINT.reset : ''}`,
      );
    },
    done(): void {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}

/**
 * The site's config for a command that needs only that; when it is invalid, its problems
 * are printed and the result is undefined (the command then exits 1).
 */
export async function loadConfigOrReport(root: string): Promise<SiteConfig | undefined> {
  const { loadConfig } = await import('../load/load-config.js');
  const diagnostics: Diagnostic[] = [];
  const config = await loadConfig(root, diagnostics);
  if (!config) printDiagnostics(diagnostics);
  return config;
}
