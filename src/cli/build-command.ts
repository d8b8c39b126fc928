/**
 * `polyfeed build [site-folder]`: build the site and update the output folder. Unchanged
 * sources are not parsed again and unchanged files are not rewritten (see engine/); when
 * nothing at all changed, it says so before loading the rest of Polyfeed.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { readCacheFiles, readState } from '../engine/build-cache.js';
import { inputStamp } from '../engine/input-stamp.js';
import { PACKAGE_ROOT } from '../paths.js';
import { type Command, ExitCode, siteFolder, UsageError } from './command.js';
import { parseNow } from './parse-now.js';
import type { ReportOptions } from './report.js';

/** Options shared by the commands that build: build, check and dev. */
export const SITE_OPTIONS = {
  site: { type: 'string' },
  threads: { type: 'string' },
  now: { type: 'string' },
  drafts: { type: 'boolean', default: false },
  strict: { type: 'boolean', default: false },
} as const;

/** How much to print, for the commands that print a build's problems: build, check and dev. */
export const REPORT_OPTIONS = {
  verbose: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
} as const;

export const REPORT_HELP = `  --verbose         print every warning on its own line (by default, warnings of one
                    kind seen three times or more are one line, with a count and places)
  --quiet           print errors only (and the summary line only when there are errors)`;

export const SITE_HELP = `  --site <folder>   the site folder (or give it as the argument; default: .)
  --now <instant>   the time to build at, for embargoes (ISO 8601 with an offset,
                    e.g. 2024-05-14T12:00:00+03:00; default: the real time)
  --drafts          include articles marked draft: true
  --strict          treat missing translations of UI strings as errors
  --threads <n>     threads to parse and render with (default: 2 when the machine has
                    two cores or more; 1 keeps everything in one thread)`;

export const buildCommand: Command = {
  name: 'build',
  summary: 'build the feeds and pages of a site',
  help: `Usage: polyfeed build [site-folder] [options]

Builds the feeds and pages of the site in site-folder, which holds site.yaml, articles/
and optionally locales/, templates/ and assets/. A rebuild parses only the stories that
changed and rewrites only the files whose bytes changed (the cache is kept in
<site-folder>/.polyfeed-cache/).

Options:
${SITE_HELP}
  --out <folder>    where to write (default: <site-folder>/dist); changed only when
                    the build succeeds
  --no-cache        ignore and do not keep the build cache
  --ping            then tell the WebSub hub which feeds changed (see polyfeed ping)
${REPORT_HELP}
  -h, --help        show this help

Exit codes: 0 built, 1 the sources have errors (nothing written), 2 wrong usage.
`,
  options: {
    ...SITE_OPTIONS,
    ...REPORT_OPTIONS,
    out: { type: 'string' },
    'no-cache': { type: 'boolean', default: false },
    ping: { type: 'boolean', default: false },
  },
  maxPositionals: 1,
  async run(values, positionals) {
    const root = siteFolder(values, positionals);
    const out = resolve(typeof values.out === 'string' ? values.out : resolve(root, 'dist'));
    const options = buildOptions(values);
    const useCache = values['no-cache'] !== true;
    const started = performance.now();
    // Options that change the output are part of the stamp; --now only when it was given.
    const stamp = await inputStamp(
      root,
      PACKAGE_ROOT,
      JSON.stringify([options.drafts, options.strict, values.now ?? null]),
    );
    if (useCache && (await upToDate(root, out, stamp.inputs, options.now))) {
      if (values.quiet !== true)
        process.stdout.write(`Up to date: nothing changed since the last build of ${out}\n`);
      // No feed changed: nothing to tell a hub (and a later `polyfeed ping` says so too).
      if (values.ping === true) await (await import('../websub.js')).recordChangedFeeds(root, []);
      return ExitCode.Ok;
    }

    const report = reportOptions(values);
    // Read while the rest of Polyfeed loads: a rebuild of a big site waited 0.1 s for it.
    const cacheFiles = useCache ? readCacheFiles(root) : undefined;
    const { buildAndWrite } = await import('./build-and-write.js');
    const code = await buildAndWrite({
      root,
      out,
      options,
      useCache,
      cacheFiles,
      stamp,
      started,
      report,
    });
    if (code !== ExitCode.Ok || values.ping !== true) return code;
    const { pingSite } = await import('./ping-command.js');
    return pingSite(root);
  },
};

async function upToDate(root: string, out: string, stamp: string, now: Date): Promise<boolean> {
  const state = await readState(root);
  if (!state || state.inputs !== stamp || state.outDir !== out || !existsSync(out)) return false;
  return state.nextEmbargo === undefined || now.getTime() < state.nextEmbargo;
}

export function reportOptions(values: Record<string, unknown>): ReportOptions {
  if (values.verbose === true && values.quiet === true)
    throw new UsageError('give --verbose or --quiet, not both');
  return { verbose: values.verbose === true, quiet: values.quiet === true };
}

export function buildOptions(values: Record<string, unknown>) {
  return {
    now: parseNow(values.now as string | undefined),
    drafts: values.drafts === true,
    strict: values.strict === true,
    threads: parseThreads(values.threads as string | undefined),
  };
}

/** One worker thread beside the main one: the two cores of the machines we build on. */
function parseThreads(text: string | undefined): number {
  if (text === undefined) return Math.min(2, availableParallelism());
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1 || threads > 2) {
    throw new UsageError(`--threads must be 1 or 2 (got "${text}")`);
  }
  return threads;
}
