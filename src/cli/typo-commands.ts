/**
 * `polyfeed typo-server`: the service that receives readers' typo reports; and
 * `polyfeed typos list|show|resolve|export`: the editors' side of the same database.
 */
import type { SiteConfig } from '../config/schema.js';
import type { ReportStatus, StoredReport, TypoStore } from '../typo/store.js';
import { siteFolder } from './build-command.js';
import { type Command, ExitCode, UsageError } from './command.js';
import { loadConfigOrReport } from './report.js';

export const typoServerCommand: Command = {
  name: 'typo-server',
  summary: "receive readers' typo reports (and serve the editors' report page)",
  help: `Usage: polyfeed typo-server [site-folder] [options]

Listens for typo reports from the site's pages (typoReport.endpoint in site.yaml gives the
path) and stores them. Also answers GET /health, GET /reports?token=… with the open
reports for editors when typoReport.editorToken or $POLYFEED_TYPO_TOKEN is set, and the
tracking image of republished stories (<endpoint>/republished.gif, or the path of
rights.trackingUrl), counting each view (see polyfeed republications).

Options (each overrides typoReport in site.yaml):
  --port <n>           port to listen on (default 8787; 0 picks a free one)
  --host <address>     address to listen on (default 127.0.0.1; 0.0.0.0 for all)
  --database <where>   SQLite file, or a postgres:// URL
  --origin <url>       another origin allowed to post (repeatable)
  --rate-limit <n>     reports per client address per window
`,
  options: {
    site: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    database: { type: 'string' },
    origin: { type: 'string', multiple: true },
    'rate-limit': { type: 'string' },
  },
  maxPositionals: 1,
  async run(values, positionals) {
    const root = siteFolder(values, positionals);
    const loaded = await loadTypoConfig(root);
    if (!loaded) return ExitCode.ContentErrors;
    const { config, typo } = loaded;
    const { createTypoServer } = await import('../typo/server.js');
    const { openStore } = await import('../typo/store.js');
    const { databaseLocation, serverOptions } = await import('../typo/from-config.js');
    const number = (name: string, fallback: number) => {
      const value = values[name];
      if (typeof value !== 'string') return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number`);
      return n;
    };
    const database = databaseLocation(
      root,
      typeof values.database === 'string' ? values.database : typo.database,
    );
    const store = await openStore(database);
    const options = serverOptions(
      config,
      {
        ...typo,
        origins: [...typo.origins, ...((values.origin as string[] | undefined) ?? [])],
        rateLimit: number('rate-limit', typo.rateLimit),
      },
      store,
    );
    const server = createTypoServer(options);
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    await new Promise<void>((resolve) => server.listen(number('port', typo.port), host, resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(
      `Typo reports: POST http://${host}:${port}${options.endpointPath} → ${database.replace(/:[^:@/]*@/, ':***@')}\n`,
    );
    if (options.pixelPath)
      process.stdout.write(`Republications: GET http://${host}:${port}${options.pixelPath}\n`);
    const stop = () => {
      server.close();
      server.closeAllConnections();
      void store.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise(() => {});
    return ExitCode.Ok;
  },
};

export const typosCommand: Command = {
  name: 'typos',
  summary: 'list, show, resolve or export the typo reports readers sent',
  help: `Usage: polyfeed typos <list|show <id>|resolve <id>|export> [options]

  list               open reports, one per line (--status resolved|all for others)
  show <id>          one report in full
  resolve <id>       mark a report resolved
  export             every report matching the filters, as --format csv (default) or json

Options:
  --site <folder>      the site folder (default .)
  --database <where>   SQLite file or postgres:// URL (default typoReport.database)
  --lang <code>        only reports from pages in this language
  --story <id>         only reports on this story
  --status <s>         open (default for list), resolved or all (default for export)
  --format <f>         csv or json (export)
`,
  options: {
    site: { type: 'string' },
    database: { type: 'string' },
    lang: { type: 'string' },
    story: { type: 'string' },
    status: { type: 'string' },
    format: { type: 'string' },
  },
  maxPositionals: 2,
  async run(values, positionals) {
    const [action, id] = positionals;
    if (!action || !['list', 'show', 'resolve', 'export'].includes(action))
      throw new UsageError('say what to do: list, show <id>, resolve <id> or export');
    const root = siteFolder(values, []);
    const loaded = await loadTypoConfig(root);
    if (!loaded) return ExitCode.ContentErrors;
    const { openStore } = await import('../typo/store.js');
    const { databaseLocation } = await import('../typo/from-config.js');
    const store = await openStore(
      databaseLocation(
        root,
        typeof values.database === 'string' ? values.database : loaded.typo.database,
      ),
    );
    try {
      return await runTypos(store, action, id, values);
    } finally {
      await store.close();
    }
  },
};

async function runTypos(
  store: TypoStore,
  action: string,
  idText: string | undefined,
  values: Record<string, unknown>,
): Promise<number> {
  if (action === 'show' || action === 'resolve') {
    const id = Number(idText);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`${action} needs a report id`);
    if (action === 'resolve') {
      const done = await store.resolve(id, new Date());
      process.stdout.write(done ? `Report ${id} resolved\n` : '');
      if (!done) process.stderr.write(`polyfeed: no report ${id}\n`);
      return done ? ExitCode.Ok : ExitCode.ContentErrors;
    }
    const report = await store.get(id);
    if (!report) {
      process.stderr.write(`polyfeed: no report ${id}\n`);
      return ExitCode.ContentErrors;
    }
    process.stdout.write(showReport(report));
    return ExitCode.Ok;
  }
  const status = values.status ?? (action === 'list' ? 'open' : 'all');
  if (!['open', 'resolved', 'all'].includes(String(status)))
    throw new UsageError('--status must be open, resolved or all');
  const reports = await store.list({
    lang: values.lang as string | undefined,
    storyId: values.story as string | undefined,
    status: status === 'all' ? undefined : (status as ReportStatus),
  });
  if (action === 'list') {
    for (const r of reports)
      process.stdout.write(
        `#${r.id} ${r.status} ×${r.count} ${r.storyId}/${r.lang}: …${r.contextBefore.slice(-30)}[${r.selection}]${r.contextAfter.slice(0, 30)}…${r.comment ? ` — ${r.comment}` : ''}\n`,
      );
    process.stdout.write(`${reports.length} report${reports.length === 1 ? '' : 's'}\n`);
    return ExitCode.Ok;
  }
  const format = values.format ?? 'csv';
  if (format === 'json') process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else if (format === 'csv') process.stdout.write(toCsv(reports));
  else throw new UsageError('--format must be csv or json');
  return ExitCode.Ok;
}

