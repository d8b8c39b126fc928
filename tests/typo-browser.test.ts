/**
 * The typo report end to end, in Chromium: the built sample site served locally, the
 * typo server running with an SQLite database, and a reader who selects a word, presses
 * Ctrl+Enter, reads the localized dialog and sends. The report must then be in the
 * database. The page's requests to https://herald.example.org/api/typo-reports are passed
 * to the local server with the browser's own headers (its Origin included).
 *
 * AMP pages: without network the AMP runtime cannot load, so amp-form cannot run here.
 * The AMP test submits the page's own form fields the way amp-form does (FormData to
 * action-xhr with __amp_source_origin) and checks the server takes them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/load/load-config.js';
import { serverOptions } from '../src/typo/from-config.js';
import { createTypoServer } from '../src/typo/server.js';
import { openStore, type TypoStore } from '../src/typo/store.js';
import { REPO } from './helpers.js';
import { articlePath, BASE, buildSample, launch, SCREENSHOTS, serveSite } from './site-browser.js';

const ENDPOINT = `${BASE}api/typo-reports`;
const STORY = '2024-03-12-bridge-repairs';

let browser: Browser;
let out: string;
let store: TypoStore;
let server: Server;
let service: string;
let folder: string;

beforeAll(async () => {
  out = await buildSample();
  browser = await launch();
  const config = await loadConfig(REPO, []);
  if (!config?.typoReport) throw new Error('the sample site has no typoReport');
  folder = mkdtempSync(join(tmpdir(), 'polyfeed-typo-browser-'));
  store = await openStore(join(folder, 'reports.sqlite'));
  server = createTypoServer(serverOptions(config, config.typoReport, store));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function open(path: string, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await serveSite(context, out, async (route) => {
    const request = route.request();
    if (!request.url().startsWith(ENDPOINT)) return false;
    const response = await route.fetch({
      url: service + request.url().slice(BASE.length - 1),
      headers: await request.allHeaders(),
    });
    await route.fulfill({ response });
    return true;
  });
  const page = await context.newPage();
  await page.goto(BASE + path, { waitUntil: 'load' });
  return { page, context };
}

/** Selects `word` inside the article body, as a reader's mouse would. */
async function select(page: Page, word: string): Promise<void> {
  await page.evaluate((word) => {
    const walker = document.createTreeWalker(
      document.querySelector('.body') as Node,
      NodeFilter.SHOW_TEXT,
    );
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(word) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      return;
    }
    throw new Error(`"${word}" is not in the body`);
  }, word);
}

/** A word of the page's first body paragraph, far enough in to have context on both sides. */
async function someWord(page: Page): Promise<string> {
  const text = await page.locator('.body p').first().innerText();
  const words = text.split(/\s+/).filter((w) => /^\p{L}{5,}$/u.test(w));
  const word = words[Math.floor(words.length / 2)];
  if (!word) throw new Error('no word to select');
  return word;
}

describe.each([
  ['en', 'ltr', 'Spelling error report', 'Thank you! Our editors will look at it.'],
  ['ar', 'rtl', 'الإبلاغ عن خطأ إملائي', undefined],
])('the %s canonical page', (lang, dir, title, thanks) => {
  test('select, Ctrl+Enter, the localized dialog, send: the report is in the database', async () => {
    const { page, context } = await open(articlePath(out, lang, STORY));
    try {
      const word = await someWord(page);
      // The reader was on the section link; the dialog gives the focus back there.
      await page.locator('.kicker a').focus();
      await select(page, word);
      await page.keyboard.press('Control+Enter');
      const dialog = page.locator('dialog#typo-report');
      await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
      expect(await dialog.locator('h2').innerText()).toBe(title);
      expect(await dialog.getAttribute('aria-labelledby')).toBe('typo-report-title');
      expect(await dialog.evaluate((d) => getComputedStyle(d).direction)).toBe(dir);
      expect(await dialog.locator('mark').innerText()).toBe(word);
      const quoted = await dialog.locator('.typo-context').innerText();
      expect(quoted.length).toBeGreaterThan(word.length);
      // Focus is in the dialog, on the comment field.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
        'comment',
      );
      await page.screenshot({ path: join(SCREENSHOTS, `typo-dialog-${lang}.png`) });
      await dialog.locator('textarea').fill('Please check this word');
      await dialog.locator('[data-typo-send]').click();
      const status = dialog.locator('[data-typo-status]');
      const expected =
        thanks ?? (await dialog.getAttribute('data-thanks').then((t) => t ?? 'missing'));
      await expect.poll(() => status.innerText()).toBe(expected);
      const reports = await store.list({ lang, storyId: STORY });
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({
        selection: word,
        comment: 'Please check this word',
        url: BASE + articlePath(out, lang, STORY),
        count: 1,
      });
      expect(quoted).toBe(`${reports[0]?.contextBefore}${word}${reports[0]?.contextAfter}`);

      // Tab stays inside the dialog: from Cancel, the last control, back to the comment.
      await dialog.locator('[data-typo-cancel]').focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
        'comment',
      );
      // Esc closes the dialog and gives the focus back.
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.closest('.kicker') !== null)).toBe(
        true,
      );

      // The same selection again: folded into the first report, and the reader is told.
      await select(page, word);
      await page.keyboard.press('Control+Enter');
      await dialog.locator('[data-typo-send]').click();
      await expect.poll(() => status.innerText()).toBe(await dialog.getAttribute('data-duplicate'));
      expect((await store.list({ lang, storyId: STORY }))[0]?.count).toBe(2);
    } finally {
      await context.close();
    }
  });
});

