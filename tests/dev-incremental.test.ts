import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import { type BuildCache, emptyCache, keptContents } from '../src/engine/build-cache.js';
import { OutputStore } from '../src/engine/output-store.js';
import { listingsSite, REPO } from './helpers.js';

const NOW = new Date('2026-01-01T00:00:00Z');

function articleFiles(site: string, id: string): string[] {
  const folder = join(site, 'articles', id);
  return ['en', 'uk', 'de'].map((lang) => join(folder, `${lang}.md`)).filter(existsSync);
}

type Files = Map<string, Buffer>;

/** Gives the site its own article.njk: Polyfeed's, changed by `change`. */
function siteTemplate(site: string, change: (template: string) => string): void {
  const template = readFileSync(join(REPO, 'templates', 'article.njk'), 'utf8');
  mkdirSync(join(site, 'templates'));
  writeFileSync(join(site, 'templates', 'article.njk'), change(template));
}

/** Put before article.njk: rendering fails on an article titled "Broken", and only there. */
const FAILS_ON_BROKEN = '{% if article.title == "Broken" %}{{ notAFunction() }}{% endif %}';

/** A cache as the dev server keeps it: the files' bytes in a store on disk. */
function devCache(): BuildCache {
  const cache = emptyCache(true);
  cache.store = new OutputStore();
  return cache;
}

/** What the dev server's watcher tells the next build: these stories, and maybe other files, changed. */
function watched(cache: BuildCache, stories: Iterable<string>, { others = false } = {}): void {
  cache.changedStories = new Set(stories);
  cache.onlyStoriesChanged = !others;
}

/**
 * What the dev server serves after a build, path → bytes: the cache's files, and the story
 * files by their source's bytes.
 */
function served(result: BuildResult, cache: BuildCache): Files {
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map([
    ...[...cache.outputs.keys()].map(
      (path) => [path, Buffer.from(keptContents(cache, path) ?? '')] as const,
    ),
    ...result.assets.map((a) => [a.path, readFileSync(a.from)] as const),
  ]);
}

/** What a clean build without a cache gives, as `polyfeed build` would write it. */
async function cleanBuild(site: string): Promise<Files> {
  const result = await build(site, { now: NOW, drafts: false, strict: false });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map([
    ...result.files.map((f) => [f.path, Buffer.from(f.contents)] as const),
    ...result.assets.map((a) => [a.path, readFileSync(a.from)] as const),
  ]);
}

/** The same paths with the same bytes (compared as bytes: deep equality is slow on Buffers). */
function expectSameFiles(ours: Files, theirs: Files, what: string): void {
  expect([...ours.keys()].sort(), what).toEqual([...theirs.keys()].sort());
  const differing = [...theirs].filter(([path, bytes]) => !ours.get(path)?.equals(bytes));
  expect(
    differing.map(([path]) => path),
    what,
  ).toEqual([]);
}

