/**
 * Published URLs never change silently: the real binary on a copy of a fixture, built,
 * edited and built again. A renamed article's old URL keeps working (a redirect page), the
 * editor is told where the URL came from, and sitemaps and feeds list the new URL only.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES, REPO } from './helpers.js';

const BIN = join(REPO, 'bin', 'polyfeed.js');
const NOW = '2025-01-01T00:00:00Z';
const BASE = 'https://news.example.org/';
const FIRST = 'en/articles/river-levels-rise-after-a-week-of-rain/';
const SECOND = 'en/articles/river-levels-keep-rising-after-ten-days-of-rain/';
const THIRD = 'en/articles/the-river-is-still-rising/';

function copyOf(fixture: string): string {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-urls-'));
  cpSync(fixture, site, { recursive: true });
  rmSync(join(site, 'expected'), { recursive: true, force: true });
  return site;
}

function polyfeed(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, '--now', NOW], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Replaces the `title:` line of an article. */
function retitle(file: string, title: string): void {
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: ${title}`));
}

test('a renamed article keeps its old URLs working, and the editor is told', () => {
  const site = copyOf(join(FIXTURES, 'basic'));
  const dist = join(site, 'dist');
  const article = join(site, 'articles', 'flood-warning', 'en.md');
  const read = (path: string) => readFileSync(join(dist, path), 'utf8');
  expect(polyfeed(['build', site]).code).toBe(0);
  expect(JSON.parse(read('published-urls.json')).articles['flood-warning/en']).toEqual({
    folder: FIRST,
    moved: [],
  });

  retitle(article, 'River levels keep rising after ten days of rain');
  const renamed = polyfeed(['build', site]);
  expect(renamed.code).toBe(0);
  expect(renamed.stderr).toBe(
    `articles/flood-warning/en.md:2:8: warning: title: the title changed, and the URL with it: ${BASE}${FIRST} is now ${BASE}${SECOND}. Published URLs should not change, so the old one now redirects to the new one; to keep the old URL instead, add \`slug: river-levels-rise-after-a-week-of-rain\` [content/url-changed]\n`,
  );
  const redirect = read(`${FIRST}index.html`);
  expect(redirect).toContain(`<link rel="canonical" href="${BASE}${SECOND}">`);
  expect(redirect).toContain(`<meta http-equiv="refresh" content="0; url=${BASE}${SECOND}">`);
  expect(redirect).toContain(
    `<p>This article has moved to a new address: <a href="${BASE}${SECOND}">River levels keep rising after ten days of rain</a></p>`,
  );
  // The AMP page moved too, to the new AMP page.
  expect(read(`${FIRST}amp.html`)).toContain(
    `<link rel="canonical" href="${BASE}${SECOND}amp.html">`,
  );
  expect(read(`${SECOND}index.html`)).toContain('River levels keep rising after ten days of rain');
  for (const listing of [
    'en/sitemap.xml',
    'sitemap.xml',
    'en/rss.xml',
    'en/atom.xml',
    'en/feed.json',
  ]) {
    expect(read(listing), listing).not.toContain(FIRST);
  }
  expect(read('en/sitemap.xml')).toContain(`${BASE}${SECOND}`);
  // Told once: the next build knows the new URL.
  writeFileSync(
    join(site, 'articles', 'museum-reopens', 'en.md'),
    `${readFileSync(join(site, 'articles', 'museum-reopens', 'en.md'), 'utf8')}\nOne more line.\n`,
  );
  expect(polyfeed(['build', site]).stderr).toBe('');

  // Renamed again, with the cache gone (the manifest is in dist/): both old URLs lead to it.
  rmSync(join(site, '.polyfeed-cache'), { recursive: true });
  retitle(article, 'The river is still rising');
  expect(polyfeed(['build', site]).stderr).toContain(`${BASE}${SECOND} is now ${BASE}${THIRD}`);
  for (const old of [FIRST, SECOND])
    expect(read(`${old}index.html`)).toContain(`<link rel="canonical" href="${BASE}${THIRD}">`);
  expect(JSON.parse(read('published-urls.json')).articles['flood-warning/en']).toEqual({
    folder: THIRD,
    moved: [FIRST, SECOND],
  });

  // Back to its first title, the first URL is the article again; the others lead to it.
  retitle(article, 'River levels rise after a week of rain');
  polyfeed(['build', site]);
  expect(read(`${FIRST}index.html`)).toContain('<article');
  expect(read(`${THIRD}index.html`)).toContain(`<link rel="canonical" href="${BASE}${FIRST}">`);
});

