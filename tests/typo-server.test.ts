/**
 * The typo report service over HTTP: every error path with its status code, AMP CORS, the
 * rate limit, folding duplicates, the health endpoint and the editors' page; and the store
 * contract against both databases, SQLite in a temporary file and a real PostgreSQL server
 * that the test starts itself (see postgres-server.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ampCacheOrigins, createTypoServer, MAX_BODY_BYTES } from '../src/typo/server.js';
import { type NewReport, openStore, type TypoStore } from '../src/typo/store.js';
import { startPostgres } from './postgres-server.js';

const SITE = 'https://news.example.org';
const ENDPOINT = '/api/typo';
const TOKEN = 'editors-secret-token-1234';

const report = (change: Partial<NewReport> = {}) => ({
  selection: 'Dnirpo',
  contextBefore: 'The river in ',
  contextAfter: ' rose by 40 centimetres.',
  comment: '',
  url: `${SITE}/en/articles/river/`,
  lang: 'en',
  storyId: 'flood-warning',
  ...change,
});

interface Running {
  base: string;
  store: TypoStore;
  server: Server;
  folder: string;
}

async function start(limit = 100, token: string | undefined = TOKEN): Promise<Running> {
  const folder = mkdtempSync(join(tmpdir(), 'polyfeed-typo-'));
  const store = await openStore(join(folder, 'reports.sqlite'));
  const server = createTypoServer({
    store,
    endpointPath: ENDPOINT,
    siteOrigins: [SITE],
    allowedOrigins: [SITE, ...ampCacheOrigins(SITE)],
    languages: ['en', 'uk', 'ar'],
    rateLimit: limit,
    rateWindowMs: 60_000,
    trustProxy: false,
    editorToken: token,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, store, server, folder };
}

async function stop(running: Running): Promise<void> {
  await new Promise((resolve) => running.server.close(resolve));
  await running.store.close();
  rmSync(running.folder, { recursive: true, force: true });
}

function post(
  running: Running,
  body: BodyInit,
  headers: Record<string, string> = {},
  query = '',
): Promise<Response> {
  return fetch(`${running.base}${ENDPOINT}${query}`, {
    method: 'POST',
    headers: { Origin: SITE, 'Content-Type': 'application/json', ...headers },
    body,
  });
}

describe('typo-server over HTTP', () => {
  let running: Running;
  beforeAll(async () => {
    running = await start();
  });
  afterAll(() => stop(running));

  test('a report is stored, and the same selection on the same page is folded into it', async () => {
    const first = await post(running, JSON.stringify(report({ comment: 'Dnipro' })));
    expect(first.status).toBe(201);
    expect(first.headers.get('access-control-allow-origin')).toBe(SITE);
    const { id } = (await first.json()) as { id: number };
    // Reached through a tracking link: still the same page.
    const again = await post(
      running,
      JSON.stringify(report({ url: `${SITE}/en/articles/river/?utm_source=x#top` })),
    );
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'received', id, count: 2, duplicate: true });
    const stored = await running.store.get(id);
    expect(stored).toMatchObject({
      count: 2,
      comment: 'Dnipro',
      status: 'open',
      selection: 'Dnirpo',
    });
  });

  test.each([
    ['bad JSON → 400', '{"selection":', 400, 'the body is not valid JSON'],
    ['a JSON array → 400', '[1]', 400, 'invalid report'],
  ])('%s', async (_name, body, status, error) => {
    const response = await post(running, body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toBe(error);
  });

  test('missing and wrong fields → 400, naming each field', async () => {
    const response = await post(
      running,
      JSON.stringify({ selection: ' ', url: 'https://evil.example/x', lang: 'fr' }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { fields: unknown[] }).fields).toEqual([
      { field: 'selection', message: 'is empty: select the text with the error' },
      { field: 'url', message: 'is not a page of this site' },
      { field: 'lang', message: "must be one of the site's languages (en, uk, ar)" },
      { field: 'storyId', message: 'is required' },
    ]);
  });

  test('a url that is no URL at all → 400, not a crash', async () => {
    const response = await post(running, JSON.stringify(report({ url: 'nope' })));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { fields: unknown[] }).fields).toEqual([
      { field: 'url', message: 'must be the absolute URL of the article' },
    ]);
  });

  test('too long a selection or comment → 400', async () => {
    const response = await post(
      running,
      JSON.stringify(report({ selection: 'x'.repeat(257), comment: 'y'.repeat(1001) })),
    );
    expect(response.status).toBe(400);
    expect(
      ((await response.json()) as { fields: { field: string }[] }).fields.map((f) => f.field),
    ).toEqual(['selection', 'comment']);
  });

  test('oversized body → 413, whether declared or streamed', async () => {
    const big = JSON.stringify(report({ comment: 'z'.repeat(MAX_BODY_BYTES) }));
    expect((await post(running, big)).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await fetch(`${running.base}${ENDPOINT}`, {
      method: 'POST',
      headers: { Origin: SITE, 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  test('wrong content type → 415', async () => {
    expect((await post(running, 'x', { 'Content-Type': 'text/plain' })).status).toBe(415);
  });

  test('AMP CORS: foreign origins and origin-less requests are refused before any write', async () => {
    const before = (await running.store.list()).length;
    const foreign = await post(running, JSON.stringify(report({ selection: 'a' })), {
      Origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const noOrigin = await fetch(`${running.base}${ENDPOINT}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(report({ selection: 'b' })),
    });
    expect(noOrigin.status).toBe(403);
    const spoofedSource = await post(
      running,
      JSON.stringify(report({ selection: 'c' })),
      {},
      '?__amp_source_origin=https%3A%2F%2Fevil.example',
    );
    expect(spoofedSource.status).toBe(403);
    expect((await running.store.list()).length).toBe(before);
  });

  test('AMP: a form from the AMP cache origin, and a same-origin AMP request', async () => {
    const cache = 'https://news-example-org.cdn.ampproject.org';
    const form = new FormData();
    for (const [key, value] of Object.entries(report({ selection: 'Kyiv', lang: 'uk' })))
      form.set(key, value);
    const fromCache = await fetch(
      `${running.base}${ENDPOINT}?__amp_source_origin=${encodeURIComponent(SITE)}`,
      { method: 'POST', headers: { Origin: cache }, body: form },
    );
    expect(fromCache.status).toBe(201);
    expect(fromCache.headers.get('access-control-allow-origin')).toBe(cache);
    expect(fromCache.headers.get('amp-access-control-allow-source-origin')).toBe(SITE);
    const sameOrigin = await fetch(`${running.base}${ENDPOINT}`, {
      method: 'POST',
      headers: { 'AMP-Same-Origin': 'true' },
      body: new URLSearchParams(report({ selection: 'Lviv' })),
    });
    expect(sameOrigin.status).toBe(201);
  });

  test('GET on the endpoint, from any origin or none: 405, saying what the address is for', async () => {
    for (const headers of [{}, { Origin: 'https://evil.example' }] as Record<string, string>[]) {
      const response = await fetch(`${running.base}${ENDPOINT}`, { headers });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST, OPTIONS');
      expect(await response.json()).toEqual({
        error:
          "only POST is accepted here: the site's pages post readers' typo reports to this address",
      });
    }
  });

  test('a preflight is answered for our origin', async () => {
    const response = await fetch(`${running.base}${ENDPOINT}`, {
      method: 'OPTIONS',
      headers: { Origin: SITE, 'Access-Control-Request-Method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type');
  });

  test('control characters never reach the database; HTML is kept as text', async () => {
    const response = await post(
      running,
      JSON.stringify(
        report({ selection: 'bad\u0007\u001b[31mtext', comment: '<script>alert(1)</script>' }),
      ),
    );
    const { id } = (await response.json()) as { id: number };
    expect(await running.store.get(id)).toMatchObject({
      selection: 'bad[31mtext',
      comment: '<script>alert(1)</script>',
    });
  });

  test('health', async () => {
    const response = await fetch(`${running.base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test("the editors' page needs the token and escapes what readers sent", async () => {
    expect((await fetch(`${running.base}/reports`)).status).toBe(401);
    expect((await fetch(`${running.base}/reports?token=wrong`)).status).toBe(401);
    const page = await fetch(`${running.base}/reports`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('The river in <mark>Dnirpo</mark> rose by 40 centimetres.');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain(
      `<a href="${SITE}/en/articles/river/" rel="noreferrer">flood-warning</a>`,
    );
  });
});

describe('typo-server limits', () => {
  test('a client over the rate limit gets 429 with a localized-message flag, others do not', async () => {
    const running = await start(3, '');
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await post(running, JSON.stringify(report({ selection: `w${i}` })))).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      const limited = await post(running, JSON.stringify(report({ selection: 'again' })));
      expect(limited.headers.get('retry-after')).toBe('60');
      expect(await limited.json()).toMatchObject({ tooMany: true });
      expect((await running.store.list()).length).toBe(3);
      // No token configured: the editors' page does not exist, and says how to turn it on.
      const off = await fetch(`${running.base}/reports?token=x`);
      expect(off.status).toBe(404);
      expect(await off.json()).toEqual({
        error:
          "the editors' page is off: give the typo server a token (typoReport.editorToken in site.yaml, or the POLYFEED_TYPO_TOKEN environment variable), restart it, then open /reports?token=<the token>",
      });
    } finally {
      await stop(running);
    }
  });
});

/** What every store does, on both databases. */
async function storeContract(store: TypoStore): Promise<void> {
  const now = new Date('2025-01-01T10:00:00Z');
  const a = await store.add(report(), now);
  const b = await store.add(report({ comment: 'Dnipro' }), now);
  expect(b).toEqual({ id: a.id, count: 2 });
  const other = await store.add(report({ selection: 'other', lang: 'uk', storyId: 's2' }), now);
  expect(other.count).toBe(1);
  expect((await store.list({ lang: 'uk' })).map((r) => r.id)).toEqual([other.id]);
  expect((await store.list({ storyId: 'flood-warning' }))[0]).toMatchObject({
    comment: 'Dnipro',
    count: 2,
    createdAt: '2025-01-01T10:00:00.000Z',
  });
  expect(await store.resolve(a.id, new Date('2025-01-02T00:00:00Z'))).toBe(true);
  expect(await store.resolve(9999, now)).toBe(false);
  expect((await store.list({ status: 'open' })).map((r) => r.id)).toEqual([other.id]);
  expect((await store.get(a.id))?.resolvedAt).toBe('2025-01-02T00:00:00.000Z');
  // Reported again after it was resolved: the fix did not land, so it is open again.
  await store.add(report(), now);
  expect(await store.get(a.id)).toMatchObject({ status: 'open', count: 3, resolvedAt: null });
  // A fix's correction is kept when the report is resolved or dismissed again without one
  // (`typos resolve` after `typos fix`, a stale editors' page), and dropped when a new
  // report reopens it: that round has no fix yet.
  const correction = {
    file: 'articles/flood-warning/en.md',
    line: 9,
    before: 'Dnieper',
    after: 'Dnipro',
    updated: '2025-01-04T12:00:00+02:00',
  };
  await store.resolve(a.id, new Date('2025-01-04T10:00:00Z'), correction);
  await store.resolve(a.id, new Date('2025-01-04T11:00:00Z'));
  expect((await store.get(a.id))?.correction).toEqual(correction);
  await store.dismiss(a.id, new Date('2025-01-04T12:00:00Z'));
  expect(await store.get(a.id)).toMatchObject({ status: 'dismissed', correction });
  await store.add(report(), now);
  expect(await store.get(a.id)).toMatchObject({ status: 'open', count: 4, correction: null });
  // Views of republished copies: one row per story, language and page, counted up.
  const page = 'https://partner.example.net/news/bridge';
  await store.addRepublicationView({ storyId: 'flood-warning', lang: 'en', page }, now);
  await store.addRepublicationView(
    { storyId: 'flood-warning', lang: 'en', page },
    new Date('2025-01-03T00:00:00Z'),
  );
  await store.addRepublicationView({ storyId: 'flood-warning', lang: 'uk', page: '' }, now);
  expect(await store.listRepublications({ lang: 'en' })).toEqual([
    {
      storyId: 'flood-warning',
      lang: 'en',
      page,
      views: 2,
      firstSeen: '2025-01-01T10:00:00.000Z',
      lastSeen: '2025-01-03T00:00:00.000Z',
    },
  ]);
  expect((await store.listRepublications()).map((r) => [r.lang, r.page, r.views])).toEqual([
    ['en', page, 2],
    ['uk', '', 1],
  ]);
  await store.ping();
}

describe('stores', () => {
  test('SQLite: the contract, and migrations that run once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'polyfeed-sqlite-'));
    try {
      const file = join(folder, 'nested', 'reports.sqlite');
      const store = await openStore(file);
      await storeContract(store);
      await store.close();
      // Opening again finds the schema current and the reports there.
      const reopened = await openStore(file);
      expect((await reopened.list()).length).toBe(2);
      await reopened.close();
      const { default: Sqlite } = await import('better-sqlite3');
      const db = new Sqlite(file);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
      ]);
      db.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('PostgreSQL (a real server, started here): the same contract', async () => {
    const server = await startPostgres();
    try {
      await server.createDatabase('typos');
      const url = server.url('typos');
      // Two servers starting together: one migrates, the other waits for it.
      const [store, second] = await Promise.all([openStore(url), openStore(url)]);
      await second.close();
      await storeContract(store);
      await store.close();
    } finally {
      await server.stop();
    }
  }, 120_000);
});
