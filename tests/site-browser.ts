/**
 * What the browser tests share: the sample site built into a temporary folder, a Chromium
 * driven by playwright-core, and a browser context that answers the site's URLs from that
 * folder and refuses everything else, as this machine has no network.
 *
 * The browser is Debian's Chromium when it is installed (.ci/run installs it), else the one
 * that `@sparticuz/chromium` ships inside its npm tarball, so that `npm test` needs nothing
 * installed by hand. Either way it sees only the fonts that come from npm (Noto Serif, Noto
 * Sans, Noto Naskh Arabic), not the machine's: Cyrillic and Arabic render, and in the same
 * faces on every machine.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type Route,
} from 'playwright-core';
import { expect } from 'vitest';
import { build } from '../src/build.js';
import { escapeHtml } from '../src/escape.js';
import { writeOutput } from '../src/write/write-output.js';
import { REPO } from './helpers.js';

export const BASE = 'https://herald.example.org/';
export const SCREENSHOTS = join(REPO, 'tests', 'screenshots');
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** Fonts from npm: the faces templates/amp.css names first for Latin, Cyrillic and Arabic. */
const FONT_PACKAGES = [
  '@expo-google-fonts/noto-serif',
  '@expo-google-fonts/noto-sans',
  '@expo-google-fonts/noto-naskh-arabic',
];
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

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : await unpackChromium(),
    env: { ...process.env, FONTCONFIG_FILE: writeFontConfig() },
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
 * The Chromium of `@sparticuz/chromium` (a brotli-compressed headless shell in its tarball),
 * unpacked into a folder of this test file's own under the run's temporary folder (see
 * temp-root.ts, which removes it). The package unpacks into os.tmpdir(), which reads
 * TMPDIR on every call: pointing that at our folder keeps two test files that run at once
 * from unpacking into the same place.
 */
async function unpackChromium(): Promise<string> {
  const { default: bundled } = await import('@sparticuz/chromium');
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'chromium-'));
  try {
    return await bundled.executablePath();
  } finally {
    process.env.TMPDIR = saved;
  }
}

/**
 * A fontconfig file that lists the npm font packages and nothing of the machine's, with
 * the generic families mapped to them (`sans-serif` would otherwise fall on any face).
 */
function writeFontConfig(): string {
  const folder = mkdtempSync(join(tmpdir(), 'fonts-'));
  const require = createRequire(import.meta.url);
  const dirs = FONT_PACKAGES.map((name) => dirname(require.resolve(`${name}/package.json`)));
  const family = (generic: string, face: string) =>
    `  <alias><family>${generic}</family><prefer><family>${face}</family></prefer></alias>`;
  const file = join(folder, 'fonts.conf');
  writeFileSync(
    file,
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
      '<fontconfig>',
      ...dirs.map((dir) => `  <dir>${escapeHtml(dir)}</dir>`),
      `  <cachedir>${escapeHtml(join(folder, 'cache'))}</cachedir>`,
      // A face asked for by no family, as in Chromium's last fallback, is a sans-serif one.
      '  <match target="pattern"><test qual="all" name="family" compare="not_eq"><string>sans-serif</string></test><edit name="family" mode="append_last"><string>sans-serif</string></edit></match>',
      family('serif', 'Noto Serif'),
      family('sans-serif', 'Noto Sans'),
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  return file;
}

/**
 * The font faces Chromium used to draw the text of the first element matching `selector`
 * (what it really drew with, after fallback; a script no face covers draws with none).
 */
export async function facesOf(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return [...new Set(fonts.map((f) => f.familyName))].sort();
  } finally {
    await cdp.detach();
  }
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
