/**
 * What the browser tests share: the sample site built into a temporary folder, Debian's
 * Chromium through playwright-core (.ci/run installs it), and a browser context that
 * answers the site's URLs from that folder and refuses everything else, as this machine
 * has no network.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Route } from 'playwright-core';
import { expect } from 'vitest';
import { build } from '../src/build.js';
import { writeOutput } from '../src/write-output.js';
import { REPO } from './helpers.js';

export const BASE = 'https://herald.example.org/';
export const SCREENSHOTS = join(REPO, 'tests', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Builds the sample site (at a fixed time) into a temporary dist/ and returns its path. */
export async function buildSample(): Promise<string> {
  const result = await build(REPO, {
    now: new Date('2026-01-01T00:00:00Z'),
    drafts: false,
    strict: false,
  });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out = join(mkdtempSync(join(tmpdir(), 'polyfeed-browser-')), 'dist');
  await writeOutput(out, result.files, result.assets);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return out;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * Answers the site's URLs from `out`; `other` may take a request first (return true when
 * it did). Everything outside the site is refused.
 */
export async function serveSite(
  context: BrowserContext,
  out: string,
  other?: (route: Route) => Promise<boolean>,
): Promise<void> {
  await context.route('**/*', async (route) => {
    if (other && (await other(route))) return;
    const url = route.request().url();
    if (!url.startsWith(BASE)) return route.abort();
    let file = join(out, decodeURIComponent(new URL(url).pathname));
    if (file.endsWith('/')) file = join(file, 'index.html');
    try {
      return await route.fulfill({
        body: readFileSync(file),
        contentType: TYPES[extname(file)] ?? 'application/octet-stream',
      });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
}

/** The URL path of a story's page in `lang`, as the feeds link it. */
export function articlePath(out: string, lang: string, storyId: string): string {
  const feed = JSON.parse(readFileSync(join(out, lang, 'feed.json'), 'utf8')) as {
    items: { id: string; url: string }[];
  };
  const item = feed.items.find((i) => i.id.endsWith(`:${storyId}/${lang}`));
  if (!item) throw new Error(`${storyId} has no ${lang} version`);
  return item.url.slice(BASE.length);
}
