/**
 * `polyfeed build [site-folder]`: argv in, exit code out. No logic a test of `build()`
 * cannot reach lives here.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from './build.js';
import { formatDiagnostics, hasErrors, summarizeDiagnostics } from './diagnostics.js';
import { resolveDateTime } from './i18n/dates.js';
import { writeOutput } from './write-output.js';

export const ExitCode = { Ok: 0, ContentErrors: 1, Usage: 2 } as const;

const HELP = `Usage: polyfeed build [site-folder] [options]

Builds the feeds and pages of the site in site-folder (default: the current folder),
which holds site.yaml, articles/ and optionally locales/ and templates/.

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
`;

class UsageError extends Error {}

export async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`polyfeed: ${(error as Error).message}\nTry 'polyfeed build --help'.\n`);
    return ExitCode.Usage;
  }
  if (args.values.help) {
    process.stdout.write(HELP);
    return ExitCode.Ok;
  }
  const root = resolve(args.positionals[0] ?? '.');
  const out = resolve(args.values.out ?? resolve(root, 'dist'));
  const started = performance.now();
  const result = await build(root, {
    now: args.now,
    drafts: args.values.drafts,
    strict: args.values.strict,
  });
  process.stderr.write(formatDiagnostics(result.diagnostics));
  if (hasErrors(result.diagnostics)) {
    process.stderr.write(
      `\n✖ ${summarizeDiagnostics(result.diagnostics)}; nothing was written to ${out}\n`,
    );
    return ExitCode.ContentErrors;
  }
  await writeOutput(out, result.files, result.assets);
  if (!args.values.quiet) {
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const warnings = result.diagnostics.length
      ? `, ${summarizeDiagnostics(result.diagnostics)}`
      : '';
    process.stdout.write(
      `Built ${result.files.length + result.assets.length} files into ${out} in ${seconds} s${warnings}\n`,
    );
  }
  return ExitCode.Ok;
}

function parse(argv: readonly string[]) {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    return {
      values: { help: true, drafts: false, strict: false, quiet: false, out: undefined },
      positionals: [],
      now: new Date(),
    };
  }
  if (command !== 'build') throw new UsageError(`unknown command "${command}"`);
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      now: { type: 'string' },
      drafts: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 1)
    throw new UsageError(`one site folder at most (got ${positionals.join(', ')})`);
  return { values, positionals, now: parseNow(values.now) };
}

function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text))
    throw new UsageError(
      `--now needs an offset or Z, e.g. 2024-05-14T12:00:00+03:00 (got "${text}")`,
    );
  const resolved = resolveDateTime(text, 'UTC');
  if ('error' in resolved) throw new UsageError(`--now ${resolved.error}`);
  return resolved.instant;
}

process.exitCode = await main(process.argv.slice(2));
