/**
 * The editors' page: the token turned into a session cookie, the page in the site's
 * languages (?lang= or Accept-Language), filters by story, language and status, and Fix,
 * Resolve and Dismiss as plain POST forms that need the page's CSRF token. No script, and a
 * Content-Security-Policy that allows none.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { loadConfig } from '../src/load/load-config.js';
import { editorLocalizers, serverOptions } from '../src/typo/from-config.js';
import { createTypoServer } from '../src/typo/server.js';
import { openStore, type TypoStore } from '../src/typo/store.js';
import { floodReport, siteWith } from './notify-helpers.js';

/** While set, writing a file fails as on a read-only file system (the articles under ProtectSystem=strict). */
const readOnly = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    writeFile: (async (file: string, ...rest: never[]) => {
      if (readOnly.on)
        throw Object.assign(new Error(`EROFS: read-only file system, open '${file}'`), {
          code: 'EROFS',
        });
      return (fs.writeFile as (...args: unknown[]) => Promise<void>)(file, ...rest);
    }) as typeof fs.writeFile,
  };
});

const TOKEN = 'editors-secret-token-1234';
let site: string;
let store: TypoStore;
let base: string;
let close: () => Promise<void>;
let ids: { en: number; uk: number; museum: number };

beforeAll(async () => {
  site = siteWith(`typoReport:
  endpoint: https://news.example.org/api/typo
  editorToken: ${TOKEN}
`);
  const config = await loadConfig(site, []);
  if (!config?.typoReport) throw new Error('no typoReport');
  store = await openStore(join(site, 'reports.sqlite'));
  const server = createTypoServer({
    ...serverOptions(config, config.typoReport, store),
    editors: {
      localizers: await editorLocalizers(site, config),
      languages: config.languages,
      site: { root: site, config },
    },
    now: () => new Date('2025-01-02T08:00:00Z'),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  };
  const add = async (report: Record<string, string>) =>
    (await store.add(report as never, new Date('2025-01-01T10:00:00Z'))).id;
  ids = {
    en: await add(floodReport()),
    uk: await add(
      floodReport({
        selection: 'Дніпр',
        contextBefore: 'Рівень води в ',
        contextAfter: ' зріс.',
        lang: 'uk',
        url: 'https://news.example.org/uk/articles/riven/',
      }),
    ),
    museum: await add(
      floodReport({
        selection: 'reopened',
        contextBefore: 'The history museum ',
        contextAfter: ' its main hall on Monday',
        storyId: 'museum-reopens',
        url: 'https://news.example.org/en/articles/museum/',
      }),
    ),
  };
});
afterAll(() => close());

/** The page as an editor's browser gets it, with the session cookie once it has one. */
let cookie = '';
async function get(query = '', headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/reports${query}`, {
    headers: { ...(cookie ? { cookie } : {}), ...headers },
  });
  return { response, html: await response.text() };
}
function post(path: string, form: Record<string, string>, withCookie = true) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(withCookie ? { cookie } : {}),
    },
    body: new URLSearchParams(form),
  });
}
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

test('the token opens a session; the page has no script and a CSP that allows none', async () => {
  expect((await get()).response.status).toBe(401);
  const { response, html } = await get(`?token=${TOKEN}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-security-policy')).toBe(
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  );
  const set = response.headers.get('set-cookie') ?? '';
  expect(set).toMatch(/^polyfeed_editor=[\w-]+; Path=\/reports; HttpOnly; SameSite=Strict$/);
  cookie = set.split(';')[0] ?? '';
  expect(html).not.toMatch(/<script|\son\w+=/i);
  // With the cookie alone, the page (and its filter links) need no token in the URL.
  const again = await get();
  expect(again.response.status).toBe(200);
  expect(again.html).toContain('<h1>Typo reports (3 reports)</h1>');
  expect(again.html).toContain('The river rose by 40 <mark>centimetres</mark> overnight');
});

