/**
 * `polyfeed typos`: what editors see of the reports, from a real database, through the CLI.
 * (Ids have gaps: a report folded into an earlier one still draws a number, as sequences do.)
 * And what `polyfeed typos` and `polyfeed typo-server` say when the database or the port is
 * not there to be had: one line, no stack trace, exit 1.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../src/typo/store.js';
import { REPO } from './helpers.js';

let folder: string;
let database: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'polyfeed-typos-'));
  database = join(folder, 'reports.sqlite');
  const store = await openStore(database);
  const base = {
    contextBefore: 'The river in ',
    contextAfter: ' rose.',
    url: 'https://herald.example.org/en/articles/river/',
    lang: 'en',
    storyId: 'flood-warning',
  };
  await store.add({ ...base, selection: 'Dnirpo', comment: '' }, new Date('2025-01-01T10:00:00Z'));
  await store.add({ ...base, selection: 'Dnirpo', comment: '' }, new Date('2025-01-01T11:00:00Z'));
  await store.add(
    {
      ...base,
      lang: 'uk',
      storyId: 'other',
      selection: 'Київ',
      comment: '=HYPERLINK("x"), "quoted"',
    },
    new Date('2025-01-02T10:00:00Z'),
  );
  await store.close();
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function typos(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(REPO, 'bin', 'polyfeed.js'), 'typos', ...args, '--site', REPO, '--database', database],
    { encoding: 'utf8' },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('list, filters, show, resolve', () => {
  expect(typos('list').out).toBe(
    [
      '#1 open ×2 flood-warning/en: …The river in [Dnirpo] rose.…',
      '#3 open ×1 other/uk: …The river in [Київ] rose.… — =HYPERLINK("x"), "quoted"',
      '2 reports',
      '',
    ].join('\n'),
  );
  expect(typos('list', '--lang', 'uk').out).toContain('1 report\n');
  expect(typos('list', '--story', 'flood-warning').out).toContain('#1 ');
  const shown = typos('show', '1');
  expect(shown.code).toBe(0);
  expect(shown.out).toContain('Report #1 (open, reported 2 times)');
  expect(shown.out).toContain('Text:     …The river in [Dnirpo] rose.…');
  expect(typos('resolve', '1')).toMatchObject({ code: 0, out: 'Report 1 resolved\n' });
  expect(typos('list').out).not.toContain('#1 ');
  expect(typos('list', '--status', 'resolved').out).toContain('#1 resolved ×2');
  expect(typos('resolve', '99')).toMatchObject({ code: 1, err: 'polyfeed: no report 99\n' });
});

test('export as CSV (safe for spreadsheets) and JSON', () => {
  const csv = typos('export', '--format', 'csv').out.split('\r\n');
  expect(csv[0]).toBe(
    'id,status,count,lang,storyId,url,contextBefore,selection,contextAfter,comment,createdAt,updatedAt,resolvedAt',
  );
  // A formula is neutralized and quotes are doubled (RFC 4180).
  expect(csv[2]).toContain(`,"'=HYPERLINK(""x""), ""quoted""",`);
  const json = JSON.parse(typos('export', '--format', 'json', '--lang', 'uk').out);
  expect(json).toMatchObject([{ id: 3, selection: 'Київ', lang: 'uk', count: 1 }]);
});

test('wrong usage is exit code 2', () => {
  expect(typos('frobnicate').code).toBe(2);
  expect(typos('show').code).toBe(2);
  expect(typos('export', '--format', 'xml').code).toBe(2);
});

const BIN = join(REPO, 'bin', 'polyfeed.js');

/** The CLI on the sample site, without blocking this process (it may hold a port). */
function polyfeed(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (error, out, err) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, out, err });
    });
  });
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('when the database or the port is not to be had', () => {
  test('typos refuses a database that does not exist, and creates none', async () => {
    const missing = join(folder, 'mistyped.sqlite');
    for (const action of [['list'], ['show', '1'], ['export']]) {
      const result = await polyfeed('typos', ...action, '--site', REPO, '--database', missing);
      expect(result).toEqual({
        code: 1,
        out: '',
        err: `polyfeed: no typo report database at ${missing}: polyfeed typo-server creates it when it starts; --database names another\n`,
      });
    }
    expect(existsSync(missing)).toBe(false);
  });

  test('typo-server on a port in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await polyfeed(
        'typo-server',
        REPO,
        '--port',
        String(port),
        '--database',
        join(folder, 'server.sqlite'),
      );
      expect(result).toMatchObject({
        code: 1,
        err: `polyfeed: port ${port} is already in use (127.0.0.1:${port}): stop the program using it, or choose another port with --port (or typoReport.port in site.yaml)\n`,
      });
    } finally {
      taken.close();
    }
  });

  test('typo-server with a PostgreSQL that does not answer names its host and port', async () => {
    const port = await closedPort();
    const result = await polyfeed(
      'typo-server',
      REPO,
      '--port',
      '0',
      '--database',
      `postgres://editor:secret@127.0.0.1:${port}/typos`,
    );
    expect(result).toMatchObject({
      code: 1,
      err: `polyfeed: cannot reach PostgreSQL at 127.0.0.1:${port}: connection refused (is the server running there, and listening on that port?)\n`,
    });
  });

  test("typo-server creates the database's folder, or says in one line why it cannot", async () => {
    const database = join(folder, 'new', 'nested', 'reports.sqlite');
    const server = spawn(
      process.execPath,
      [BIN, 'typo-server', REPO, '--port', '0', '--database', database],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const started = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (out.includes('\n')) resolve(out);
        });
        server.once('exit', (code) => reject(new Error(`typo-server exited with ${code}`)));
      });
      expect(started).toContain(`→ ${database}`);
      expect(existsSync(database)).toBe(true);
    } finally {
      server.kill('SIGTERM');
    }
    // A folder cannot be made inside a file.
    const file = join(folder, 'a-file');
    writeFileSync(file, '');
    const result = await polyfeed(
      'typo-server',
      REPO,
      '--port',
      '0',
      '--database',
      join(file, 'reports.sqlite'),
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      new RegExp(
        `^polyfeed: cannot open or create the SQLite database ${file}/reports.sqlite: [^\\n]+\\n$`,
      ),
    );
  });
});
