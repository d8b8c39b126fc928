/**
 * Where typo reports are kept: SQLite (better-sqlite3, WAL) by default, PostgreSQL for
 * newsrooms that run several servers behind a load balancer. Both go through the same SQL
 * and the same code; only this module knows which database it talks to. The schema is
 * created and upgraded by the migrations below, in code, when a store opens.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Statement } from 'better-sqlite3';

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

export type ReportStatus = 'open' | 'resolved';

export interface StoredReport extends NewReport {
  id: number;
  /** How many times this selection on this page was reported. */
  count: number;
  status: ReportStatus;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
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
  /** Stores a report, or counts it on an earlier one of the same selection on the same page. */
  add(report: NewReport, now: Date): Promise<{ id: number; count: number }>;
  list(filter?: ReportFilter): Promise<StoredReport[]>;
  get(id: number): Promise<StoredReport | undefined>;
  /** Marks a report resolved; false when there is no such report. */
  resolve(id: number, now: Date): Promise<boolean>;
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

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** SQL both databases understand, with `?` placeholders. */
interface Database {
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs `apply` in one transaction holding the migration lock; `query` runs inside it. */
  migrate(apply: (query: Query) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

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
  'id, url, lang, story_id, selection, context_before, context_after, comment, count, status, created_at, updated_at, resolved_at';

/** Whether a database location names a PostgreSQL server rather than an SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** Opens (creating or upgrading as needed) the store at `location`: a file path or a postgres:// URL. */
export async function openStore(location: string): Promise<TypoStore> {
  const postgres = isPostgresUrl(location);
  const db = postgres ? await openPostgres(location) : await openSqlite(location);
  await migrate(db, postgres ? 'postgres' : 'sqlite');
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
  constructor(private readonly db: Database) {}

  async add(report: NewReport, now: Date): Promise<{ id: number; count: number }> {
    const at = now.toISOString();
    // One statement, so that two servers folding the same report cannot both insert it.
    const [row] = await this.db.all(
      `INSERT INTO typo_reports (url, lang, story_id, selection, context_before, context_after, comment, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (url, selection) DO UPDATE SET
         count = typo_reports.count + 1,
         updated_at = excluded.updated_at,
         comment = CASE WHEN typo_reports.comment = '' THEN excluded.comment ELSE typo_reports.comment END,
         status = 'open',
         resolved_at = NULL
       RETURNING id, count`,
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
    );
    return { id: Number(row?.id), count: Number(row?.count) };
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

  async resolve(id: number, now: Date): Promise<boolean> {
    const rows = await this.db.all(
      `UPDATE typo_reports SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ? RETURNING id`,
      [now.toISOString(), now.toISOString(), id],
    );
    return rows.length > 0;
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
    status: row.status === 'resolved' ? 'resolved' : 'open',
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    resolvedAt: row.resolved_at == null ? null : String(row.resolved_at),
  };
}

async function openSqlite(path: string): Promise<Database> {
  const { default: BetterSqlite } = await import('better-sqlite3');
  mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite(path);
  db.pragma('journal_mode = WAL');
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
  return {
    async all(sql, params = []) {
      return execute(prepared(sql), params);
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

async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    async all(sql, params = []) {
      return (await pool.query(numbered(sql), params)).rows as Record<string, unknown>[];
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
