/**
 * `polyfeed partners`: the preview written where asked, its photos copied beside it so it
 * opens from disk; a site with errors gets no report and exit code 1. (What the pages show
 * is checked in a browser: partners-preview-browser.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { FIXTURES, listFiles, REPO } from './helpers.js';

const folder = mkdtempSync(join(tmpdir(), 'polyfeed-partners-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function partners(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(REPO, 'bin', 'polyfeed.js'), 'partners', ...args, '--now', '2025-01-01T00:00:00Z'],
    { encoding: 'utf8' },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('writes an index, a page per partner and language, and the photos they show', () => {
  const out = join(folder, 'preview');
  const run = partners(join(FIXTURES, 'rights'), '--out', out);
  expect(run).toMatchObject({
    code: 0,
    out: `Partner preview: 8 feeds, 22 cards, 8 would be dropped, 3 feeds would be rejected → ${join(out, 'index.html')}\n`,
  });
  expect(listFiles(out)).toEqual([
    'agency-wire/ar.html',
    'agency-wire/en.html',
    'flipboard/ar.html',
    'flipboard/en.html',
    'flipboard/uk.html',
    'index.html',
    // Only the photo that may be passed on: the agency's are not in any card.
    'media/city-budget/council.png',
    'msn/ar.html',
    'msn/en.html',
    'msn/uk.html',
  ]);
  const page = readFileSync(join(out, 'msn', 'en.html'), 'utf8');
  expect(page).toContain('src="../media/city-budget/council.png"');
  expect(page).not.toContain('<script');
});

test('by default, beside the output folder: a rebuild updates dist/ in place and would keep it', () => {
  const site = join(folder, 'site');
  cpSync(join(FIXTURES, 'rights'), site, { recursive: true });
  const run = partners(site);
  const out = join(site, '.polyfeed-partners');
  expect(run).toMatchObject({
    code: 0,
    out: expect.stringContaining(`→ ${join(out, 'index.html')}\n`),
  });
  expect(existsSync(join(out, 'msn', 'en.html'))).toBe(true);
  expect(existsSync(join(site, 'dist'))).toBe(false);
});

test('a site with errors: the errors, exit code 1, and no report', () => {
  const out = join(folder, 'broken');
  const run = partners(join(FIXTURES, 'invalid-config'), '--out', out);
  expect(run.code).toBe(1);
  expect(run.err).toContain('site.yaml:1:10: error: baseUrl');
  expect(existsSync(out)).toBe(false);
});
