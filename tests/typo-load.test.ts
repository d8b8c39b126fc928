/**
 * No accepted report is lost when the typo server is killed mid-load: a short, bounded run
 * of bench/typo-load.mjs (autocannon on loopback) that SIGKILLs the server a third of the
 * way in and starts it again on the same SQLite database. Speed is measured by
 * `npm run bench:typo`, not here.
 */
import { expect, test } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the benchmark kit, without types
import { loadTest } from '../bench/typo-load.mjs';

test('every report answered 201 before or after a SIGKILL is in the database', async () => {
  const result = (await loadTest({ seconds: 4, connections: 10, kill: true })) as {
    accepted: number;
    stored: number;
    errors: number;
    lost: string[];
  };
  // The kill happened: requests failed while the server was down.
  expect(result.errors).toBeGreaterThan(0);
  expect(result.accepted).toBeGreaterThan(100);
  expect(result.lost).toEqual([]);
  expect(result.stored).toBeGreaterThanOrEqual(result.accepted);
}, 60_000);
