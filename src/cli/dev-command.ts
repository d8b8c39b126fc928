/** `polyfeed dev [site-folder]`: serve the site, rebuild on change, reload the browser. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildOptions, REPORT_HELP, REPORT_OPTIONS, reportOptions } from './build-command.js';
import { type Command, siteFolder, UsageError } from './command.js';
import { listenError } from './listen-error.js';

export const devCommand: Command = {
  name: 'dev',
  summary: 'serve the site on localhost, rebuilding and reloading on every change',
  help: `Usage: polyfeed dev [site-folder] [options]

Builds the site in memory and serves it on localhost. Every change to site.yaml,
articles/, locales/, templates/ or assets/ rebuilds it and reloads open browser tabs.
While the sources have errors, the terminal and the browser show them and the last good
build is kept; fixing them recovers by itself. Drafts are shown (unless --no-drafts),
marked as drafts. With typoReport in site.yaml, the pages' typo reports are received here
and kept in SQLite (a temporary file, printed, unless --typo-db), which
'polyfeed typos list --database <file>' reads.

Options:
  --site <folder>   the site folder (or give it as the argument; default: .)
  --port <n>        the port (default: a free one, printed)
  --host <address>  the address to listen on (default: 127.0.0.1)
  --no-drafts       leave drafts out, as a real build does
  --strict          treat missing translations of UI strings as errors
  --now <instant>   a fixed time for embargoes (default: the time of each rebuild)
  --typo-db <file>  keep typo reports in this SQLite file (default: a temporary one)
  --threads <n>     threads for the first build (default: 2 when the machine has two
                    cores); rebuilds after an edit are too small to share
${REPORT_HELP}
  -h, --help        show this help

Stops on Ctrl+C. Exit codes: 0 stopped, 2 wrong usage.
`,
  options: {
    site: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'no-drafts': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    now: { type: 'string' },
    ...REPORT_OPTIONS,
    'typo-db': { type: 'string' },
    threads: { type: 'string' },
  },
  maxPositionals: 1,
  async run(values, positionals) {
    const root = siteFolder(values, positionals);
    if (!existsSync(join(root, 'site.yaml')))
      throw new UsageError(
        `no site.yaml in ${root}: run polyfeed dev in a site folder, or give the folder (polyfeed dev path/to/site)`,
        false,
      );
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a port number (got "${values.port}")`);
    const { strict, threads } = buildOptions(values);
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    const { startDevServer } = await import('../dev/dev-server.js');
    const server = await startDevServer(root, {
      port,
      host,
      drafts: values['no-drafts'] !== true,
      strict,
      threads,
      now: values.now === undefined ? undefined : buildOptions(values).now,
      typoDatabase: typeof values['typo-db'] === 'string' ? resolve(values['typo-db']) : undefined,
      log: (line) => process.stderr.write(`${line}\n`),
      report: reportOptions(values),
    }).catch((error: unknown) => {
      throw listenError(error, host, port, '--port');
    });
    process.stdout.write(`Serving ${root} at ${server.url} (Ctrl+C to stop)\n`);
    if (server.typoReports) {
      const { endpoint, database } = server.typoReports;
      process.stdout.write(
        `Typo reports: POST ${endpoint} → ${database}\n  (read them: polyfeed typos list --database ${database})\n`,
      );
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
