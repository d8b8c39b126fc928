/**
 * The tests' PostgreSQL starts wherever the clone is: as root the server runs as the
 * `postgres` user, which cannot enter root's home (mode 700), so binaries under it must
 * still serve (postgres-server.ts copies them to a folder that user can reach).
 */
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { shippedBinaries, startPostgres } from './postgres-server.js';

test('starts from binaries in a folder only its owner may enter', async () => {
  const hidden = mkdtempSync(join(tmpdir(), 'polyfeed-owner-only-'));
  try {
    expect(statSync(hidden).mode & 0o777).toBe(0o700);
    const binaries = join(hidden, 'native');
    cpSync(await shippedBinaries(), binaries, { recursive: true, verbatimSymlinks: true });
    const server = await startPostgres(binaries);
    try {
      await server.createDatabase('reachable');
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: server.url('reachable') });
      await client.connect();
      expect((await client.query('SELECT 1 + 1 AS two')).rows).toEqual([{ two: 2 }]);
      await client.end();
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(hidden, { recursive: true, force: true });
  }
}, 120_000);
