/**
 * The partner preview (`polyfeed partners`) as an editor sees it, in Chromium: the rights
 * fixture's report served locally, in English and in Arabic (right to left). The cards
 * must look like what the partner shows: photos cropped to the partner's shape and loaded,
 * titles cut at its limit, and every reason to drop an item or the feed on the page.
 * Screenshots go to tests/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { loadSite } from '../src/load/load-site.js';
import { previewPartners } from '../src/preview/partner-preview.js';
import { renderPreview } from '../src/preview/render-preview.js';
import { writeOutput } from '../src/write/write-output.js';
import { FIXTURES, NOW } from './helpers.js';
import { BASE, launch, SCREENSHOTS, serveSite } from './site-browser.js';

let browser: Browser;
let folder: string;

beforeAll(async () => {
  const diagnostics: Diagnostic[] = [];
  const loaded = await loadSite(
    join(FIXTURES, 'rights'),
    { now: NOW, drafts: false, strict: false },
    diagnostics,
  );
  if (!loaded) throw new Error('the rights fixture did not load');
  const { files, assets } = renderPreview(loaded.site, previewPartners(loaded.site));
  folder = mkdtempSync(join(tmpdir(), 'polyfeed-preview-'));
  // Served under the site's address (the CLI writes it beside dist/, to open from disk).
  await writeOutput(join(folder, 'dist', '_partners'), files, assets);
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function open(path: string, width = 1280): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await serveSite(context, join(folder, 'dist'));
  const page = await context.newPage();
  await page.goto(`${BASE}_partners/${path}`, { waitUntil: 'load' });
  return { page, close: () => context.close() };
}

/** Each card's photo box (width / height), whether its image loaded, and its title. */
function cards(page: Page) {
  return page.locator('.item').evaluateAll((items) =>
    items.map((item) => {
      const box = item.querySelector('.photo')?.getBoundingClientRect();
      const img = item.querySelector<HTMLImageElement>('.photo img');
      return {
        ratio: box ? box.width / box.height : 0,
        loaded: img ? img.complete && img.naturalWidth > 0 : null,
        fills: img ? Math.abs(img.getBoundingClientRect().height - (box?.height ?? 0)) < 1 : null,
        title: item.querySelector('h2')?.textContent ?? '',
        dropped: item.classList.contains('dropped'),
        verdict: item.querySelector('.verdict')?.textContent ?? '',
      };
    }),
  );
}

test('the index lists every partner and language, and says which would drop items', async () => {
  const { page, close } = await open('index.html');
  try {
    const tiles = await page.locator('.tile').allInnerTexts();
    expect(tiles).toHaveLength(8);
    expect(tiles[0]).toMatch(/^MSN English\n3 items: 1 would be dropped$/);
    expect(await page.locator('.tile.rejected').count()).toBe(3);
    await page.screenshot({ path: join(SCREENSHOTS, 'partners-index.png'), fullPage: true });
  } finally {
    await close();
  }
});

describe('a partner page', () => {
  test('MSN in English: 16:9 photos, titles cut at 60, the title it rejects named', async () => {
    const { page, close } = await open('msn/en.html');
    try {
      expect(await page.locator('h1').innerText()).toBe('MSN · English en');
      const shown = await cards(page);
      expect(shown.map((c) => c.title)).toEqual([
        'Grain exports through Black Sea ports reach a two-year high…',
        'Council approves the 2025 budget',
        'The opera house opens its season with a Lysenko premiere',
      ]);
      for (const card of shown) {
        expect(card.ratio).toBeCloseTo(16 / 9, 1);
        expect([...card.title].length).toBeLessThanOrEqual(60);
      }
      // The agency photo is left out; the council's own photo is shown, filling the crop.
      expect(shown.map((c) => c.loaded)).toEqual([null, true, null]);
      expect(shown[1]?.fills).toBe(true);
      expect(await page.locator('.item').first().locator('.no-photo').innerText()).toBe(
        'Photo left out',
      );
      expect(shown.map((c) => c.dropped)).toEqual([true, false, false]);
      expect(shown[0]?.verdict).toContain('the title has 78 characters; MSN takes 20–60');
      expect(shown[0]?.verdict).toContain('Photo left out: it may not be passed on');
      await page.screenshot({ path: join(SCREENSHOTS, 'partners-msn-en.png'), fullPage: true });
    } finally {
      await close();
    }
  });

  test('Flipboard in Arabic: right to left, square photos, the whole feed rejected', async () => {
    const { page, close } = await open('flipboard/ar.html', 1000);
    try {
      const list = page.locator('.cards');
      expect(await list.evaluate((l) => getComputedStyle(l).direction)).toBe('rtl');
      expect(await list.getAttribute('lang')).toBe('ar');
      // The first card is at the right-hand edge: the grid runs from the right.
      const [first, second] = await page
        .locator('.card')
        .evaluateAll((all) => all.map((c) => c.getBoundingClientRect().left));
      expect(first).toBeGreaterThan(second ?? Number.POSITIVE_INFINITY);
      const shown = await cards(page);
      for (const card of shown) expect(card.ratio).toBeCloseTo(1, 1);
      expect(shown.map((c) => c.loaded)).toEqual([null, true, null]);
      expect(shown.map((c) => c.dropped)).toEqual([true, false, true]);
      expect(shown[0]?.verdict).toContain('may not be passed on');
      expect(await page.locator('.rejected-feed').innerText()).toContain(
        'Flipboard rejects feeds with fewer than 5 items; the ar feed has 3',
      );
      // The reasons are English and left to right, inside the right-to-left list.
      expect(
        await page
          .locator('.verdict')
          .first()
          .evaluate((v) => getComputedStyle(v).direction),
      ).toBe('ltr');
      await page.screenshot({
        path: join(SCREENSHOTS, 'partners-flipboard-ar.png'),
        fullPage: true,
      });
    } finally {
      await close();
    }
  });

  test('the Arabic MSN page, at phone width: no sideways scrolling', async () => {
    const { page, close } = await open('msn/ar.html', 390);
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'partners-msn-ar-390.png'), fullPage: true });
    } finally {
      await close();
    }
  });
});