test('behind a TLS proxy (trustProxy, X-Forwarded-Proto: https) the session cookie is Secure', async () => {
  const config = await loadConfig(site, []);
  const typo = config?.typoReport;
  if (!config || !typo) throw new Error('no typoReport');
  const open = async (trustProxy: boolean) => {
    const server = createTypoServer({
      ...serverOptions(config, typo, store),
      trustProxy,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/reports?token=${TOKEN}`,
        { headers: { 'x-forwarded-proto': 'https' } },
      );
      return response.headers.get('set-cookie') ?? '';
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  };
  expect(await open(true)).toMatch(/; SameSite=Strict; Secure$/);
  // Not trusted: anyone could send the header, and the cookie is as the connection is.
  expect(await open(false)).toMatch(/; SameSite=Strict$/);
});

test('it speaks the site’s languages: ?lang=, else Accept-Language, else the default', async () => {
  const uk = await get('?lang=uk');
  expect(uk.html).toContain('<html lang="uk" dir="ltr">');
  expect(uk.html).toContain('<h1>Повідомлення про помилки (3 повідомлення)</h1>');
  expect(uk.html).toContain('>Виправити</button>');
  const ar = await get('', { 'accept-language': 'fr-CH, ar;q=0.9, en;q=0.5' });
  expect(ar.html).toContain('<html lang="ar" dir="rtl">');
  expect(ar.html).toContain('<h1>بلاغات الأخطاء (3 بلاغات)</h1>');
  expect((await get('', { 'accept-language': 'pl' })).html).toContain('<html lang="en" dir="ltr">');
});

test('filters by story, language and status', async () => {
  const rows = (html: string) =>
    [...html.matchAll(/<tr id="report-(\d+)">/g)].map((m) => Number(m[1]));
  expect(rows((await get('?language=uk')).html)).toEqual([ids.uk]);
  expect(rows((await get('?story=museum-reopens')).html)).toEqual([ids.museum]);
  expect(rows((await get('?story=flood-warning&language=en')).html)).toEqual([ids.en]);
  expect(rows((await get('?status=resolved')).html)).toEqual([]);
  const { html } = await get('?story=museum-reopens&language=en&status=open');
  expect(html).toContain('<option value="museum-reopens" selected>museum-reopens</option>');
  expect(html).toContain('<option value="open" selected>Open</option>');
});

test('a form without the CSRF token, or without the session, changes nothing', async () => {
  const forged = await post(`/reports/${ids.museum}/dismiss`, { csrf: 'guess' });
  expect(forged.status).toBe(403);
  expect(await forged.text()).toContain('The form had expired. Please try again.');
  const { html } = await get();
  const anonymous = await post(`/reports/${ids.museum}/dismiss`, { csrf: csrfOf(html) }, false);
  expect(anonymous.status).toBe(401);
  expect((await store.get(ids.museum))?.status).toBe('open');
});

test('Fix edits the article and resolves the report; the page says so, in its language', async () => {
  const file = join(site, 'articles', 'flood-warning', 'en.md');
  const before = readFileSync(file, 'utf8');
  const { html } = await get('?lang=uk&language=en');
  const response = await post(`/reports/${ids.en}/fix?lang=uk&language=en&status=open`, {
    csrf: csrfOf(html),
    text: 'centimeters',
    note: 'Spelling made American.',
  });
  expect(response.status).toBe(303);
  const location = response.headers.get('location') ?? '';
  expect(location).toBe(
    `/reports?lang=uk&language=en&status=open&done=fixed&id=${ids.en}&file=articles%2Fflood-warning%2Fen.md#report-${ids.en}`,
  );
  const after = readFileSync(file, 'utf8');
  expect(after).toBe(
    before
      .replace('updated: 2024-11-04T12:40', 'updated: 2025-01-02T10:00:00+02:00')
      .replace('by 40 centimetres overnight', 'by 40 centimeters overnight')
      .replace(
        '---\nThe river',
        'corrections:\n  - date: 2025-01-02T10:00:00+02:00\n    note: Spelling made American.\n---\nThe river',
      ),
  );
  expect(await store.get(ids.en)).toMatchObject({
    status: 'resolved',
    correction: {
      file: 'articles/flood-warning/en.md',
      before: 'centimetres',
      after: 'centimeters',
    },
  });
  const shown = await get(location.replace(/^\/reports/, '').replace(/#.*/, ''));
  expect(shown.html).toContain(
    `Повідомлення №${ids.en} виправлено у файлі articles/flood-warning/en.md. Наступна збірка опублікує виправлення.`,
  );
  const resolved = await get('?status=resolved&lang=uk');
  expect(resolved.html).toContain('Виправлено: «centimetres» → «centimeters»');
});

test('a refused fix changes nothing and says why', async () => {
  const file = join(site, 'articles', 'flood-warning', 'uk.md');
  const before = readFileSync(file, 'utf8');
  const { html } = await get('?lang=uk');
  const response = await post(`/reports/${ids.uk}/fix?lang=uk`, {
    csrf: csrfOf(html),
    text: 'Дніпрі',
  });
  expect(response.status).toBe(409);
  expect(await response.text()).toContain(
    `Повідомлення №${ids.uk} не виправлено, жоден файл не змінено: «Дніпр» немає у файлі articles/flood-warning/uk.md: можливо, це вже виправлено.`,
  );
  expect(readFileSync(file, 'utf8')).toBe(before);
  expect((await store.get(ids.uk))?.status).toBe('open');
});

test('a fix the file system refuses (read-only articles) is refused on the page, not a 500', async () => {
  const folder = join(site, 'articles', 'museum-reopens');
  const before = readdirSync(folder).map((name) => [
    name,
    readFileSync(join(folder, name), 'utf8'),
  ]);
  const { html } = await get();
  readOnly.on = true;
  try {
    const response = await post(`/reports/${ids.museum}/fix?lang=en`, {
      csrf: csrfOf(html),
      text: 'opened again',
    });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain(
      `Report #${ids.museum} was not fixed, and no file was changed: articles/museum-reopens/en.md could not be written (EROFS: read-only file system): the articles folder must be writable by the typo server, or by whoever runs polyfeed typos fix.`,
    );
  } finally {
    readOnly.on = false;
  }
  expect(
    readdirSync(folder).map((name) => [name, readFileSync(join(folder, name), 'utf8')]),
  ).toEqual(before);
  expect((await store.get(ids.museum))?.status).toBe('open');
});

test('Resolve and Dismiss', async () => {
  const { html } = await get();
  const resolved = await post(`/reports/${ids.uk}/resolve?lang=en&status=open`, {
    csrf: csrfOf(html),
  });
  expect(resolved.status).toBe(303);
  const dismissed = await post(`/reports/${ids.museum}/dismiss?lang=en&status=open`, {
    csrf: csrfOf(html),
  });
  expect(dismissed.headers.get('location')).toMatch(/done=dismissed/);
  expect((await store.get(ids.uk))?.status).toBe('resolved');
  expect((await store.get(ids.museum))?.status).toBe('dismissed');
  expect((await get('?status=dismissed')).html).toContain('<td>Dismissed</td>');
  expect((await get()).html).toContain('<p>No reports.</p>');
});

test('the server’s localizers remember nothing of what they translate: reader text leaves no memory behind', async () => {
  const config = await loadConfig(site, []);
  if (!config) throw new Error('no config');
  const t = (await editorLocalizers(site, config)).get('en')?.t;
  if (!t) throw new Error('no English localizer');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  // 4,000 reports' worth of distinct reader text, 16 KB each: 64 MB of strings, twice over
  // (key and translation) if a memo kept them.
  const text = 'x'.repeat(16 * 1024);
  for (let id = 0; id < 4000; id++)
    t('editors:result.notFixed', { id, reason: `${id} ${text}` }).length;
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  expect(grown).toBeLessThan(16 * 1024 * 1024);
});