test('a deleted article is not a rename: its pages go, with no redirect', () => {
  const site = copyOf(join(FIXTURES, 'basic'));
  const dist = join(site, 'dist');
  polyfeed(['build', site]);
  const page = join(
    dist,
    'en',
    'articles',
    'the-history-museum-reopens-its-main-hall',
    'index.html',
  );
  expect(existsSync(page)).toBe(true);
  rmSync(join(site, 'articles', 'museum-reopens'), { recursive: true });
  const built = polyfeed(['build', site]);
  expect(built).toMatchObject({ code: 0, stderr: '' });
  expect(existsSync(page)).toBe(false);
});

test('polyfeed new pins the URL with slug:, so a later headline edit moves nothing', () => {
  const site = copyOf(join(FIXTURES, 'basic'));
  const args = [
    'new',
    '2025-01-01-ferry',
    '--site',
    site,
    '--author',
    'A',
    '--title',
    'Ferry resumes',
  ];
  expect(polyfeed(args).code).toBe(0);
  const file = join(site, 'articles', '2025-01-01-ferry', 'en.md');
  expect(readFileSync(file, 'utf8')).toMatch(/^slug: ferry-resumes$/m);
  writeFileSync(file, readFileSync(file, 'utf8').replace('draft: true\n', ''));
  polyfeed(['build', site]);
  retitle(file, 'Ferry service resumes after the winter');
  expect(polyfeed(['build', site]).stderr).toBe('');
  expect(existsSync(join(site, 'dist', 'en', 'articles', 'ferry-resumes', 'index.html'))).toBe(
    true,
  );
});

test('an edited slug is named as such, even when it was edited to match a new title', () => {
  const site = copyOf(join(FIXTURES, 'basic'));
  const file = join(site, 'articles', 'flood-warning', 'en.md');
  const oldSlug = 'river-levels-rise-after-a-week-of-rain';
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^---\n/, `---\nslug: ${oldSlug}\n`));
  expect(polyfeed(['build', site]).code).toBe(0);
  // The editor retitles the article and writes the new title's slug as well.
  retitle(file, 'River levels keep rising after ten days of rain');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      `slug: ${oldSlug}`,
      'slug: river-levels-keep-rising-after-ten-days-of-rain',
    ),
  );
  expect(polyfeed(['build', site]).stderr).toBe(
    `articles/flood-warning/en.md:2:7: warning: slug: the slug changed: ${BASE}${FIRST} is now ${BASE}${SECOND}. Published URLs should not change, so the old one now redirects to the new one; to keep the old URL instead, set \`slug: ${oldSlug}\` [content/url-changed]\n`,
  );
});

test('polyfeed check reports a rename before it is built', () => {
  const site = copyOf(join(FIXTURES, 'basic'));
  polyfeed(['build', site]);
  retitle(join(site, 'articles', 'flood-warning', 'en.md'), 'Another headline for the flood');
  const checked = polyfeed(['check', site]);
  expect(checked.code).toBe(0);
  expect(checked.stderr).toMatch(
    /^articles\/flood-warning\/en\.md:2:8: warning: title: the title changed/,
  );
});

test('with two threads (a site big enough to use them) the redirects and the manifest are written', () => {
  // The sample site's sources; its locales and templates are Polyfeed's own.
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-urls-'));
  for (const part of ['site.yaml', 'articles', 'assets'])
    cpSync(join(REPO, part), join(site, part), { recursive: true });
  const dist = join(site, 'dist');
  expect(polyfeed(['build', site, '--threads', '2']).code).toBe(0);
  retitle(
    join(site, 'articles', '2024-03-12-bridge-repairs', 'uk.md'),
    'Новий міст ремонтуватимуть до червня',
  );
  // Uncached, every file is rendered again: enough of them for the second thread.
  const built = polyfeed(['build', site, '--threads', '2', '--no-cache']);
  expect(built.stderr).toContain('[content/url-changed]');
  const old = 'uk/articles/cherez-remont-novoho-mostu-do-chervnia-zakryiut-dvi-smuhy/';
  expect(readFileSync(join(dist, old, 'amp.html'), 'utf8')).toContain('rel="canonical"');
  expect(
    JSON.parse(readFileSync(join(dist, 'published-urls.json'), 'utf8')).articles[
      '2024-03-12-bridge-repairs/uk'
    ].moved,
  ).toEqual([old]);
}, 120_000);
