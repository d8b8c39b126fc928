/** `polyfeed build [site-folder]`: build the site and replace the output folder. */
import { resolve } from 'node:path';
import { build } from '../build.js';
import { formatDiagnostics, hasErrors, summarizeDiagnostics } from '../diagnostics.js';
import { resolveDateTime } from '../i18n/dates.js';
import { writeOutput } from '../write-output.js';
import { type Command, ExitCode, UsageError } from './command.js';

export const buildCommand: Command = {
  name: 'build',
  summary: 'build the feeds and pages of a site',
  help: `Usage: polyfeed build [site-folder] [options]

Builds the feeds and pages of the site in site-folder (default: the current folder),
which holds site.yaml, articles/ and optionally locales/, templates/ and assets/.

Options:
  --out <folder>    where to write (default: <site-folder>/dist); replaced only when
                    the build succeeds
  --now <instant>   the time to build at, for embargoes (ISO 8601 with an offset,
                    e.g. 2024-05-14T12:00:00+03:00; default: the real time)
  --drafts          include articles marked draft: true
  --strict          treat missing translations of UI strings as errors
  --quiet           print only problems
  -h, --help        show this help

Exit codes: 0 built, 1 the sources have errors (nothing written), 2 wrong usage.
`,
  options: {
    out: { type: 'string' },
    now: { type: 'string' },
    drafts: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
  maxPositionals: 1,
  async run(values, positionals) {
    const root = resolve(positionals[0] ?? '.');
    const out = resolve(typeof values.out === 'string' ? values.out : resolve(root, 'dist'));
    const now = parseNow(values.now as string | undefined);
    const started = performance.now();
    const result = await build(root, {
      now,
      drafts: values.drafts === true,
      strict: values.strict === true,
    });
    process.stderr.write(formatDiagnostics(result.diagnostics));
    if (hasErrors(result.diagnostics)) {
      process.stderr.write(
        `\n✖ ${summarizeDiagnostics(result.diagnostics)}; nothing was written to ${out}\n`,
      );
      return ExitCode.ContentErrors;
    }
    await writeOutput(out, result.files, result.assets);
    if (values.quiet !== true) {
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const warnings = result.diagnostics.length
        ? `, ${summarizeDiagnostics(result.diagnostics)}`
        : '';
      process.stdout.write(
        `Built ${result.files.length + result.assets.length} files into ${out} in ${seconds} s${warnings}\n`,
      );
    }
    return ExitCode.Ok;
  },
};

/** `--now`: an instant, so it needs an offset; the site's zone is not known yet. */
export function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    throw new UsageError(
      `--now needs an offset or Z, e.g. 2024-05-14T12:00:00+03:00 (got "${text}")`,
    );
  }
  const resolved = resolveDateTime(text, 'UTC');
  if ('error' in resolved) throw new UsageError(`--now ${resolved.error}`);
  return resolved.instant;
}
