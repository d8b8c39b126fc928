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

export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  stream: NodeJS.WriteStream = process.stderr,
): void {
  const colour = colourFor(stream);
  for (const d of sortDiagnostics(diagnostics)) {
    const line = formatDiagnostic(d);
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
  const { loadConfig } = await import('../config/load-config.js');
  const diagnostics: Diagnostic[] = [];
  const config = await loadConfig(root, diagnostics);
  if (!config) printDiagnostics(diagnostics);
  return config;
}