function showReport(r: StoredReport): string {
  return [
    `Report #${r.id} (${r.status}, reported ${r.count} time${r.count === 1 ? '' : 's'})`,
    `Article:  ${r.url}`,
    `Story:    ${r.storyId} (${r.lang})`,
    `Text:     …${r.contextBefore}[${r.selection}]${r.contextAfter}…`,
    `Comment:  ${r.comment || '(none)'}`,
    `First:    ${r.createdAt}`,
    `Last:     ${r.updatedAt}`,
    ...(r.resolvedAt ? [`Resolved: ${r.resolvedAt}`] : []),
    '',
  ].join('\n');
}

const CSV_COLUMNS = [
  'id',
  'status',
  'count',
  'lang',
  'storyId',
  'url',
  'contextBefore',
  'selection',
  'contextAfter',
  'comment',
  'createdAt',
  'updatedAt',
  'resolvedAt',
] as const;

/** RFC 4180 CSV; a cell starting with = + - @ is prefixed with ' so spreadsheets do not run it. */
export function toCsv(reports: readonly StoredReport[]): string {
  const cell = (value: unknown) => {
    let text = value == null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [
    CSV_COLUMNS.join(','),
    ...reports.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export async function loadTypoConfig(
  root: string,
): Promise<{ config: SiteConfig; typo: NonNullable<SiteConfig['typoReport']> } | undefined> {
  const config = await loadConfigOrReport(root);
  if (!config) return undefined;
  if (!config.typoReport)
    throw new UsageError('site.yaml has no typoReport: set typoReport.endpoint first');
  return { config, typo: config.typoReport };
}
