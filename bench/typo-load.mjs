#!/usr/bin/env node
// npm run bench:typo -- [--seconds 10] [--connections 20] [--kill] [--postgres URL]
//
// A bounded load test of `polyfeed typo-server` on loopback (at most 30 s): autocannon
// posts distinct reports from the sample site's origin and prints requests per second and
// latency percentiles. With --kill the server is killed (SIGKILL) a third of the way in
// and started again on the same port and database; afterwards every report the server
// answered 201 for must be in the database: no accepted report is lost.
//
// tests/typo-load.test.ts runs loadTest() with --kill for a few seconds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ORIGIN = 'https://herald.example.org';
const PATH = '/api/typo-reports';

/** A free loopback port. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `polyfeed typo-server` for the sample site; resolves once it listens. */
function startServer(port, database) {
  const child = spawn(
    process.execPath,
    [
      join(repo, 'bin', 'polyfeed.js'),
      'typo-server',
      repo,
      '--port',
      String(port),
      '--database',
      database,
      '--rate-limit',
      '100000000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`typo-server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('Typo reports:')) resolve(child);
    });
  });
}

/**
 * Runs the load for `seconds`; with `kill`, kills and restarts the server on the way.
 * Returns autocannon's numbers and the selections the server accepted (201).
 */
export async function loadTest({ seconds = 10, connections = 20, kill = false, database } = {}) {
  if (seconds > 30) throw new Error('the load test is bounded to 30 s');
  const folder = database ? undefined : mkdtempSync(join(tmpdir(), 'polyfeed-load-'));
  const where = database ?? join(folder, 'reports.sqlite');
  const port = await freePort();
  let server = await startServer(port, where);
  const accepted = new Set();
  let sequence = 0;
  let restarted;
  const killer =
    kill &&
    setTimeout(
      () => {
        server.removeAllListeners('exit');
        server.kill('SIGKILL');
        restarted = new Promise((resolve) => server.once('exit', resolve)).then(() =>
          startServer(port, where).then((child) => {
            server = child;
          }),
        );
      },
      (seconds * 1000) / 3,
    );
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: PATH,
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        setupRequest(request, context) {
          const selection = `load-${process.pid}-${sequence++}`;
          context.selection = selection;
          return {
            ...request,
            body: JSON.stringify({
              selection,
              contextBefore: 'The river in ',
              contextAfter: ' rose by 40 centimetres.',
              comment: '',
              url: `${ORIGIN}/en/articles/river/`,
              lang: 'en',
              storyId: '2024-03-12-bridge-repairs',
            }),
          };
        },
        onResponse(status, _body, context) {
          if (status === 201) accepted.add(context.selection);
        },
      },
    ],
  });
  if (killer) clearTimeout(killer);
  await restarted;
  server.removeAllListeners('exit');
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));

  const { openStore } = await import(join(repo, 'lib', 'typo', 'store.js'));
  const store = await openStore(where);
  const stored = new Set((await store.list()).map((r) => r.selection));
  await store.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
  const lost = [...accepted].filter((selection) => !stored.has(selection));
  return {
    requestsPerSecond: result.requests.average,
    latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    responses: result['2xx'],
    errors: result.errors + result.non2xx,
    accepted: accepted.size,
    stored: stored.size,
    lost,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name, fallback) => {
    const at = process.argv.indexOf(`--${name}`);
    return at < 0 ? fallback : process.argv[at + 1];
  };
  const numbers = await loadTest({
    seconds: Number(option('seconds', 10)),
    connections: Number(option('connections', 20)),
    kill: process.argv.includes('--kill'),
    database: option('postgres', undefined),
  });
  const { lost, ...shown } = numbers;
  console.log(JSON.stringify({ ...shown, lost: lost.length }, null, 2));
  if (lost.length) process.exitCode = 1;
}
