/**
 * `polyfeed typo-server`: the service that receives readers' typo reports; and
 * `polyfeed typos list|show|fix|resolve|dismiss|export`: the editors' side of the same
 * database. Also the helpers `polyfeed republications` shares (the config, the database).
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { SiteConfig } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics.js';
import { OperationalError } from '../operational-error.js';
import type { Notifier } from '../typo/notifier.js';
import type { Destination } from '../typo/notify-config.js';
import type { ReportStatus, StoredReport, TypoStore } from '../typo/store.js';
import { type Command, ExitCode, siteFolder, UsageError } from './command.js';
import { listenError } from './listen-error.js';
import { parseNow } from './parse-now.js';
import { loadConfigOrReport, printDiagnostics } from './report.js';

export const typoServerCommand: Command = {
  name: 'typo-server',
  summary: "receive readers' typo reports (and serve the editors' report page)",
  help: `Usage: polyfeed typo-server [site-folder] [options]

Listens for typo reports from the site's pages (typoReport.endpoint in site.yaml gives the
path) and stores them, and tells the editors (typoReport.notify) in the background. Also
answers GET /health; /reports?token=… for editors when typoReport.editorToken or
$POLYFEED_TYPO_TOKEN is set: the reports, with forms to fix (editing this site folder's
articles), resolve or dismiss them; and the tracking image of republished stories
(<endpoint>/republished.gif, or the path of rights.trackingUrl), counting each view (see
polyfeed republications).

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
    const { databaseLocation, editorLocalizers, maskDatabase, serverOptions } = await import(
      '../typo/from-config.js'
    );
    const { Notifier } = await import('../typo/notifier.js');
    const database = databaseLocation(
      root,
      typeof values.database === 'string' ? values.database : typo.database,
    );
    const destinations = await notifyDestinations(root, config);
    if (!destinations) return ExitCode.ContentErrors;
    const store = await openStore(database);
    const localizers = await editorLocalizers(root, config);
    const notifier = destinations.length
      ? new Notifier({
          store,
          destinations,
          delivery: typo.delivery,
          root,
          localizers,
          log: (line) => process.stdout.write(`${line}\n`),
        })
      : undefined;
    const options = serverOptions(
      config,
      {
        ...typo,
        origins: [...typo.origins, ...((values.origin as string[] | undefined) ?? [])],
        rateLimit: wholeNumber(values, 'rate-limit', typo.rateLimit),
      },
      store,
    );
    const server = createTypoServer({
      ...options,
      notifier,
      // The editors' page speaks the site's languages, and its Fix form edits this folder.
      editors: { localizers, languages: defaultLanguageFirst(config), site: { root, config } },
    });
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    const port = await listen(server, host, wholeNumber(values, 'port', typo.port), store);
    notifier?.start();
    // One write: whoever reads the start-up (a log, a supervisor) gets it whole.
    const started = [
      `Typo reports: POST http://${host}:${port}${options.endpointPath} → ${maskDatabase(database)}`,
    ];
    if (destinations.length)
      started.push(`Notifying: ${destinations.map((d) => d.label).join('; ')}`);
    if (options.pixelPath)
      started.push(`Republications: GET http://${host}:${port}${options.pixelPath}`);
    process.stdout.write(`${started.join('\n')}\n`);
    exitOnSignals(server, store, notifier);
    await new Promise(() => {});
    return ExitCode.Ok;
  },
};

/** A command-line option that must be a whole number, or `fallback` when it is not given. */
function wholeNumber(values: Record<string, unknown>, name: string, fallback: number): number {
  const value = values[name];
  if (typeof value !== 'string') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number`);
  return n;
}

/**
 * Who is told of new reports (typoReport.notify, with the secrets it names read from the
 * environment); undefined, with the problems printed, when they cannot all be resolved.
 */
async function notifyDestinations(
  root: string,
  config: SiteConfig,
): Promise<Destination[] | undefined> {
  const { resolveDestinations } = await import('../typo/notify-config.js');
  const diagnostics: Diagnostic[] = [];
  const destinations = await resolveDestinations(root, config, process.env, diagnostics);
  if (!destinations) printDiagnostics(diagnostics);
  return destinations;
}

/** The site's languages, the default first: the editors' page takes the first as its default. */
function defaultLanguageFirst(config: SiteConfig): SiteConfig['languages'] {
  return [...config.languages].sort(
    (a, b) => Number(b.code === config.defaultLanguage) - Number(a.code === config.defaultLanguage),
  );
}

/**
 * Starts listening, and returns the port listened on; when it cannot, closes the database
 * and throws what the user can do about it.
 */
async function listen(
  server: Server,
  host: string,
  wanted: number,
  store: TypoStore,
): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, host, resolve);
    });
  } catch (error) {
    await store.close();
    throw listenError(error, host, wanted, '--port (or typoReport.port in site.yaml)');
  }
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * On Ctrl-C or SIGTERM: stops taking requests, lets the notifier finish what it is
 * sending, closes the database and exits.
 */
function exitOnSignals(server: Server, store: TypoStore, notifier: Notifier | undefined): void {
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void (notifier?.stop() ?? Promise.resolve())
      .then(() => store.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export const typosCommand: Command = {
  name: 'typos',
  summary: 'list, show, fix, resolve, dismiss or export the typo reports readers sent',
  help: `Usage: polyfeed typos <list|show <id>|fix <id>|resolve <id>|dismiss <id>|export> [options]

  list               open reports, one per line (--status resolved|dismissed|all for others)
  show <id>          one report in full
  fix <id> --text "corrected words" [--note "…"] [--dry-run]
                     replace the reported text in the article's Markdown (the occurrence the
                     reader's context points to), set its updated time to now in the site's
                     time zone, with --note add an entry to its corrections, and mark the
                     report resolved; --dry-run shows the change as a diff and changes nothing
  resolve <id>       mark a report resolved
  dismiss <id>       mark a report dismissed (not an error)
  export             every report matching the filters, as --format csv (default) or json

Options:
  --site <folder>      the site folder (default .)
  --database <where>   SQLite file or postgres:// URL (default typoReport.database)
  --lang <code>        only reports from pages in this language
  --story <id>         only reports on this story
  --status <s>         open (default for list), resolved, dismissed or all (default for export)
  --format <f>         csv or json (export)
  --text <words>       the corrected words (fix)
  --note <text>        a correction note shown on the article (fix)
  --dry-run            show the fix as a diff, change nothing (fix)
  --now <instant>      the time the fix is made at, e.g. 2024-05-14T12:00:00+03:00 (default: now)
`,
  options: {
    site: { type: 'string' },
    database: { type: 'string' },
    text: { type: 'string' },
    note: { type: 'string' },
    'dry-run': { type: 'boolean' },
    now: { type: 'string' },
    lang: { type: 'string' },
    story: { type: 'string' },
    status: { type: 'string' },
    format: { type: 'string' },
  },
  maxPositionals: 2,
  async run(values, positionals) {
    const [action, id] = positionals;
    if (!action || !['list', 'show', 'fix', 'resolve', 'dismiss', 'export'].includes(action))
      throw new UsageError(
        'say what to do: list, show <id>, fix <id>, resolve <id>, dismiss <id> or export',
      );
    if (action === 'fix' && typeof values.text !== 'string')
      throw new UsageError('fix needs the corrected words: --text "…"');
    const now = parseNow(typeof values.now === 'string' ? values.now : undefined);
    const root = siteFolder(values, []);
    const loaded = await loadTypoConfig(root);
    if (!loaded) return ExitCode.ContentErrors;
    const store = await openEditorsStore(root, values, loaded.typo);
    try {
      if (action === 'fix')
        return await runFix(root, loaded.config, store, reportId(action, id), values, now);
      return await runTypos(store, action, id, values, now);
    } finally {
      await store.close();
    }
  },
};

/**
 * The database an editor's command reads (`--database`, else typoReport.database), opened.
 * Opening creates a database: `typos` and `republications` must not make an empty one and
 * report nothing for a mistyped path.
 */
export async function openEditorsStore(
  root: string,
  values: Record<string, unknown>,
  typo: NonNullable<SiteConfig['typoReport']>,
): Promise<TypoStore> {
  const { isPostgresUrl, openStore } = await import('../typo/store.js');
  const { databaseLocation } = await import('../typo/from-config.js');
  const database = databaseLocation(
    root,
    typeof values.database === 'string' ? values.database : typo.database,
  );
  if (!isPostgresUrl(database) && !existsSync(database))
    throw new OperationalError(
      `no typo report database at ${database}: polyfeed typo-server creates it when it starts; --database names another`,
    );
  return openStore(database);
}

function reportId(action: string, idText: string | undefined): number {
  const id = Number(idText);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`${action} needs a report id`);
  return id;
}

/** `typos fix`: the planned change shown (--dry-run) or made, or why it cannot be. */
async function runFix(
  root: string,
  config: SiteConfig,
  store: TypoStore,
  id: number,
  values: Record<string, unknown>,
  now: Date,
): Promise<number> {
  const { applyFix, diffOf, FixRefusal, planFix } = await import('../typo/fix-article.js');
  const { english } = await import('../typo/english-strings.js');
  const report = await store.get(id);
  if (!report) {
    process.stderr.write(`polyfeed: no report ${id}\n`);
    return ExitCode.ContentErrors;
  }
  const refuse = (refusal: InstanceType<typeof FixRefusal>) => {
    process.stderr.write(
      `polyfeed: report ${id} not fixed, nothing changed: ${english(`fix.${refusal.code}`, refusal.params)}\n`,
    );
    return ExitCode.ContentErrors;
  };
  const plan = await planFix(root, config, report, {
    text: String(values.text),
    note: typeof values.note === 'string' ? values.note : undefined,
    now,
  });
  if (plan instanceof FixRefusal) return refuse(plan);
  if (values['dry-run']) {
    process.stdout.write(diffOf(plan));
    return ExitCode.Ok;
  }
  const refused = await applyFix(root, plan, store, id, now);
  if (refused) return refuse(refused);
  const { line, before, after } = plan.correction;
  process.stdout.write(
    `Report ${id} fixed: ${plan.file}:${line}: “${before}” → “${after}”; updated ${plan.correction.updated}${plan.correction.note ? ', with a correction note' : ''}. Build the site to publish it.\n`,
  );
  return ExitCode.Ok;
}

async function runTypos(
  store: TypoStore,
  action: string,
  idText: string | undefined,
  values: Record<string, unknown>,
  now: Date,
): Promise<number> {
  if (action === 'show' || action === 'resolve' || action === 'dismiss') {
    const id = reportId(action, idText);
    if (action === 'resolve' || action === 'dismiss') {
      const done = await (action === 'resolve' ? store.resolve(id, now) : store.dismiss(id, now));
      process.stdout.write(
        done ? `Report ${id} ${action === 'resolve' ? 'resolved' : 'dismissed'}\n` : '',
      );
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
  if (!['open', 'resolved', 'dismissed', 'all'].includes(String(status)))
    throw new UsageError('--status must be open, resolved, dismissed or all');
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
    ...(r.resolvedAt
      ? [`${r.status === 'dismissed' ? 'Dismissed' : 'Resolved'}: ${r.resolvedAt}`]
      : []),
    ...(r.correction
      ? [
          `Fixed:    ${r.correction.file}:${r.correction.line}: “${r.correction.before}” → “${r.correction.after}” (updated ${r.correction.updated})`,
          ...(r.correction.note ? [`Note:     ${r.correction.note}`] : []),
        ]
      : []),
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
