/** `polyfeed check [site-folder]`: every problem of the sources, and nothing written. */
import { join } from 'node:path';
import type { BuildOptions, BuildResult } from '../build-result.js';
import { hasErrors, summarizeDiagnostics } from '../diagnostics.js';
import {
  buildOptions,
  REPORT_HELP,
  REPORT_OPTIONS,
  reportOptions,
  SITE_HELP,
  SITE_OPTIONS,
} from './build-command.js';
import { type Command, ExitCode, siteFolder } from './command.js';
import { buildSummary, printDiagnostics } from './report.js';

/**
 * Builds as `polyfeed build` would, counting the files it renders and keeping none: check
 * writes nothing, and a big site's files are gigabytes (2.2 GiB at 5,000 stories).
 */
export async function checkSite(root: string, options: BuildOptions): Promise<BuildResult> {
  const { build } = await import('../build.js');
  return build(root, { ...options, sink: { write() {} } });
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate config, articles, locales and templates, writing nothing',
  help: `Usage: polyfeed check [site-folder] [options]

Checks everything a build checks (site.yaml, every article, the locale files, the
templates) and prints every problem, but writes nothing: for pre-commit hooks and the CI
of a newsroom's content repository. Like a build, it warns about an article whose URL
changed since site-folder/dist was built.

Options:
${SITE_HELP}
${REPORT_HELP}
  -h, --help        show this help

Exit codes: 0 no errors (warnings may be printed), 1 errors, 2 wrong usage.
`,
  options: { ...SITE_OPTIONS, ...REPORT_OPTIONS },
  maxPositionals: 1,
  async run(values, positionals) {
    const started = performance.now();
    const report = reportOptions(values);
    const { readPublishedUrls } = await import('../write/write-output.js');
    const root = siteFolder(values, positionals);
    // As the next build would: an article whose URL changed since <site>/dist was built is
    // reported now, before the change is committed. (There is no --out here: an output
    // built elsewhere with build --out is not compared.)
    const published = readPublishedUrls(join(root, 'dist'));
    if (published.problem) process.stderr.write(`polyfeed: warning: ${published.problem}\n`);
    const result = await checkSite(root, {
      ...buildOptions(values),
      published: published.manifest,
    });
    printDiagnostics(result.diagnostics, process.stderr, report);
    if (hasErrors(result.diagnostics)) {
      process.stderr.write(`\n✖ ${summarizeDiagnostics(result.diagnostics)}\n`);
      return ExitCode.ContentErrors;
    }
    if (!report.quiet)
      process.stdout.write(
        `${buildSummary(result, (performance.now() - started) / 1000, 'Checked')}; nothing written\n`,
      );
    return ExitCode.Ok;
  },
};
