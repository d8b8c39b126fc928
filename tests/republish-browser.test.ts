/**
 * "Republish this story" end to end, in Chromium: the rights fixture built and served
 * locally (it has the sample's address), the typo service counting views in SQLite. A
 * reader opens the dialog, copies the HTML, and another outlet's page (another origin)
 * shows it: the credit line links the original, the images that may not travel are not
 * there, and the tracking image's request reaches the service with that page as Referer.
 * Screenshots of the dialog in English and Arabic go to tests/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { build } from '../src/build.js';
import { loadConfig } from '../src/load/load-config.js';
import { serverOptions } from '../src/typo/from-config.js';
import { createTypoServer } from '../src/typo/server.js';
import { openStore, type TypoStore } from '../src/typo/store.js';
import { writeOutput } from '../src/write/write-output.js';
import { FIXTURES, NOW } from './helpers.js';
import { BASE, launch, SCREENSHOTS, serveSite } from './site-browser.js';

const SITE = join(FIXTURES, 'rights');
const PIXEL = `${BASE}api/typo-reports/republished.gif`;
const PARTNER_PAGE = 'https://partner.example.net/world/grain-exports';
const ARTICLES = {
  en: 'en/articles/grain-exports-through-black-sea-ports-reach-a-two-year-high-as-new-routes-open/',
  ar: 'ar/articles/sadrat-alhbwb-ebr-mwany-albhr-alaswd-tblgh-aela-mstwa-lha-mndh-eamyn/',
};

let browser: Browser;
let out: string;
let folder: string;
let store: TypoStore;
let server: Server;
let service: string;
/** The HTML the partner's page shows: what the reader pasted. */
let pasted = '';
/** Referer of each request for the tracking image, as the browser sent it. */
const pixelReferers: string[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'polyfeed-republish-'));
  const result = await build(SITE, { now: NOW, drafts: false, strict: false });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  out = join(folder, 'dist');
  await writeOutput(out, result.files, result.assets);
  const config = await loadConfig(SITE, []);
  if (!config?.typoReport) throw new Error('the rights fixture has no typoReport');
  store = await openStore(join(folder, 'reports.sqlite'));
  server = createTypoServer(serverOptions(config, config.typoReport, store));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A browser context serving the site, the partner's page, and the service's image. */
