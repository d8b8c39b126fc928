/**
 * Incremental builds: after any edit, a rebuild that reuses the cache writes exactly what a
 * clean build writes, re-renders only what the edit touches, and leaves unchanged files
 * alone (the same inode: linked, not rewritten).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { expect, test } from 'vitest';
import { FIXTURES, listFiles, REPO } from './helpers.js';

const NOW = '2025-01-01T00:00:00Z';

function polyfeed(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(REPO, 'bin', 'polyfeed.js'), ...args, '--now', NOW],
    { encoding: 'utf8' },
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

function expectSameAsCleanBuild(site: string, out: string): void {
  const clean = join(mkdtempSync(join(tmpdir(), 'polyfeed-clean-')), 'dist');
  polyfeed('build', site, '--out', clean, '--no-cache');
  expect(listFiles(out)).toEqual(listFiles(clean));
  for (const file of listFiles(clean))
    expect(readFileSync(join(out, file)), file).toEqual(readFileSync(join(clean, file)));
}

test('edit and rebuild gives the bytes of a clean build, touching only what changed', () => {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-incremental-'));
  cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
  const out = join(site, 'dist');
  expect(polyfeed('build', site)).toMatch(/^Built 3 languages/);
  expect(polyfeed('build', site)).toBe(
    `Up to date: nothing changed since the last build of ${out}\n`,
  );

  const untouched = join(
    out,
    'en',
    'articles',
    'the-history-museum-reopens-its-main-hall',
    'amp.html',
  );
  const inode = statSync(untouched).ino;
  // After an edit, the files the build wrote move into the output folder itself: linking
  // every unchanged file into a new folder took 15 s at 5,000 stories.
  const folder = statSync(out).ino;
  const article = join(site, 'articles', 'flood-warning', 'en.md');
  writeFileSync(
    article,
    readFileSync(article, 'utf8').replace('rose by 40 centimetres', 'rose by 45 centimetres'),
  );
  const said = polyfeed('build', site);
  expect(said).toMatch(/unchanged files kept/);
  expect(statSync(untouched).ino).toBe(inode);
  expect(statSync(out).ino).toBe(folder);
  expect(readdirSync(site).filter((name) => name.startsWith('.dist-'))).toEqual([]);
  expect(readFileSync(join(out, 'en', 'rss.xml'), 'utf8')).toContain('rose by 45 centimetres');
  expectSameAsCleanBuild(site, out);

  // A template edit re-renders pages, and no feed.
  const feedInode = statSync(join(out, 'en', 'rss.xml')).ino;
  mkdirSync(join(site, 'templates', 'partials'), { recursive: true });
  const footer = readFileSync(join(REPO, 'templates', 'partials', 'footer.njk'), 'utf8');
  writeFileSync(
    join(site, 'templates', 'partials', 'footer.njk'),
    footer.replace('class="site-footer"', 'class="site-footer" id="footer"'),
  );
  polyfeed('build', site);
  expect(statSync(join(out, 'en', 'rss.xml')).ino).toBe(feedInode);
  expect(readFileSync(untouched, 'utf8')).toContain('id="footer"');
  expectSameAsCleanBuild(site, out);

  // A locale string edit re-renders what shows it.
  mkdirSync(join(site, 'locales', 'uk'), { recursive: true });
  writeFileSync(
    join(site, 'locales', 'uk', 'common.json'),
    JSON.stringify({ label: { tags: 'Мітки' } }),
  );
  polyfeed('build', site);
  expect(
    readFileSync(
      join(out, 'uk', 'articles', 'riven-vody-v-richtsi-zris-pislia-tyzhnia-doshchiv', 'amp.html'),
      'utf8',
    ),
  ).toContain('Мітки');
  expectSameAsCleanBuild(site, out);

  // A story deleted: its pages, documents and folders go, and its photo with it.
  const museum = join(out, 'en', 'articles', 'the-history-museum-reopens-its-main-hall');
  expect(existsSync(museum)).toBe(true);
  rmSync(join(site, 'articles', 'museum-reopens'), { recursive: true });
  rmSync(join(site, 'articles', 'flood-warning', 'river.png'));
  for (const name of readdirSync(join(site, 'articles', 'flood-warning'))) {
    const file = join(site, 'articles', 'flood-warning', name);
    const text = readFileSync(file, 'utf8').replace(/^image:\n(?: {2}.*\n)+/m, '');
    writeFileSync(file, text.replace(/^.*\(river\.png\).*\n/m, ''));
  }
  expect(polyfeed('build', site)).toMatch(/unchanged files kept/);
  expect(existsSync(museum)).toBe(false);
  const clean = join(mkdtempSync(join(tmpdir(), 'polyfeed-clean-')), 'dist');
  polyfeed('build', site, '--out', clean, '--no-cache');
  expect(listFiles(out)).toEqual(listFiles(clean));
  // The manifest remembers where the deleted story was, in case it comes back; the rest is
  // byte for byte a clean build.
  for (const file of listFiles(clean).filter((f) => f !== 'published-urls.json'))
    expect(readFileSync(join(out, file)), file).toEqual(readFileSync(join(clean, file)));
}, 60_000);

test('with the watcher’s list of changed stories, only those folders are read again', async () => {
  const { build } = await import('../src/build.js');
  const { emptyCache } = await import('../src/engine/build-cache.js');
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-changed-'));
  cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
  const cache = emptyCache(true);
  const options = { now: new Date(NOW), drafts: false, strict: false, cache };
  const title = async () =>
    (await build(site, options)).site?.editions[0]?.articles.find(
      (a) => a.storyId === 'museum-reopens',
    )?.title;
  expect(await title()).toBe('The history museum reopens its main hall');
  const file = join(site, 'articles', 'museum-reopens', 'en.md');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('reopens its main hall', 'reopens its main hall today'),
  );
  // The dev server says another story changed: this one is taken from the cache as it was.
  cache.changedStories = new Set(['flood-warning']);
  expect(await title()).toBe('The history museum reopens its main hall');
  // It says this one changed: read again.
  cache.changedStories = new Set(['museum-reopens']);
  expect(await title()).toBe('The history museum reopens its main hall today');
  // No list: every folder is checked.
  writeFileSync(file, readFileSync(file, 'utf8').replace(' today', ' now'));
  cache.changedStories = undefined;
  expect(await title()).toBe('The history museum reopens its main hall now');
});

test('a cache another version of Polyfeed wrote is not used', () => {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-old-cache-'));
  cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
  const out = join(site, 'dist');
  polyfeed('build', site);
  // As an older Polyfeed left it: its own format, and articles of another shape (their
  // bodies were strings called `html`).
  const file = join(site, '.polyfeed-cache', 'build.v8');
  const cache = deserialize(readFileSync(file)) as {
    format: unknown;
    stories: Map<string, { articles: Record<string, unknown>[] }>;
  };
  cache.format = 1;
  for (const entry of cache.stories.values()) {
    for (const article of entry.articles) {
      article.html = '<p>old</p>';
      delete article.body;
    }
  }
  writeFileSync(file, serialize(cache));
  // A change, so that the build is not skipped as up to date.
  const article = join(site, 'articles', 'museum-reopens', 'en.md');
  writeFileSync(article, `${readFileSync(article, 'utf8')}\nOne more line.\n`);
  expect(polyfeed('build', site)).toMatch(/^Built 3 languages/);
  expectSameAsCleanBuild(site, out);
});
