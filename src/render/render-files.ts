/**
 * Rendering, the stage after planning: each planned job's bytes, in order. A template
 * error is a located diagnostic, reported once, and stops that output (every file of it
 * would fail alike). Where the bytes go is the caller's (`rendered`).
 */
import { type Diagnostic, FileReport } from '../diagnostics.js';
import type { Pending } from '../plan/plan-outputs.js';
import { createTemplates, TemplateError, type Templates } from './environment.js';

/**
 * A list one thread renders from the front while another takes from its end: the index
 * of the next file to render, and where the part handed over starts.
 */
export interface Progress {
  next: number;
  end: number;
}

/**
 * Renders `pending` in order (up to `progress.end`, which another thread may lower). With
 * `yielding`, lets the event loop run now and then, so that another thread's finished
 * files are written while this one renders.
 */
export async function renderPending(
  pending: readonly Pending[],
  rendered: (path: string, contents: string | Uint8Array) => void,
  diagnostics: Diagnostic[],
  yielding: boolean,
  timings?: Record<string, number>,
  progress?: Progress,
): Promise<void> {
  const broken = new Set<string>();
  for (let i = 0; i < (progress?.end ?? pending.length); i++) pending[i]?.job.countItemUses?.();
  let last = performance.now();
  for (let i = 0; i < (progress?.end ?? pending.length); i++) {
    if (progress) progress.next = i + 1;
    const { output, job } = pending[i] as Pending;
    if (broken.has(output)) continue;
    try {
      rendered(job.path, job.render());
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      broken.add(output);
      reportTemplateError(error, diagnostics);
    }
    if (timings) {
      const now = performance.now();
      timings[output] = (timings[output] ?? 0) + now - last;
      last = now;
    }
    if (yielding && i % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Templates compiled from files whose contents `fingerprint` names. */
export interface CompiledTemplates {
  templates: Templates;
  fingerprint: string;
}

/**
 * The site's templates, every one compiled; undefined (and reported) when any has an
 * error. `known`, compiled from the same files, is taken as it is.
 */
export function compileTemplates(
  root: string,
  diagnostics: Diagnostic[],
  known?: CompiledTemplates,
): CompiledTemplates | undefined {
  const templates = createTemplates(root);
  const fingerprint = templates.fingerprint();
  if (known?.fingerprint === fingerprint) return known;
  const errors = templates.compile();
  for (const error of errors) reportTemplateError(error, diagnostics);
  return errors.length ? undefined : { templates, fingerprint };
}

function reportTemplateError(error: TemplateError, diagnostics: Diagnostic[]): void {
  new FileReport(error.file, diagnostics).error(
    `template/${error.phase}`,
    error.message,
    undefined,
    { line: error.line, column: error.column },
  );
}

/** A template error as the located problem a build reports. */
export function templateDiagnostic(error: TemplateError): Diagnostic {
  const diagnostics: Diagnostic[] = [];
  reportTemplateError(error, diagnostics);
  return diagnostics[0] as Diagnostic;
}