test.each([
  ['rendered by each build', undefined, true],
  ['rendered when asked for, after each build', 0, true],
  ['rendered when asked for, after the last build', 0, false],
])(
  'every kind of story edit, rebuilt incrementally, gives the files of a clean build: %s',
  async (_, renderLater, readEach) => {
    const site = listingsSite();
    const ids = readdirSync(join(site, 'articles')).sort();
    const [a = '', b = '', c = '', d = '', e = '', g = ''] = [
      ids[2],
      ids[6],
      ids[19],
      ids[25],
      ids[30],
      ids[12],
    ];
    // The story's first language version (about one in seven is missing).
    const file = (id: string, nth = 0) => articleFiles(site, id)[nth] ?? '';
    const edit = (path: string, change: (text: string) => string) => {
      const text = readFileSync(path, 'utf8');
      const changed = change(text);
      expect(changed, path).not.toBe(text);
      writeFileSync(path, changed);
    };
    // A tag another story has too, so that moving an article to it changes no listing's existence.
    const sharedTag =
      /\ntags: \[([^,\]]+)/.exec(readFileSync(file(ids[11] ?? ''), 'utf8'))?.[1] ?? '';

    const cache = devCache();
    cache.renderLater = renderLater;
    const options = { now: NOW, drafts: false, strict: false, cache };
    const first = await build(site, options);
    const total = cache.outputs.size + first.assets.length;
    if (renderLater !== undefined) expect(first.renderedLater).toBeGreaterThan(total / 2);
    // A story in three languages, for a title edit that keeps the URL (the other languages'
    // pages link it by its title).
    const f = ids.find((id, i) => i > 30 && articleFiles(site, id).length === 3) ?? '';
    const fSlug = first.site?.editions[0]?.articles.find((x) => x.storyId === f)?.slug;

    const steps: [string, string[], () => void][] = [
      ['a body edited', [a], () => edit(file(a), (t) => `${t}\nOne more line.\n`)],
      ['a title edited', [b], () => edit(file(b), (t) => t.replace('title: "', 'title: "Нове: '))],
      [
        'a title edited, its slug kept',
        [f],
        () => edit(file(f), (t) => t.replace('title: "', `slug: ${fSlug}\ntitle: "Renamed: `)),
      ],
      [
        'an article updated after every other (the OPML file says when the feeds last changed)',
        [g],
        () =>
          edit(file(g), (t) => t.replace(/\npublished: \S+/, '$&\nupdated: 2025-12-31T12:00:00Z')),
      ],
      [
        'a summary edited',
        [e],
        () => edit(file(e), (t) => t.replace('summary: "', 'summary: "Updated: ')),
      ],
      [
        'a date moved back, across archives and pages',
        [c],
        () =>
          edit(file(c), (t) => t.replace(/\npublished: \S+/, '\npublished: 2023-01-02T10:00:00Z')),
      ],
      [
        'a tag swapped for one that other stories have',
        [d],
        () => edit(file(d), (t) => t.replace(/\ntags: \[/, `\ntags: [${sharedTag}, `)),
      ],
      [
        'a section changed',
        [e],
        () => edit(file(e), (t) => t.replace(/\nsection: \w+/, '\nsection: sport')),
      ],
      [
        'an article made a draft',
        [a],
        () => edit(file(a, 1), (t) => t.replace('\nsection:', '\ndraft: true\nsection:')),
      ],
      [
        'a story added',
        ['s000099'],
        () => {
          cpSync(join(site, 'articles', b), join(site, 'articles', 's000099'), { recursive: true });
          for (const path of articleFiles(site, 's000099'))
            edit(path, (t) => t.replace('title: "', 'title: "Copy '));
        },
      ],
      ['a story removed', [c], () => rmSync(join(site, 'articles', c), { recursive: true })],
    ];
    const planned: number[] = [];
    let last = first;
    for (const [what, changed, change] of steps) {
      change();
      watched(cache, changed);
      const incremental = await build(site, options);
      if (readEach) expectSameFiles(served(incremental, cache), await cleanBuild(site), what);
      else expect(incremental.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      planned.push(incremental.planned);
      last = incremental;
    }
    // Files left to render by the first builds, rendered now, are those of the sources now.
    expectSameFiles(served(last, cache), await cleanBuild(site), 'at the end');
    // The edits that change no listing's existence plan a small part of the files.
    expect(planned[0]).toBeLessThan(total / 4);
    expect(planned[1]).toBeLessThan(total / 4);
    expect(planned.filter((n) => n < total / 4).length).toBeGreaterThanOrEqual(5);
  },
  120_000,
);

test('after a failed build, the next one plans every file again', async () => {
  const site = listingsSite();
  const cache = devCache();
  const options = { now: NOW, drafts: false, strict: false, cache };
  const good = served(await build(site, options), cache);
  expect(good.size).toBeGreaterThan(1000);
  const story = readdirSync(join(site, 'articles')).sort()[4] ?? '';
  const path = articleFiles(site, story)[0] ?? '';
  const source = readFileSync(path, 'utf8');
  // A tag changes while the build fails: the fixed build must still drop the old tag's files.
  writeFileSync(path, source.replace(/\ntags: \[[^\]]*\]/, '\ntags: [brand-new-tag]\npublised: x'));
  watched(cache, [story]);
  const failed = await build(site, options);
  expect(failed.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  // Meanwhile the dev server serves the last good build, all of it.
  expectSameFiles(served({ ...failed, diagnostics: [] }, cache), good, 'while failing');
  writeFileSync(path, source.replace(/\ntags: \[[^\]]*\]/, '\ntags: [brand-new-tag]'));
  watched(cache, [story]);
  const fixed = await build(site, options);
  const clean = await build(site, { ...options, cache: emptyCache(true) });
  expect(fixed.planned).toBe(clean.planned);
  expectSameFiles(served(fixed, cache), await cleanBuild(site), 'fixed');
  // And the build after it is incremental again.
  writeFileSync(path, `${readFileSync(path, 'utf8')}\nA new line.\n`);
  watched(cache, [story]);
  expect((await build(site, options)).planned).toBeLessThan(clean.planned / 4);
}, 60_000);

test('a slug taken from a story that was not parsed again is reported at both, at their lines', async () => {
  const site = listingsSite();
  const [a = '', b = ''] = readdirSync(join(site, 'articles'))
    .sort()
    .filter((id) => existsSync(join(site, 'articles', id, 'en.md')));
  const slugged = (id: string) => {
    const path = join(site, 'articles', id, 'en.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^---\n/, '---\nslug: same-slug\n'));
  };
  slugged(a);
  const cache = devCache();
  const options = { now: NOW, drafts: false, strict: false, cache };
  expect((await build(site, options)).diagnostics.filter((d) => d.severity === 'error')).toEqual(
    [],
  );
  // Only b is parsed again; a's article, and where its slug was written, come from the cache.
  slugged(b);
  watched(cache, [b]);
  const errors = (await build(site, options)).diagnostics.filter((d) => d.severity === 'error');
  const clean = await build(site, { ...options, cache: emptyCache(true) });
  expect(errors.map((d) => `${d.file}:${d.line}: ${d.field}: ${d.code}`)).toEqual([
    `articles/${a}/en.md:2: slug: content/duplicate-slug`,
    `articles/${b}/en.md:2: slug: content/duplicate-slug`,
  ]);
  expect(errors).toEqual(clean.diagnostics.filter((d) => d.severity === 'error'));
});

test("a body edit renders that article's page and feeds, not its listings or other languages'", async () => {
  const site = listingsSite();
  const story =
    readdirSync(join(site, 'articles'))
      .sort()
      .find((id) => articleFiles(site, id).length === 3) ?? '';
  const cache = devCache();
  const options = { now: NOW, drafts: false, strict: false, cache };
  const first = await build(site, options);
  const path = join(site, 'articles', story, 'en.md');
  writeFileSync(path, `${readFileSync(path, 'utf8')}\nOne more line.\n`);
  watched(cache, [story]);
  const rebuilt = await build(site, options);
  expectSameFiles(served(rebuilt, cache), await cleanBuild(site), 'body');
  const article = first.site?.editions[0]?.articles.find((a) => a.storyId === story);
  const pages = rebuilt.rendered.filter((p) => p.endsWith('.html'));
  expect(pages.sort()).toEqual([article?.amp?.path, article?.path].sort());
  // Its tag feeds carry its body; the other languages' files show only its title and URL.
  expect(rebuilt.rendered.filter((p) => p.startsWith('en/tags/')).length).toBeGreaterThan(0);
  expect(rebuilt.rendered.filter((p) => /^(uk|de)\//.test(p))).toEqual([]);
});

test('a rebuild that fails while rendering leaves the served files as they were', async () => {
  const site = listingsSite();
  // A template that fails on one article only, so that the failing rebuild is incremental.
  siteTemplate(site, (template) => `${FAILS_ON_BROKEN}${template}`);
  const cache = devCache();
  const options = { now: NOW, drafts: false, strict: false, cache };
  const good = served(await build(site, options), cache);
  const story = readdirSync(join(site, 'articles')).sort()[3] ?? '';
  const path = articleFiles(site, story)[0] ?? '';
  writeFileSync(path, readFileSync(path, 'utf8').replace(/\ntitle: "[^"]*"/, '\ntitle: "Broken"'));
  watched(cache, [story]);
  const failed = await build(site, options);
  expect(failed.planned).toBeLessThan(good.size / 4);
  expect(failed.diagnostics.map((d) => d.code)).toContain('template/render');
  expectSameFiles(served({ ...failed, diagnostics: [] }, cache), good, 'failed');
});

test('a template edited under the dev server is used from the next rebuild on', async () => {
  const site = listingsSite();
  const cache = devCache();
  const options = { now: NOW, drafts: false, strict: false, cache };
  served(await build(site, options), cache);
  siteTemplate(site, (template) => template.replace('<article', '<article data-edited'));
  // The watcher saw a template change, and no story's.
  watched(cache, [], { others: true });
  const rebuilt = served(await build(site, options), cache);
  expectSameFiles(rebuilt, await cleanBuild(site), 'template');
  const pages = [...rebuilt].filter(([path]) => path.endsWith('amp.html'));
  expect(pages.length).toBeGreaterThan(40);
  expect(pages.every(([, bytes]) => bytes.includes('<article data-edited'))).toBe(true);
});

test('a UI string edited under the dev server is read again, and only then', async () => {
  const site = listingsSite();
  const cache = devCache();
  const options = { now: NOW, drafts: false, strict: false, cache };
  served(await build(site, options), cache);
  const file = join(site, 'locales', 'en', 'common.json');
  const strings = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...strings, label: { latest: 'Newest stories' } }));
  const home = () => keptContents(cache, 'en/index.html')?.toString() ?? '';
  // Told that only a story changed, the build keeps the strings it read.
  const story = readdirSync(join(site, 'articles')).sort()[5] ?? '';
  watched(cache, [story]);
  served(await build(site, options), cache);
  expect(home()).not.toContain('Newest stories');
  // Told that something else changed, it reads them again, as a clean build does.
  watched(cache, [], { others: true });
  const rebuilt = served(await build(site, options), cache);
  expect(home()).toContain('Newest stories');
  expectSameFiles(rebuilt, await cleanBuild(site), 'locale');
});

test('a UI string key reported unknown is not reported again once no page uses it', async () => {
  const site = listingsSite();
  // A template that asks for a key no locale has, on one article only.
  siteTemplate(
    site,
    (template) =>
      `{% if article.title == "Unknown" %}{{ t('label.noSuchKey') }}{% endif %}${template}`,
  );
  const cache = devCache();
  const options = { now: NOW, drafts: false, strict: false, cache };
  served(await build(site, options), cache);
  const story = readdirSync(join(site, 'articles')).sort()[3] ?? '';
  const path = articleFiles(site, story)[0] ?? '';
  const source = readFileSync(path, 'utf8');
  writeFileSync(path, source.replace(/\ntitle: "[^"]*"/, '\ntitle: "Unknown"'));
  watched(cache, [story]);
  const failed = await build(site, options);
  expect(failed.diagnostics.map((d) => d.code)).toContain('i18n/unknown-key');
  writeFileSync(path, source);
  watched(cache, [story]);
  const fixed = await build(site, options);
  expect(fixed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
});

test('the dev server keeps no file in memory, and only the generations its entries name on disk', async () => {
  const site = listingsSite();
  // A template that fails on one article only, so that a rebuild fails while rendering.
  siteTemplate(site, (template) => `${FAILS_ON_BROKEN}${template}`);
  const cache = devCache();
  const store = cache.store as OutputStore;
  const options = { now: NOW, drafts: false, strict: false, cache };
  const onDisk = () =>
    readdirSync(store.folder)
      .map(Number)
      .sort((a, b) => a - b);
  const named = () =>
    [...new Set([...cache.outputs.values()].map((e) => e.generation ?? 0))].sort((a, b) => a - b);
  await build(site, options);
  expect([...cache.outputs.values()].filter((e) => e.contents !== undefined)).toEqual([]);
  expect(named()).toEqual([1]);
  expect(onDisk()).toEqual([1]);
  // A body edit: its files go to a second generation, the rest stay in the first.
  const story = readdirSync(join(site, 'articles')).sort()[4] ?? '';
  const path = articleFiles(site, story)[0] ?? '';
  const source = readFileSync(path, 'utf8');
  writeFileSync(path, `${source}\nOne more line.\n`);
  watched(cache, [story]);
  await build(site, options);
  expect(named()).toEqual([1, 2]);
  // A rebuild that fails while rendering: what it wrote goes, the entries stay.
  writeFileSync(path, source.replace(/\ntitle: "[^"]*"/, '\ntitle: "Broken"'));
  watched(cache, [story]);
  const failed = await build(site, options);
  expect(failed.diagnostics.map((d) => d.code)).toContain('template/render');
  expect(named()).toEqual([1, 2]);
  await expect.poll(onDisk).toEqual([1, 2]);
  // The same body edit again: the second generation is superseded, and removed.
  writeFileSync(path, `${source}\nAnother line.\n`);
  watched(cache, [story]);
  const rebuilt = await build(site, options);
  expect(named()).toEqual([1, 4]);
  await expect.poll(onDisk).toEqual([1, 4]);
  expectSameFiles(served(rebuilt, cache), await cleanBuild(site), 'after the generations');
  store.close();
  expect(existsSync(store.folder)).toBe(false);
});
