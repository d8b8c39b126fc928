/**
 * Counting republications: the tracking image a republished copy loads, served by the
 * typo service, counted per story, language and page from the Referer; and
 * `polyfeed republications list` showing the counts from a real database.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { loadConfig } from '../src/load/load-config.js';
import { serverOptions } from '../src/typo/from-config.js';
import { PIXEL } from '../src/typo/republications.js';
import { createTypoServer } from '../src/typo/server.js';
import { openStore, type TypoStore } from '../src/typo/store.js';
import { FIXTURES, REPO } from './helpers.js';

const SITE = join(FIXTURES, 'rights');
const PARTNER = 'https://partner.example.net/world/grain-exports?utm_source=x#top';

let folder: string;
let store: TypoStore;
let server: Server;
let base: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'polyfeed-republications-'));
  store = await openStore(join(folder, 'reports.sqlite'));
  const config = await loadConfig(SITE, []);
  if (!config?.typoReport) throw new Error('the rights fixture has no typoReport');
  const options = serverOptions(config, config.typoReport, store);
  // The site's tracking image is at the typo endpoint's path + /republished.gif.
  expect(options.pixelPath).toBe('/api/typo-reports/republished.gif');
  server = createTypoServer({ ...options, now: () => new Date('2025-01-05T12:00:00Z') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/typo-reports/republished.gif`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  rmSync(folder, { recursive: true, force: true });
});

const view = (query: string, referer?: string, method = 'GET') =>
  fetch(`${base}${query}`, { method, headers: referer ? { Referer: referer } : {} });

describe('the tracking image', () => {
  test('is a 1×1 GIF no cache keeps, and each view counts on the page that shows the copy', async () => {
    const response = await view('?story=grain-exports&lang=en', PARTNER);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(response.headers.get('cache-control')).toBe('no-store, private');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PIXEL);
    expect(PIXEL.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect([PIXEL.readUInt16LE(6), PIXEL.readUInt16LE(8)]).toEqual([1, 1]);
    await view('?story=grain-exports&lang=en', PARTNER);
    // The query and fragment of the page are not kept (they may hold a reader's session).
    expect(await store.listRepublications({ storyId: 'grain-exports' })).toEqual([
      {
        storyId: 'grain-exports',
        lang: 'en',
        page: 'https://partner.example.net/world/grain-exports',
        views: 2,
        firstSeen: '2025-01-05T12:00:00.000Z',
        lastSeen: '2025-01-05T12:00:00.000Z',
      },
    ]);
  });

  test("the site's own pages, unknown stories and languages are not counted", async () => {
    const before = await store.listRepublications();
    expect(
      (await view('?story=grain-exports&lang=en', 'https://herald.example.org/en/')).status,
    ).toBe(200);
    expect((await view('?story=grain-exports&lang=fr', PARTNER)).status).toBe(400);
    expect((await view('?story=../etc&lang=en', PARTNER)).status).toBe(400);
    expect((await view('', PARTNER)).status).toBe(400);
    expect((await view('?story=grain-exports&lang=en', PARTNER, 'HEAD')).status).toBe(200);
    expect(await store.listRepublications()).toEqual(before);
  });

  test('a view without a Referer counts, on no page', async () => {
    await view('?story=theatre-season&lang=ar');
    expect(await store.listRepublications({ storyId: 'theatre-season' })).toMatchObject([
      { lang: 'ar', page: '', views: 1 },
    ]);
  });
});

describe('the tracking image, abused or failing', () => {
  /** A server of its own on a fresh database, with the given rate limit. */
  async function start(rateLimit: number) {
    const own = mkdtempSync(join(tmpdir(), 'polyfeed-republications-'));
    const ownStore = await openStore(join(own, 'reports.sqlite'));
    const config = await loadConfig(SITE, []);
    if (!config?.typoReport) throw new Error('the rights fixture has no typoReport');
    const ownServer = createTypoServer({
      ...serverOptions(config, config.typoReport, ownStore),
      rateLimit,
      now: () => new Date('2025-01-05T12:00:00Z'),
    });
    await new Promise<void>((resolve) => ownServer.listen(0, '127.0.0.1', resolve));
    const address = `http://127.0.0.1:${(ownServer.address() as AddressInfo).port}/api/typo-reports/republished.gif`;
    return {
      store: ownStore,
      view: (referer: string) =>
        fetch(`${address}?story=grain-exports&lang=en`, { headers: { Referer: referer } }),
      async stop() {
        await new Promise((resolve) => ownServer.close(resolve));
        await ownStore.close();
        rmSync(own, { recursive: true, force: true });
      },
    };
  }

  test('one address is counted only up to the rate limit; every view still gets the image', async () => {
    const service = await start(3);
    try {
      for (let i = 0; i < 6; i++) {
        const response = await service.view(`https://spam.example.net/page-${i}`);
        expect(response.status).toBe(200);
        expect(Buffer.from(await response.arrayBuffer())).toEqual(PIXEL);
      }
      expect((await service.store.listRepublications()).map((r) => r.page)).toEqual([
        'https://spam.example.net/page-0',
        'https://spam.example.net/page-1',
        'https://spam.example.net/page-2',
      ]);
    } finally {
      await service.stop();
    }
  });

  test('a database error is one line in the log, and the view still gets the image', async () => {
    const service = await start(10);
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      service.store.addRepublicationView = async () => {
        throw new Error('SQLITE_BUSY: database is locked');
      };
      const response = await service.view(PARTNER);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/gif');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(PIXEL);
      expect(lines).toEqual([
        'polyfeed typo-server: a republication view could not be counted: SQLITE_BUSY: database is locked\n',
      ]);
    } finally {
      write.mockRestore();
      await service.stop();
    }
  });
});

