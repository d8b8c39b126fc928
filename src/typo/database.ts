/** The SQL both stores speak: SQLite and PostgreSQL behind one small interface. */
export type Run = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** SQL both databases understand, with `?` placeholders. */
export interface Database {
  dialect: 'sqlite' | 'postgres';
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs `work` in one transaction: all of its statements are kept, or none. */
  transaction<T>(work: (run: Run) => Promise<T>): Promise<T>;
  /** Runs `apply` in one transaction holding the migration lock; `query` runs inside it. */
  migrate(apply: (query: Query) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}
