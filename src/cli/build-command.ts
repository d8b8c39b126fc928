/** `polyfeed build [site-folder]`: build the site and replace the output folder. */
import { resolve } from 'node:path';
import { build } from '../build.js';
import { hasErrors, summarizeDiagnostics } from '../diagnostics.js';
import { resolveDateTime } from '../i18n/dates.js';
import { writeOutput } from '../write-output.js';
import { type Command, ExitCode, UsageError } from './command.js';
import { buildSummary, printDiagnostics, progressReporter } from './report.js';

/** Options shared by the commands that build: build, check and dev. */
export const SITE_OPTIONS = {
  site: { type: 'string' },
  now: { type: 'string' },
  drafts: { type: 'boolean', default: false },
  strict: { type: 'boolean', default: false },
} as const;

export const SITE_HELP = `  --site <folder>   the site folder (or give it as the argument; default: .)
  --now <instant>   the time to build at, for embargoes (ISO 8601 with an offset,
                    e.g. 2024-05-14T12:00:00+03:00; default: the real time)
  --drafts          include articles marked draft: true
  --strict          treat missing translations of UI strings as errors`;

export const buildCommand: Command = {
  name: 'build',
  summary: 'build the feeds and pages of a site',
  help: `Usage: polyfeed build [site-folder] [options]

Builds the feeds and pages of the site in site-folder, which holds site.yaml, articles/
and optionally locales/, templates/ and assets/.

Options:
${SITE_HELP}
  --out <folder>    where to write (default: <site-folder>/dist); replaced only when
                    the build succeeds
  --quiet           print only problems
  -h, --help        show this help

Exit codes: 0 built, 1 the sources have errors (nothing written), 2 wrong usage.
`,
  options: { ...SITE_OPTIONS, out: { type: 'string' }, quiet: { type: 'boolean', default: false } },
  maxPositionals: 1,
  async run(values, positionals) {
    const root = siteFolder(values, positionals);
    const out = resolve(typeof values.out === 'string' ? values.out : resolve(root, 'dist'));
    const started = performance.now();
    const progress = progressReporter();
    const result = await build(root, { ...buildOptions(values), onPhase: progress.phase });
    progress.done();
    printDiagnostics(result.diagnostics);
    if (hasErrors(result.diagnostics)) {
      process.stderr.write(
        `\n✖ ${summarizeDiagnostics(result.diagnostics)}; nothing was written to ${out}\n`,
      );
      return ExitCode.ContentErrors;
    }
    await writeOutput(out, result.files, result.assets);
    if (values.quiet !== true) {
      process.stdout.write(
        `${buildSummary(result, (performance.now() - started) / 1000)} → ${out}\n`,
      );
    }
    return ExitCode.Ok;
  },
};

export function siteFolder(values: Record<string, unknown>, positionals: string[]): string {
  if (typeof values.site === 'string' && positionals[0])
    throw new UsageError('give the site folder once: as the argument or as --site');
  return resolve(typeof values.site === 'string' ? values.site : (positionals[0] ?? '.'));
}

export function buildOptions(values: Record<string, unknown>) {
  return {
    now: parseNow(values.now as string | undefined),
    drafts: values.drafts === true,
    strict: values.strict === true,
  };
}

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
