/**
 * Where typo reports are kept: SQLite (better-sqlite3, WAL) by default, PostgreSQL for
 * newsrooms that run several servers behind a load balancer. Both go through the same SQL
 * and the same code; only this module knows which database it talks to. The schema is
 * created and upgraded by the migrations below, in code, when a store opens.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { OperationalError } from '../operational-error.js';
import type { Database } from './database.js';

export type { Database, Run } from './database.js';

import { Outbox } from './outbox.js';

/** A report as the reporter sends it, validated (see report-schema.ts). */
export interface NewReport {
  selection: string;
  contextBefore: string;
  contextAfter: string;
  comment: string;
  url: string;
  lang: string;
  storyId: string;
}

/** `resolved`: fixed or otherwise dealt with; `dismissed`: not an error after all. */
export type ReportStatus = 'open' | 'resolved' | 'dismissed';

/** What `polyfeed typos fix` (or the editors' page) changed to resolve a report. */
export interface Correction {
  /** The article file, relative to the site folder. */
  file: string;
  /** 1-based line of the file where the selection was. */
  line: number;
  before: string;
  after: string;
  /** The note added to the article's `corrections`, if any. */
  note?: string;
  /** The `updated` time written into the article (RFC 3339 in the site's zone). */
  updated: string;
}

export interface StoredReport extends NewReport {
  id: number;
  /** How many times this selection on this page was reported. */
  count: number;
  status: ReportStatus;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /**
   * Set when a `typos fix` resolved it: what changed in which file. Kept when the report is
   * resolved or dismissed again; cleared when a new report reopens it.
   */
  correction: Correction | null;
}

export interface ReportFilter {
  lang?: string;
  storyId?: string;
  status?: ReportStatus;
}

/** A page that shows a republished copy of a story, and how often it was viewed. */
export interface Republication {
  storyId: string;
  lang: string;
  /** The republishing page (its address without query or fragment), or '' when the view sent no Referer. */
  page: string;
  views: number;
  firstSeen: string;
  lastSeen: string;
}