describe('polyfeed republications', () => {
  const cli = (...args: string[]) => {
    const result = spawnSync(
      process.execPath,
      [
        join(REPO, 'bin', 'polyfeed.js'),
        'republications',
        ...args,
        '--site',
        SITE,
        '--database',
        join(folder, 'reports.sqlite'),
      ],
      { encoding: 'utf8' },
    );
    return { code: result.status, out: result.stdout, err: result.stderr };
  };

  test('list: per story and language, each page with its views, then the totals', () => {
    expect(cli('list')).toMatchObject({
      code: 0,
      out: [
        'grain-exports/en: 1 page, 2 views',
        '  2  https://partner.example.net/world/grain-exports  first 2025-01-05T12:00:00.000Z, last 2025-01-05T12:00:00.000Z',
        'theatre-season/ar: 0 pages, 1 view',
        '  1  (no Referer)  first 2025-01-05T12:00:00.000Z, last 2025-01-05T12:00:00.000Z',
        '2 story versions, 1 page, 3 views',
        '',
      ].join('\n'),
    });
    expect(cli('list', '--lang', 'ar').out).toContain('theatre-season/ar');
    expect(cli('list', '--lang', 'ar').out).not.toContain('grain-exports');
    expect(
      JSON.parse(cli('list', '--format', 'json', '--story', 'grain-exports').out),
    ).toMatchObject([{ storyId: 'grain-exports', lang: 'en', views: 2 }]);
    expect(cli('list', '--story', 'nothing').out).toBe('No republications counted yet\n');
  });

  test('a database that does not exist is refused as typos refuses it, and none is created', () => {
    const missing = join(folder, 'mistyped.sqlite');
    const result = spawnSync(
      process.execPath,
      [
        join(REPO, 'bin', 'polyfeed.js'),
        'republications',
        'list',
        '--site',
        SITE,
        '--database',
        missing,
      ],
      { encoding: 'utf8' },
    );
    expect({ code: result.status, out: result.stdout, err: result.stderr }).toEqual({
      code: 1,
      out: '',
      err: `polyfeed: no typo report database at ${missing}: polyfeed typo-server creates it when it starts; --database names another\n`,
    });
    expect(existsSync(missing)).toBe(false);
  });

  test('wrong usage is exit code 2', () => {
    expect(cli('count').code).toBe(2);
    expect(cli('list', '--format', 'xml').code).toBe(2);
  });
});
