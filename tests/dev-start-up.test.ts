/**
 * How `polyfeed dev` starts on a big site. Its first build leaves most files to render
 * later (see src/engine/render-later.ts; forced here with `renderLater: 0`): it serves as
 * soon as the site is planned, renders a file when it is asked for and the others while
 * idle, and a template that fails on one page only shows that page's error. Its watcher
 * starts after that build, and an edit made before it looked is still built.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { build } from '../src/build.js';
import { type DevOptions, startDevServer } from '../src/dev/dev-server.js';
import { benchSite, REPO } from './helpers.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const BASE_URL = 'https://bench.example.org/';

/** The dev server on `site` at a free port, its lines logged into `lines`. */
function devServer(site: string, lines: string[], options: Partial<DevOptions> = {}) {
  return startDevServer(site, {
    port: 0,
    host: '127.0.0.1',
    drafts: false,
    strict: false,
    now: NOW,
    log: (line) => lines.push(line),
    ...options,
  });
}

test('a big first build serves at once, renders on request and while idle, and shows a failing page its error', async () => {
  const site = benchSite(30, { langs: 'en,uk' });
  const clean = await build(site, { now: NOW, drafts: false, strict: false });
  expect(clean.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const files = new Map(clean.files.map((f) => [f.path, Buffer.from(f.contents).toString()]));
  // A template that fails on the pages of the last English article, so that none of them
  // is among the files rendered at once; it leaves the others as they were.
  const english = clean.site?.editions.find((e) => e.language.code === 'en')?.articles ?? [];
  const article = english.findLast((a) => a.amp !== undefined);
  if (!article?.amp) throw new Error('no English article with an AMP page');
  const failing = [article.path, article.amp.path];
  const template = readFileSync(join(REPO, 'templates', 'article.njk'), 'utf8');
  mkdirSync(join(site, 'templates'));
  writeFileSync(
    join(site, 'templates', 'article.njk'),
    `{% if article.title == ${JSON.stringify(article.title)} %}{{ notAFunction() }}{% endif %}${template}`,
  );

  const lines: string[] = [];
  const server = await devServer(site, lines, { renderLater: 0 });
  try {
    const built = lines.find((line) => line.startsWith('Rebuilt')) ?? '';
    expect(Number(/(\d+) when first asked for/.exec(built)?.[1])).toBeGreaterThan(files.size / 2);
    // Rendered while idle, unasked: the failing pages' error is logged, once.
    await expect
      .poll(() => lines.filter((line) => line.includes('[template/render]')), { timeout: 20_000 })
      .toHaveLength(1);
    expect(lines.find((line) => line.includes('[template/render]'))).toMatch(
      /^templates\/article\.njk:1:\d+: error: .*notAFunction/,
    );
    for (const path of failing) {
      const response = await fetch(new URL(path, server.url));
      expect(response.status, path).toBe(500);
      expect(await response.text(), path).toContain('templates/article.njk:1:');
    }
    // Every other file as the clean build wrote it, but for the server's address and its
    // reload script.
    for (const [path, text] of files) {
      if (failing.includes(path)) continue;
      const response = await fetch(new URL(path, server.url));
      const served = (await response.text())
        .replace(/<script>new EventSource[\s\S]*?<\/script>/, '')
        .replaceAll(server.url, BASE_URL);
      expect({ status: response.status, served }, path).toEqual({ status: 200, served: text });
    }
  } finally {
    await server.close();
  }
}, 60_000);

test('a story edited during the first build, before the watcher looked, is built once it has', async () => {
  const site = benchSite(6, { langs: 'en' });
  const story = readdirSync(join(site, 'articles')).sort()[0] ?? '';
  const file = join(site, 'articles', story, 'en.md');
  const lines: string[] = [];
  const server = await devServer(site, lines, {
    log: (line) => {
      lines.push(line);
      // The end of the first build: the watcher has not started.
      if (lines.length === 1)
        writeFileSync(file, `${readFileSync(file, 'utf8')}\nAdded during the first build.\n`);
    },
  });
  try {
    expect(lines[0]).toMatch(/^Rebuilt/);
    await expect
      .poll(async () => (await fetch(new URL('en/rss.xml', server.url))).text(), {
        timeout: 15_000,
      })
      .toContain('Added during the first build.');
    expect(lines.filter((line) => line.startsWith('Rebuilt'))).toHaveLength(2);
  } finally {
    await server.close();
  }
}, 30_000);