export interface TypoStore {
  /**
   * Stores a report, or counts it on an earlier one of the same selection on the same page.
   * `notify` names the destinations to tell (see outbox.ts): their notifications are queued
   * in the same transaction, so that a report is never stored without them.
   */
  add(
    report: NewReport,
    now: Date,
    notify?: readonly string[],
  ): Promise<{ id: number; count: number }>;
  list(filter?: ReportFilter): Promise<StoredReport[]>;
  get(id: number): Promise<StoredReport | undefined>;
  /** Marks a report resolved; false when there is no such report. */
  resolve(id: number, now: Date, correction?: Correction): Promise<boolean>;
  /** Marks a report dismissed (not an error); false when there is no such report. */
  dismiss(id: number, now: Date): Promise<boolean>;
  /**
   * Counts a report from `client` and says whether it is within `limit` per `windowMs`. On
   * PostgreSQL the count is in the database, shared by every server; SQLite serves one
   * server, which counts in memory.
   */
  allow(client: string, now: Date, limit: number, windowMs: number): Promise<boolean>;
  /** The queue of notifications to editors (outbox.ts). */
  readonly outbox: Outbox;
  /** Counts a view of a republished copy (its tracking image was loaded) on `page`. */
  addRepublicationView(
    view: Pick<Republication, 'storyId' | 'lang' | 'page'>,
    now: Date,
  ): Promise<void>;
  /** The pages showing republished copies, by story, language and page. */
  listRepublications(filter?: { storyId?: string; lang?: string }): Promise<Republication[]>;
  /** A round trip to the database, for the health endpoint. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A statement with `?` placeholders and its parameters, inside a transaction. */

/** Each entry upgrades the schema by one version; never edit one that has shipped. */
const MIGRATIONS: readonly ((dialect: 'sqlite' | 'postgres') => string[])[] = [
  (dialect) => [
    `CREATE TABLE typo_reports (
      id ${dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY'},
      url TEXT NOT NULL,
      lang TEXT NOT NULL,
      story_id TEXT NOT NULL,
      selection TEXT NOT NULL,
      context_before TEXT NOT NULL,
      context_after TEXT NOT NULL,
      comment TEXT NOT NULL,
      count INTEGER NOT NULL DEFAULT 1,
      status TEXT NOT NULL DEFAULT 'open',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      resolved_at TEXT,
      UNIQUE (url, selection)
    )`,
    'CREATE INDEX typo_reports_listing ON typo_reports (status, lang, story_id)',
  ],
  // Notifications to editors (an outbox, see outbox.ts), what a fix changed, and the rate
  // limit's counts, which several servers on one PostgreSQL share.
  (dialect) => [
    // Each reopening of a resolved report is a new round, which editors are told about again.
    'ALTER TABLE typo_reports ADD COLUMN round INTEGER NOT NULL DEFAULT 1',
    'ALTER TABLE typo_reports ADD COLUMN correction TEXT',
    `CREATE TABLE typo_notifications (
      id ${dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY'},
      report_id BIGINT NOT NULL REFERENCES typo_reports (id),
      destination TEXT NOT NULL,
      round INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL,
      claimed_by TEXT,
      claimed_until TEXT,
      last_error TEXT,
      created_at TEXT NOT NULL,
      sent_at TEXT,
      UNIQUE (report_id, destination)
    )`,
    'CREATE INDEX typo_notifications_due ON typo_notifications (status, next_attempt_at)',
    `CREATE TABLE typo_rate (
      client TEXT NOT NULL,
      window_start BIGINT NOT NULL,
      hits INTEGER NOT NULL,
      PRIMARY KEY (client, window_start)
    )`,
  ],
  // Republished copies of stories (see typo/republications.ts): one row per story, language
  // and page that shows it.
  (dialect) => [
    `CREATE TABLE republications (
      id ${dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY'},
      story_id TEXT NOT NULL,
      lang TEXT NOT NULL,
      page TEXT NOT NULL,
      views INTEGER NOT NULL DEFAULT 1,
      first_seen TEXT NOT NULL,
      last_seen TEXT NOT NULL,
      UNIQUE (story_id, lang, page)
    )`,
  ],
];

const COLUMNS =
  'id, url, lang, story_id, selection, context_before, context_after, comment, count, status, created_at, updated_at, resolved_at, correction';

/** Whether a database location names a PostgreSQL server rather than an SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/**
 * Opens (creating or upgrading as needed) the store at `location`: a file path or a
 * postgres:// URL. A database that cannot be created or reached is an OperationalError
 * that says which and why.
 */
export async function openStore(location: string): Promise<TypoStore> {
  const postgres = isPostgresUrl(location);
  const db = postgres ? await openPostgres(location) : await openSqlite(location);
  try {
    await migrate(db, postgres ? 'postgres' : 'sqlite');
  } catch (error) {
    await db.close().catch(() => {});
    throw postgres ? unreachable(location, error) : error;
  }
  return new SqlStore(db);
}

async function migrate(db: Database, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.migrate(async (query) => {
    await query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const rows = await query('SELECT MAX(version) AS version FROM schema_migrations');
    const current = Number(rows[0]?.version ?? 0);
    for (const [i, migration] of MIGRATIONS.entries()) {
      const version = i + 1;
      if (version <= current) continue;
      for (const statement of migration(dialect)) await query(statement);
      await query(
        `INSERT INTO schema_migrations (version, applied_at) VALUES (${version}, '${new Date().toISOString()}')`,
      );
    }
  });
}

class SqlStore implements TypoStore {
  readonly outbox: Outbox;
  /** SQLite's rate counts (one server per file): client → times of its recent reports. */
  private readonly recent = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(private readonly db: Database) {
    this.outbox = new Outbox(db);
  }

  async add(
    report: NewReport,
    now: Date,
    notify: readonly string[] = [],
  ): Promise<{ id: number; count: number }> {
    const at = now.toISOString();
    // One statement, so that two servers folding the same report cannot both insert it.
    const upsert: [string, unknown[]] = [
      `INSERT INTO typo_reports (url, lang, story_id, selection, context_before, context_after, comment, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (url, selection) DO UPDATE SET
         count = typo_reports.count + 1,
         updated_at = excluded.updated_at,
         comment = CASE WHEN typo_reports.comment = '' OR typo_reports.status <> 'open' THEN excluded.comment ELSE typo_reports.comment END,
         -- Reopened: the text was corrected where the first reader saw it, so this reader's
         -- context is the one that points at what is left.
         context_before = CASE WHEN typo_reports.status = 'open' THEN typo_reports.context_before ELSE excluded.context_before END,
         context_after = CASE WHEN typo_reports.status = 'open' THEN typo_reports.context_after ELSE excluded.context_after END,
         round = CASE WHEN typo_reports.status = 'open' THEN typo_reports.round ELSE typo_reports.round + 1 END,
         -- A reopened report's new round has no fix yet.
         correction = CASE WHEN typo_reports.status = 'open' THEN typo_reports.correction ELSE NULL END,
         status = 'open',
         resolved_at = NULL
       RETURNING id, count, round`,
      [
        report.url,
        report.lang,
        report.storyId,
        report.selection,
        report.contextBefore,
        report.contextAfter,
        report.comment,
        at,
        at,
      ],
    ];
    if (!notify.length) {
      const [row] = await this.db.all(...upsert);
      return { id: Number(row?.id), count: Number(row?.count) };
    }
    return this.db.transaction(async (run) => {
      const [row] = await run(...upsert);
      const id = Number(row?.id);
      await Outbox.enqueue(run, id, Number(row?.round), notify, now);
      return { id, count: Number(row?.count) };
    });
  }