async function context(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: BASE.slice(0, -1),
  });
  await serveSite(context, out, async (route) => {
    const request = route.request();
    const url = request.url();
    if (url.startsWith(PIXEL)) {
      const headers = await request.allHeaders();
      pixelReferers.push(headers.referer ?? '');
      const response = await route.fetch({ url: service + url.slice(BASE.length - 1), headers });
      await route.fulfill({ response });
      return true;
    }
    if (url === PARTNER_PAGE) {
      await route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner News</title></head><body><main>${pasted}</main></body></html>`,
      });
      return true;
    }
    return false;
  });
  return context;
}

async function openDialog(page: Page): Promise<void> {
  const button = page.locator('[data-republish-open]');
  await expect.poll(() => button.isVisible()).toBe(true);
  await button.click();
  await expect
    .poll(() => page.locator('dialog#republish').evaluate((d: HTMLDialogElement) => d.open))
    .toBe(true);
}

describe.each([
  ['en', 'ltr', 'Republish this story', 'Copied. Paste it into the HTML editor of your site.'],
  ['ar', 'rtl', 'أعد نشر هذه القصة', 'تم النسخ. الصقها في محرر HTML في موقعك.'],
] as const)('the %s canonical page', (lang, dir, title, copied) => {
  test('the localized dialog: licence terms, the HTML as code, copied to the clipboard', async () => {
    const ctx = await context();
    try {
      const page = await ctx.newPage();
      await page.goto(BASE + ARTICLES[lang], { waitUntil: 'load' });
      await openDialog(page);
      const dialog = page.locator('dialog#republish');
      expect(await dialog.locator('h2').innerText()).toBe(title);
      expect(await dialog.getAttribute('aria-labelledby')).toBe('republish-title');
      expect(await dialog.evaluate((d) => getComputedStyle(d).direction)).toBe(dir);
      // The licence is linked from the terms; the code reads left to right in every language.
      expect(await dialog.locator('#republish-terms a[rel="license"]').getAttribute('href')).toBe(
        'https://creativecommons.org/licenses/by-nd/4.0/',
      );
      expect(await dialog.locator('.republish-note').isVisible()).toBe(true);
      const code = dialog.locator('textarea');
      expect(await code.evaluate((t) => getComputedStyle(t).direction)).toBe('ltr');
      // Focus is on the code, selected, ready to copy by hand.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('republish-code');
      await page.screenshot({ path: join(SCREENSHOTS, `republish-dialog-${lang}.png`) });

      await dialog.locator('[data-republish-copy]').click();
      await expect.poll(() => dialog.locator('[data-republish-status]').innerText()).toBe(copied);
      const clipboard = await page.evaluate(() => navigator.clipboard.readText());
      expect(clipboard).toBe(await code.inputValue());
      expect(clipboard).toContain(`<article lang="${lang}" dir="${dir}">`);
      expect(clipboard).not.toContain('harvest.png');
      expect(clipboard).not.toContain('port.png');
      expect(clipboard).toContain('route-map.png');

      // Tab stays in the dialog: from Close, the last control, to the licence link, the
      // first; Esc closes it and gives the focus back to the button.
      await dialog.locator('[data-republish-close]').focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('rel'))).toBe(
        'license',
      );
      await page.keyboard.press('Shift+Tab');
      expect(
        await page.evaluate(() => document.activeElement?.hasAttribute('data-republish-close')),
      ).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
      expect(
        await page.evaluate(() => document.activeElement?.hasAttribute('data-republish-open')),
      ).toBe(true);
    } finally {
      await ctx.close();
    }
  });
});

test('pasted into a page of another origin: the credit links the original, the image counts the view', async () => {
  const ctx = await context();
  try {
    const page = await ctx.newPage();
    await page.goto(BASE + ARTICLES.en, { waitUntil: 'load' });
    await openDialog(page);
    await page.locator('[data-republish-copy]').click();
    pasted = await page.evaluate(() => navigator.clipboard.readText());
    expect(pasted.length).toBeGreaterThan(500);

    const before = pixelReferers.length;
    const partner = await ctx.newPage();
    await partner.goto(PARTNER_PAGE, { waitUntil: 'load' });
    expect(new URL(partner.url()).origin).toBe('https://partner.example.net');
    expect(await partner.locator('h1').innerText()).toBe(
      'Grain exports through Black Sea ports reach a two-year high as new routes open',
    );
    expect(await partner.locator('article > p').first().innerText()).toBe('By Olena Kovalenko');
    const credit = partner.locator('em');
    expect(await credit.innerText()).toBe(
      'This story was first published by Dnipro Herald on 2 December 2024 and is republished under the CC BY-ND 4.0 licence.',
    );
    expect(await credit.locator('a').first().getAttribute('href')).toBe(BASE + ARTICLES.en);
    expect(await credit.locator('a[rel="license"]').getAttribute('href')).toBe(
      'https://creativecommons.org/licenses/by-nd/4.0/',
    );
    // The pictures that may travel load from the newsroom; the agency's are not there.
    const images = await partner.evaluate(() =>
      [...document.images].map((img) => ({ src: img.src, loaded: img.naturalWidth > 0 })),
    );
    expect(images.map((i) => new URL(i.src).pathname)).toEqual([
      '/media/grain-exports/route-map.png',
      '/api/typo-reports/republished.gif',
    ]);
    expect(images.every((i) => i.loaded)).toBe(true);
    // The tracking image was asked for once, naming the partner's page, and counted there.
    await expect.poll(() => pixelReferers.length).toBe(before + 1);
    expect(pixelReferers.at(-1)).toBe(PARTNER_PAGE);
    await expect
      .poll(() => store.listRepublications({ storyId: 'grain-exports' }))
      .toMatchObject([{ lang: 'en', page: PARTNER_PAGE, views: 1 }]);
    await partner.screenshot({
      path: join(SCREENSHOTS, 'republished-on-partner-en.png'),
      fullPage: true,
    });
  } finally {
    await ctx.close();
  }
});

test('the AMP page links to the dialog, which opens at once; an article that opts out has none', async () => {
  const ctx = await context();
  try {
    const page = await ctx.newPage();
    await page.goto(`${BASE + ARTICLES.en}amp.html`, { waitUntil: 'load' });
    const link = await page.locator('.republish a').getAttribute('href');
    expect(link).toBe(`${BASE + ARTICLES.en}#republish`);
    await page.goto(link as string, { waitUntil: 'load' });
    await expect
      .poll(() => page.locator('dialog#republish').evaluate((d: HTMLDialogElement) => d.open))
      .toBe(true);
    await page.goto(`${BASE}en/articles/council-approves-the-2025-budget/`, { waitUntil: 'load' });
    expect(await page.locator('[data-republish-open], dialog#republish').count()).toBe(0);
  } finally {
    await ctx.close();
  }
});
