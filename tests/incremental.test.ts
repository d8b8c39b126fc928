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
import { type BuildResult, build } from '../src/build.js';
import { emptyCache, readCache, writeCache } from '../src/engine/build-cache.js';
import { inputStamp } from '../src/engine/input-stamp.js';
import { basicSite, emptyFolders, listFiles, listingsSite, REPO } from './helpers.js';

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

/** The output is a clean build's, but for `unlike`; `args` are the build's options. */
function expectSameAsCleanBuild(site: string, out: string, ...args: string[]): void {
  const unlike = args.filter((arg) => !arg.startsWith('--'));
  const options = args.filter((arg) => arg.startsWith('--'));
  const clean = join(mkdtempSync(join(tmpdir(), 'polyfeed-clean-')), 'dist');
  polyfeed('build', site, '--out', clean, '--no-cache', ...options);
  expect(listFiles(out)).toEqual(listFiles(clean));
  expect(emptyFolders(out)).toEqual([]);
  // Compared as bytes, then named: a deep equality of every Buffer took minutes.
  const differing = listFiles(clean).filter(
    (path) =>
      !unlike.includes(path) &&
      !readFileSync(join(out, path)).equals(readFileSync(join(clean, path))),
  );
  expect(differing).toEqual([]);
}

test('edit and rebuild gives the bytes of a clean build, touching only what changed', () => {
  const site = basicSite();
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
  const site = basicSite();
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

test('the input stamp gives each story folder the stamp loading makes of it', async () => {
  const site = listingsSite();
  // A story with a subfolder gets none: loading lists that folder itself.
  const [nested = ''] = readdirSync(join(site, 'articles')).sort();
  mkdirSync(join(site, 'articles', nested, 'notes'));
  const cache = emptyCache();
  await build(site, { now: new Date(NOW), drafts: false, strict: false, cache });
  const loaded = new Map([...cache.stories].map(([id, entry]) => [id, entry.stamp]));
  loaded.delete(nested);
  expect(loaded.size).toBe(39);
  expect((await inputStamp(site, REPO, '')).stories).toEqual(loaded);
});

test('a cache another version of Polyfeed wrote is not used, whole or in part', () => {
  const site = basicSite();
  const out = join(site, 'dist');
  const article = join(site, 'articles', 'museum-reopens', 'en.md');
  const cacheFile = (...path: string[]) => join(site, '.polyfeed-cache', ...path);
  const shards = () =>
    readdirSync(cacheFile('shards'))
      .filter((name) => name.endsWith('.v8'))
      .map((name) => cacheFile('shards', name));
  polyfeed('build', site);
  // Shards as an older Polyfeed left them: its own format, and articles of another shape
  // (their bodies were strings called `html`), beside a main file of this version.
  for (const file of shards()) {
    const shard = deserialize(readFileSync(file)) as {
      format: unknown;
      stories: Map<string, { articles: Record<string, unknown>[] }>;
    };
    shard.format = 1;
    for (const entry of shard.stories.values()) {
      for (const old of entry.articles) {
        old.html = '<p>old</p>';
        delete old.body;
      }
    }
    writeFileSync(file, serialize(shard));
  }
  // A change, so that the build is not skipped as up to date.
  writeFileSync(article, `${readFileSync(article, 'utf8')}\nOne more line.\n`);
  expect(polyfeed('build', site)).toMatch(/^Built 3 languages/);
  expectSameAsCleanBuild(site, out);
  // Its main file: none of the cache is used.
  const main = deserialize(readFileSync(cacheFile('build.v8'))) as { format: unknown };
  main.format = 1;
  writeFileSync(cacheFile('build.v8'), serialize(main));
  writeFileSync(article, `${readFileSync(article, 'utf8')}\nAnd another.\n`);
  const said = polyfeed('build', site);
  expect(said).toMatch(/^Built 3 languages/);
  expect(said).not.toMatch(/unchanged files kept/);
  expectSameAsCleanBuild(site, out);
});

test('shards lost from the cache: every file is built again, none dropped', () => {
  const site = basicSite();
  const out = join(site, 'dist');
  polyfeed('build', site);
  // The shards of listings alone: what the cache knew of those files is gone.
  const shards = join(site, '.polyfeed-cache', 'shards');
  for (const name of readdirSync(shards)) {
    const shard = deserialize(readFileSync(join(shards, name))) as {
      stories: Map<string, unknown>;
    };
    if (!shard.stories.size) rmSync(join(shards, name));
  }
  // Titles edited: more files to write than to keep, so the output is replaced whole.
  for (const name of readdirSync(join(site, 'articles', 'flood-warning'))) {
    const file = join(site, 'articles', 'flood-warning', name);
    if (name.endsWith('.md'))
      writeFileSync(file, readFileSync(file, 'utf8').replace(/\ntitle: (.+)/, '\ntitle: $1!'));
  }
  polyfeed('build', site);
  expectSameAsCleanBuild(site, out);
});

test('a build without the cache leaves none that describes the output as it was', () => {
  const site = basicSite();
  const out = join(site, 'dist');
  polyfeed('build', site);
  // The drafts' pages and the feeds that list them, written without the cache.
  polyfeed('build', site, '--no-cache', '--drafts');
  expect(
    listFiles(out).some((path) => path.includes('unfinished') || path.includes('chernetka')),
  ).toBe(true);
  expect(polyfeed('build', site)).toMatch(/^Built 3 languages/);
  // The list of published URLs keeps the drafts' by design (a redirect if one comes back).
  expectSameAsCleanBuild(site, out, 'published-urls.json');
});

/** A story's first language version, changed by `change`. */
function editStory(site: string, id: string, change: (text: string) => string): void {
  const folder = join(site, 'articles', id);
  const file = join(folder, readdirSync(folder).find((name) => name.endsWith('.md')) ?? '');
  const text = readFileSync(file, 'utf8');
  expect(change(text), file).not.toBe(text);
  writeFileSync(file, change(text));
}

test('story edits built again with the cache plan only the files they can touch, and write only their shards', async () => {
  const site = listingsSite();
  const options = { now: new Date(NOW), drafts: false, strict: false };
  const first = emptyCache();
  const cold = await build(site, { ...options, cache: first });
  await writeCache(site, first);
  const story = readdirSync(join(site, 'articles')).sort()[5] ?? '';
  editStory(site, story, (text) => `${text}\nOne more line.\n`);
  const cache = await readCache(site);
  const again: BuildResult = await build(site, { ...options, cache });
  expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(again.planned).toBeLessThan(cold.planned / 4);
  // What it did not plan is kept from the output as it is.
  expect(again.reused.length + again.files.length).toBe(cold.files.length);

  // The cache on disk: the edited story's shard and its listings', and no other.
  const shards = join(site, '.polyfeed-cache', 'shards');
  // Each written shard is a new file renamed into place.
  const inodes = () =>
    new Map(readdirSync(shards).map((name) => [name, statSync(join(shards, name)).ino]));
  const before = inodes();
  await writeCache(site, cache);
  const after = inodes();
  const written = [...after].filter(([name, inode]) => before.get(name) !== inode);
  expect(written.length).toBeGreaterThan(0);
  expect(written.length).toBeLessThan(before.size / 3);
  // Read back, it is the cache the build left in memory.
  const read = await readCache(site);
  const keys = (c: typeof cache) => [...c.outputs].map(([path, e]) => [path, e.key]).sort();
  expect(keys(read)).toEqual(keys(cache));
  const stamps = (c: typeof cache) => [...c.stories].map(([id, e]) => [id, e.stamp]).sort();
  expect(stamps(read)).toEqual(stamps(cache));
});

test('a kept file deleted from the output folder is written again', () => {
  const site = listingsSite();
  const out = join(site, 'dist');
  polyfeed('build', site);
  // An edit, so that the build is not skipped as up to date, and a page of another story.
  const [story = ''] = readdirSync(join(site, 'articles')).sort();
  editStory(site, story, (text) => `${text}\nOne more line.\n`);
  const title = /\ntitle: (.+)/.exec(readFileSync(join(site, 'articles', story, 'en.md'), 'utf8'));
  const page = listFiles(out).find(
    (path) =>
      path.includes('/articles/') &&
      !readFileSync(join(out, path), 'utf8').includes(title?.[1] ?? '?'),
  );
  rmSync(join(out, page ?? ''));
  // Kept files cannot be trusted then: the whole output is built again.
  expect(polyfeed('build', site)).not.toMatch(/unchanged files kept/);
  expect(existsSync(join(out, page ?? ''))).toBe(true);
  expectSameAsCleanBuild(site, out);
  // And the next edit's build, with the cache again, keeps every file.
  editStory(site, story, (text) => `${text}\nAnd another.\n`);
  expect(polyfeed('build', site)).toMatch(/unchanged files kept/);
  expectSameAsCleanBuild(site, out);
});

test('every kind of story edit, built again with the cache, gives the bytes of a clean build', () => {
  const site = listingsSite();
  const out = join(site, 'dist');
  const ids = readdirSync(join(site, 'articles')).sort();
  const [a = '', b = '', c = '', d = '', e = ''] = [ids[2], ids[6], ids[19], ids[25], ids[30]];
  const sharedTag =
    /\ntags: \[([^,\]]+)/.exec(
      readFileSync(
        join(
          site,
          'articles',
          ids[11] ?? '',
          readdirSync(join(site, 'articles', ids[11] ?? ''))[0] ?? '',
        ),
        'utf8',
      ),
    )?.[1] ?? '';
  // Its URL pinned, so that a title edit moves nothing (a moved URL is warned about).
  editStory(site, b, (t) => t.replace('title: "', 'slug: pinned-by-the-test\ntitle: "'));
  polyfeed('build', site);
  const steps: [string, () => void, string[]?][] = [
    [
      'a body, a title, a date, tags and a section edited, each in another story',
      () => {
        editStory(site, a, (t) => `${t}\nOne more line.\n`);
        editStory(site, b, (t) => t.replace('title: "', 'title: "New: '));
        editStory(site, c, (t) =>
          t.replace(/\npublished: \S+/, '\npublished: 2023-01-02T10:00:00Z'),
        );
        editStory(site, d, (t) => t.replace(/\ntags: \[/, `\ntags: [${sharedTag}, `));
        editStory(site, e, (t) => t.replace(/\nsection: \w+/, '\nsection: sport'));
      },
    ],
    [
      'an article made a draft',
      () => editStory(site, a, (t) => t.replace('\nsection:', '\ndraft: true\nsection:')),
    ],
    ['the same, built with --drafts', () => {}, ['--drafts']],
    [
      'without --drafts again, a story added and another removed',
      () => {
        cpSync(join(site, 'articles', b), join(site, 'articles', 's000099-added'), {
          recursive: true,
        });
        // Titles and slugs of its own, or its URLs would be the copied story's.
        const added = join(site, 'articles', 's000099-added');
        for (const name of readdirSync(added).filter((n) => n.endsWith('.md'))) {
          const text = readFileSync(join(added, name), 'utf8');
          writeFileSync(
            join(added, name),
            text.replace('\nslug: pinned-by-the-test', '').replace('title: "', 'title: "Copy: '),
          );
        }
        rmSync(join(site, 'articles', c), { recursive: true });
      },
    ],
  ];
  for (const [what, change, args = []] of steps) {
    change();
    expect(polyfeed('build', site, ...args), what).toMatch(/^Built /);
    // The manifest of published URLs keeps the history of removed articles, which a clean
    // build does not know: the rest is byte for byte a clean build's.
    expectSameAsCleanBuild(site, out, ...args, 'published-urls.json');
  }
}, 120_000);