  async list(filter: ReportFilter = {}): Promise<StoredReport[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['lang', filter.lang],
      ['story_id', filter.storyId],
      ['status', filter.status],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM typo_reports ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
      params,
    );
    return rows.map(toReport);
  }

  async get(id: number): Promise<StoredReport | undefined> {
    const [row] = await this.db.all(`SELECT ${COLUMNS} FROM typo_reports WHERE id = ?`, [id]);
    return row && toReport(row);
  }

  resolve(id: number, now: Date, correction?: Correction): Promise<boolean> {
    return this.setStatus(id, 'resolved', now, correction);
  }

  dismiss(id: number, now: Date): Promise<boolean> {
    return this.setStatus(id, 'dismissed', now);
  }

  private async setStatus(
    id: number,
    status: ReportStatus,
    now: Date,
    correction?: Correction,
  ): Promise<boolean> {
    const at = now.toISOString();
    const rows = await this.db.all(
      // Without a correction, the one a fix recorded is kept (`typos resolve` after
      // `typos fix`, or a stale editors' page): the file did change.
      `UPDATE typo_reports SET status = ?, resolved_at = ?, updated_at = ?, correction = COALESCE(?, correction) WHERE id = ? RETURNING id`,
      [status, at, at, correction ? JSON.stringify(correction) : null, id],
    );
    return rows.length > 0;
  }

  async allow(client: string, now: Date, limit: number, windowMs: number): Promise<boolean> {
    const at = now.getTime();
    if (this.db.dialect === 'sqlite') return this.allowInMemory(client, at, limit, windowMs);
    // Fixed windows, counted in one statement: servers sharing the database cannot both
    // let the same report through.
    const windowStart = Math.floor(at / windowMs) * windowMs;
    if (windowStart !== this.lastSweep) {
      this.lastSweep = windowStart;
      await this.db.all('DELETE FROM typo_rate WHERE window_start < ?', [windowStart]);
    }
    const [row] = await this.db.all(
      `INSERT INTO typo_rate (client, window_start, hits) VALUES (?, ?, 1)
       ON CONFLICT (client, window_start) DO UPDATE SET hits = typo_rate.hits + 1
       RETURNING hits`,
      [client, windowStart],
    );
    return Number(row?.hits) <= limit;
  }

  /** At most `limit` reports per client in any `windowMs`; memory stays bounded. */
  private allowInMemory(client: string, at: number, limit: number, windowMs: number): boolean {
    if (at - this.lastSweep > windowMs) {
      for (const [key, times] of this.recent)
        if ((times.at(-1) ?? 0) <= at - windowMs) this.recent.delete(key);
      this.lastSweep = at;
    }
    const times = (this.recent.get(client) ?? []).filter((t) => t > at - windowMs);
    this.recent.set(client, times);
    if (times.length >= limit) return false;
    times.push(at);
    return true;
  }

  async addRepublicationView(
    view: Pick<Republication, 'storyId' | 'lang' | 'page'>,
    now: Date,
  ): Promise<void> {
    const at = now.toISOString();
    // One statement, so that two servers counting the same page cannot both insert it.
    await this.db.all(
      `INSERT INTO republications (story_id, lang, page, first_seen, last_seen)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (story_id, lang, page) DO UPDATE SET
         views = republications.views + 1,
         last_seen = excluded.last_seen
       RETURNING id`,
      [view.storyId, view.lang, view.page, at, at],
    );
  }

