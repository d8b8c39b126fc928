/**
 * The sample site in a real browser (Chromium through playwright-core; see site-browser.ts
 * for which one, and its fonts). Pages are served from a local build: requests for the site's URLs are
 * answered from dist/, everything else is refused, as this machine has no network.
 *
 * Without network the AMP runtime (cdn.ampproject.org) cannot load, so pages are opened
 * with JavaScript off, as AMP's <noscript> boilerplate and image fallbacks intend. What
 * this proves: layout, direction, fonts and images as a reader sees them, at 360 and
 * 1280 px. What it cannot: the AMP runtime opening the typo lightbox; that wiring is
 * checked in the DOM instead. Screenshots go to tests/screenshots/ (git-ignored).
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  articlePath,
  BASE,
  buildSample,
  facesOf,
  launch,
  SCREENSHOTS,
  serveSite,
} from './site-browser.js';

let browser: Browser;
let out: string;

beforeAll(async () => {
  out = await buildSample();
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens `path` of the built site at `width` px, JavaScript off, site URLs served from dist/. */
async function open(path: string, width: number) {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width, height: 900 },
  });
  await serveSite(context, out);
  const page = await context.newPage();
  await page.goto(BASE + path, { waitUntil: 'load' });
  return { page, context };
}

describe.each([
  ['en', 'ltr'],
  ['uk', 'ltr'],
  ['de', 'ltr'],
  ['ar', 'rtl'],
])('the %s article page', (lang, dir) => {
  test.each([360, 1280])(
    'AMP, at %i px: direction, images, no sideways scrolling, typo dialog wired',
    async (width) => {
      const { page, context } = await open(
        `${articlePath(out, lang, '2024-03-12-bridge-repairs')}amp.html`,
        width,
      );
      try {
        expect(await page.evaluate(() => document.documentElement.dir)).toBe(dir);
        expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe(dir);
        // Drawn in the faces the stylesheet names for the script, not a fallback or boxes.
        const [serif, sans] =
          dir === 'rtl' ? ['Noto Naskh Arabic', 'Noto Naskh Arabic'] : ['Noto Serif', 'Noto Sans'];
        expect(await facesOf(page, 'h1')).toEqual([serif]);
        expect(await facesOf(page, '.body p')).toEqual([serif]);
        expect(await facesOf(page, '.article-footer h2')).toEqual([sans]);
        const images = await page.evaluate(() =>
          [...document.images].map((img) => ({
            src: img.currentSrc,
            loaded: img.complete && img.naturalWidth > 0,
          })),
        );
        expect(images.length).toBeGreaterThan(0);
        expect(images.filter((img) => !img.loaded)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          width,
        );
        // The headline is laid out from the start edge of its language.
        const headline = await page.locator('h1').boundingBox();
        if (!headline) throw new Error('no headline');
        if (dir === 'rtl') expect(headline.x + headline.width).toBeGreaterThan(width * 0.6);
        else expect(headline.x).toBeLessThan(width * 0.4);
        // The button targets the lightbox, which holds the form that posts to the endpoint.
        const target = await page.locator('.typo button').getAttribute('on');
        expect(target).toBe('tap:typo-dialog');
        expect(
          await page
            .locator('amp-lightbox#typo-dialog form[action-xhr]')
            .getAttribute('action-xhr'),
        ).toBe('https://herald.example.org/api/typo-reports');
        await page.screenshot({
          path: join(SCREENSHOTS, `article-${lang}-${width}.png`),
          fullPage: true,
        });
      } finally {
        await context.close();
      }
    },
  );
});

test('the Arabic index page mirrors its layout', async () => {
  const { page, context } = await open('ar/', 360);
  try {
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'index-ar-360.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