test('on a touch screen a button appears next to the selection and opens the dialog', async () => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await serveSite(context, out);
  const page = await context.newPage();
  try {
    await page.goto(BASE + articlePath(out, 'uk', STORY), { waitUntil: 'load' });
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    const touch = page.locator('[data-typo-touch]');
    expect(await touch.isVisible()).toBe(false);
    const word = await someWord(page);
    await select(page, word);
    await expect.poll(() => touch.isVisible()).toBe(true);
    expect(await touch.innerText()).toBe('Повідомити про помилку');
    await touch.tap();
    const dialog = page.locator('dialog#typo-report');
    await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    expect(await dialog.locator('mark').innerText()).toBe(word);
    await page.screenshot({ path: join(SCREENSHOTS, 'typo-dialog-uk-touch.png') });
  } finally {
    await context.close();
  }
});

test('no selection: a localized hint and no request; Ctrl+Enter in a text field: nothing', async () => {
  const { page, context } = await open(articlePath(out, 'en', STORY));
  try {
    const before = (await store.list()).length;
    await page.evaluate(() => window.getSelection()?.removeAllRanges());
    await page.keyboard.press('Control+Enter');
    const hint = page.locator('[data-typo-hint]');
    await expect.poll(() => hint.isVisible()).toBe(true);
    expect(await hint.innerText()).toBe(
      'First select the text with the error, then press Ctrl+Enter.',
    );
    // A search box or comment form of the newsroom's own: its Ctrl+Enter is not ours.
    await page.evaluate(() => {
      const input = Object.assign(document.createElement('textarea'), { value: 'my own text' });
      document.body.append(input);
      input.focus();
      input.select();
    });
    await page.keyboard.press('Control+Enter');
    expect(
      await page.locator('dialog#typo-report').evaluate((d: HTMLDialogElement) => d.open),
    ).toBe(false);
    expect((await store.list()).length).toBe(before);
  } finally {
    await context.close();
  }
});

test("the AMP page's form fields are accepted by the server as amp-form sends them", async () => {
  const { page, context } = await open(`${articlePath(out, 'uk', STORY)}amp.html`);
  try {
    const result = await page.evaluate(async () => {
      const form = document.querySelector('amp-lightbox#typo-dialog form') as HTMLFormElement;
      (form.querySelector('textarea[name="selection"]') as HTMLTextAreaElement).value = 'мосту';
      (form.querySelector('textarea[name="comment"]') as HTMLTextAreaElement).value = 'мост';
      const action = form.getAttribute('action-xhr') ?? '';
      const url = `${action}?__amp_source_origin=${encodeURIComponent(location.origin)}`;
      const response = await fetch(url, {
        method: 'POST',
        body: new FormData(form),
        credentials: 'include',
      });
      return { status: response.status, body: await response.json() };
    });
    expect(result).toMatchObject({ status: 201, body: { duplicate: false } });
    expect(await store.list({ lang: 'uk', storyId: STORY })).toMatchObject([
      { selection: 'мосту', comment: 'мост', url: BASE + articlePath(out, 'uk', STORY) },
    ]);
  } finally {
    await context.close();
  }
});