  async listRepublications(
    filter: { storyId?: string; lang?: string } = {},
  ): Promise<Republication[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.storyId !== undefined) {
      where.push('story_id = ?');
      params.push(filter.storyId);
    }
    if (filter.lang !== undefined) {
      where.push('lang = ?');
      params.push(filter.lang);
    }
    const rows = await this.db.all(
      `SELECT story_id, lang, page, views, first_seen, last_seen FROM republications
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY story_id, lang, page`,
      params,
    );
    return rows.map((row) => ({
      storyId: String(row.story_id),
      lang: String(row.lang),
      page: String(row.page),
      views: Number(row.views),
      firstSeen: String(row.first_seen),
      lastSeen: String(row.last_seen),
    }));
  }

  async ping(): Promise<void> {
    await this.db.all('SELECT 1 AS ok');
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function toReport(row: Record<string, unknown>): StoredReport {
  return {
    id: Number(row.id),
    url: String(row.url),
    lang: String(row.lang),
    storyId: String(row.story_id),
    selection: String(row.selection),
    contextBefore: String(row.context_before),
    contextAfter: String(row.context_after),
    comment: String(row.comment),
    count: Number(row.count),
    status: row.status === 'resolved' || row.status === 'dismissed' ? row.status : 'open',
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    resolvedAt: row.resolved_at == null ? null : String(row.resolved_at),
    correction: row.correction == null ? null : (JSON.parse(String(row.correction)) as Correction),
  };
}

async function openSqlite(path: string): Promise<Database> {
  const { default: BetterSqlite } = await import('better-sqlite3');
  let db: InstanceType<typeof BetterSqlite>;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new BetterSqlite(path);
    // The first read: a file that is not a database fails here.
    db.pragma('journal_mode = WAL');
  } catch (error) {
    throw new OperationalError(
      `cannot open or create the SQLite database ${path}: ${(error as Error).message}`,
    );
  }
  // A report the server has answered for is on disk, even if the machine loses power.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const statements = new Map<string, Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare<unknown[]>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  // One connection: while a transaction waits between its statements, every other statement
  // waits for it, or it would run inside that transaction.
  // (The check and the claim below have no await between them.)
  let busy: Promise<void> | undefined;
  return {
    dialect: 'sqlite',
    async all(sql, params = []) {
      while (busy) await busy;
      return execute(prepared(sql), params);
    },
    async transaction(work) {
      while (busy) await busy;
      let done = () => {};
      busy = new Promise((resolve) => {
        done = resolve;
      });
      try {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(async (sql, params = []) => execute(prepared(sql), params));
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        busy = undefined;
        done();
      }
    },
    async migrate(apply) {
      db.exec('BEGIN IMMEDIATE');
      try {
        await apply(async (sql) => execute(db.prepare<unknown[]>(sql), []));
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async close() {
      db.close();
    },
  };
}

/** Runs a statement: the rows it returns, or none for one that returns nothing. */
function execute(statement: Statement<unknown[]>, params: unknown[]): Record<string, unknown>[] {
  if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
  statement.run(...params);
  return [];
}

/** PostgreSQL errors that mean "cannot get in", by SQLSTATE class: connection, login, database. */
const UNREACHABLE_CLASSES = ['08', '28', '3D', '53', '57'];

/**
 * A failure to reach or log in to the server at `url` as one line naming its host and port
 * (never the password); any other error, a bug, as it is.
 */
function unreachable(url: string, error: unknown): unknown {
  const { code, message } = error as NodeJS.ErrnoException;
  const network = /^E[A-Z]+$/.test(code ?? '');
  if (!network && !UNREACHABLE_CLASSES.includes(code?.slice(0, 2) ?? '')) return error;
  const parsed = new URL(url);
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  const where = `${host}:${parsed.port || 5432}`;
  const why: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is the server running there, and listening on that port?)',
    ENOTFOUND: `no such host "${host}"`,
    ETIMEDOUT: 'no answer (a firewall, or the wrong address?)',
  };
  return new OperationalError(
    network
      ? `cannot reach PostgreSQL at ${where}: ${why[code ?? ''] ?? message}`
      : `PostgreSQL at ${where} refused: ${message}`,
  );
}

async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    dialect: 'postgres',
    async all(sql, params = []) {
      return (await pool.query(numbered(sql), params)).rows as Record<string, unknown>[];
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(
          async (sql, params = []) =>
            (await client.query(numbered(sql), params)).rows as Record<string, unknown>[],
        );
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async migrate(apply) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // Several servers may start at once: one migrates, the others wait and see it done.
        await client.query('SELECT pg_advisory_xact_lock(7402551)');
        await apply(async (sql) => (await client.query(sql)).rows);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
