/**
 * Problems found in a site's sources. A stage returns what it built together with its
 * diagnostics; it throws only for bugs (vfile's message()/fail() split), so that one run
 * reports every problem instead of the first.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Path relative to the site root, with '/' separators. */
  file: string;
  /** 1-based line in `file`, when the problem has a position. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  /** The front-matter or config field at fault, e.g. `published` or `image.width`. */
  field?: string;
  /** What is wrong and, where it helps, how to fix it. */
  message: string;
  /** Permanent identifier, e.g. `front-matter/invalid-date`. */
  code: string;
}

/** Where a diagnostic points: the parts a stage knows besides the message. */
export type Position = Pick<Diagnostic, 'line' | 'column'>;

/** Collects diagnostics for one file, so callers do not repeat the file name. */
export class FileReport {
  /** Errors reported through this object so far. */
  errors = 0;

  constructor(
    readonly file: string,
    readonly into: Diagnostic[],
  ) {}

  error(code: string, message: string, field?: string, position: Position = {}): void {
    this.errors++;
    this.push('error', code, message, field, position);
  }

  warning(code: string, message: string, field?: string, position: Position = {}): void {
    this.push('warning', code, message, field, position);
  }

  private push(
    severity: Severity,
    code: string,
    message: string,
    field: string | undefined,
    position: Position,
  ): void {
    this.into.push({ severity, file: this.file, ...position, field, message, code });
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Order by file, line, column, then severity and message (as vfile-sort does). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compare(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compare(a.severity, b.severity) ||
      compare(a.message, b.message),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The GNU form editors and CI annotate:
 * `articles/flood/uk.md:3:12: error: published: … [front-matter/invalid-date]`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file;
  if (d.line !== undefined) where += `:${d.line}`;
  if (d.line !== undefined && d.column !== undefined) where += `:${d.column}`;
  const field = d.field ? `${d.field}: ` : '';
  return `${where}: ${d.severity}: ${field}${d.message} [${d.code}]`;
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics)
    .map((d) => `${formatDiagnostic(d)}\n`)
    .join('');
}

/** One line such as `2 errors and 1 warning in 2 files`. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const parts = [];
  if (errors) parts.push(plural(errors, 'error'));
  if (warnings) parts.push(plural(warnings, 'warning'));
  if (!parts.length) return 'no problems';
  return `${parts.join(' and ')} in ${plural(files, 'file')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
