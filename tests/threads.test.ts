/**
 * Building with a worker thread (parsing stories beside the main thread, then rendering the
 * feeds and taking pages over) writes the same bytes and reports the same problems as one
 * thread. Uses the compiled lib/, as `polyfeed build` does, on a
 * synthetic corpus big enough for both to engage.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { benchSite, listFiles, REPO } from './helpers.js';

test('two threads write exactly what one thread writes', () => {
  const site = benchSite(60);
  // The feeds the build found changed (for WebSub): the worker compares those it writes.
  const changedFeeds = () =>
    (
      JSON.parse(readFileSync(join(site, '.polyfeed-cache', 'changed-feeds.json'), 'utf8')) as {
        feeds: string[];
      }
    ).feeds;
  const build = (threads: string, out = join(site, `out-${threads}`)) => {
    const run = spawnSync(
      process.execPath,
      [
        join(REPO, 'bin', 'polyfeed.js'),
        'build',
        site,
        '--out',
        out,
        '--no-cache',
        '--threads',
        threads,
        '--now',
        '2026-01-01T00:00:00Z',
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return { out, changed: changedFeeds() };
  };
  const first = build('1');
  const second = build('2');
  const [one, two] = [first.out, second.out];
  const files = listFiles(one);
  expect(files.length).toBeGreaterThan(400); // enough files for the render split
  expect(listFiles(two)).toEqual(files);
  // Buffer.equals: vitest's deep equality walks thousands of large buffers byte by byte.
  const differing = files.filter(
    (file) => !readFileSync(join(two, file)).equals(readFileSync(join(one, file))),
  );
  expect(differing).toEqual([]);
  // Into empty folders, every feed is new, whichever thread wrote it.
  const feeds = files.filter((file) => /(rss|atom)\.xml$|feed\.json$/.test(file));
  expect(second.changed).toEqual(first.changed);
  expect(second.changed.length).toBeGreaterThanOrEqual(feeds.length);
  // Built again over the same output, no feed changed.
  expect(build('2', two).changed).toEqual([]);
}, 120_000);

test('when the feeds are few and the worker takes pages over, the bytes stay the same', async () => {
  // The compiled build, as `polyfeed build` runs it (the worker thread needs lib/).
  const { build } = (await import(
    join(REPO, 'lib', 'build.js')
  )) as typeof import('../src/build.js');
  // Three feeds per language, and a page per article: the worker is soon done with feeds.
  const site = benchSite(120, {
    config: (yaml) =>
      `${yaml.replace('  items: 50', '  items: 50\n  archives: false')}listings:\n  sections: false\n  tags: false\n`,
  });
  const options = { now: new Date('2026-01-01T00:00:00Z'), drafts: false, strict: false };
  const one = await build(site, { ...options, threads: 1 });
  const two = await build(site, { ...options, threads: 2 });
  const feeds = one.files.filter((f) => /(rss|atom)\.xml$|feed\.json$/.test(f.path)).length;
  expect(feeds).toBe(12);
  // How many pages the worker takes over depends on timing (the split itself is tested in
  // src/render-share.test.ts); the bytes must not.
  expect(two.files.map((f) => f.path)).toEqual(one.files.map((f) => f.path));
  const bytes = new Map(one.files.map((f) => [f.path, Buffer.from(f.contents)]));
  const differing = two.files.filter((f) => !bytes.get(f.path)?.equals(Buffer.from(f.contents)));
  expect(differing.map((f) => f.path)).toEqual([]);
}, 120_000);

test('with two threads, every broken article is reported, as with one, and the build ends', () => {
  const site = benchSite(80, { langs: 'en,uk' });
  // Spread over the corpus, so that both threads parse some of them.
  const stories = readdirSync(join(site, 'articles')).sort();
  const broken = stories
    .filter((_, i) => i % 9 === 4)
    .map((id) => `articles/${id}/${readdirSync(join(site, 'articles', id)).sort()[0]}`);
  for (const path of broken) {
    const file = join(site, path);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^published: .*$/m, 'published: soon'));
  }
  const out = join(site, 'dist');
  const build = (threads: string) =>
    spawnSync(
      process.execPath,
      [join(REPO, 'bin', 'polyfeed.js'), 'build', site, '--no-cache', '--threads', threads],
      { encoding: 'utf8', timeout: 60_000 },
    );
  const one = build('1');
  const two = build('2');
  expect(one.status).toBe(1);
  expect(two.status).toBe(1); // not killed by the timeout: no worker kept it alive
  const reported = (stderr: string) =>
    stderr.split('\n').filter((line) => line.includes(': published: '));
  expect(reported(one.stderr).map((line) => line.split(':')[0])).toEqual(broken);
  expect(two.stderr).toBe(one.stderr);
  expect(existsSync(out)).toBe(false);
}, 120_000);

test('a story parsed again by the main thread after the worker parsed it is rendered as parsed again', async () => {
  // The compiled modules, as the worker runs them.
  const pool = (await import(
    join(REPO, 'lib', 'engine', 'pool.js')
  )) as typeof import('../src/engine/pool.js');
  const { prepare } = (await import(
    join(REPO, 'lib', 'load', 'prepare.js')
  )) as typeof import('../src/load/prepare.js');
  const site = benchSite(40, { langs: 'en' });
  const prepared = await prepare(site, false, []);
  const ids = readdirSync(join(site, 'articles')).sort();
  // The worker parses every story (this thread takes none)...
  const { thread, parsed } = pool.BuildThread.parse(site, false, new pool.StoryQueue(ids));
  const stories = new Map(await parsed);
  // ...and one changes before this thread loads it (a file saved during the build): its
  // entry here is another object, which the worker must be sent.
  const id = ids[7] ?? '';
  const entry = stories.get(id);
  const article = entry?.articles[0];
  if (!entry || !article) throw new Error('no article to change');
  stories.set(id, { ...entry, articles: [{ ...article, title: 'Saved during the build' }] });
  const pages = new Map<string, string>();
  await pool.BuildThread.render(
    thread,
    site,
    { now: new Date('2026-01-01T00:00:00Z'), drafts: false, strict: false },
    stories,
    prepared?.parseKey ?? '',
    [article.path],
    { rendered: (path, contents) => pages.set(path, Buffer.from(contents).toString()) },
  );
  expect(pages.get(article.path)).toContain('<title>Saved during the build');
}, 60_000);

test('a worker that loaded its model early renders a story parsed again since as the main thread has it', async () => {
  const pool = (await import(
    join(REPO, 'lib', 'engine', 'pool.js')
  )) as typeof import('../src/engine/pool.js');
  const { prepare } = (await import(
    join(REPO, 'lib', 'load', 'prepare.js')
  )) as typeof import('../src/load/prepare.js');
  const site = benchSite(40, { langs: 'en' });
  const parseKey = (await prepare(site, false, []))?.parseKey ?? '';
  const ids = readdirSync(join(site, 'articles')).sort();
  const { thread, parsed } = pool.BuildThread.parse(site, false, new pool.StoryQueue(ids));
  const stories = new Map(await parsed);
  const options = { now: new Date('2026-01-01T00:00:00Z'), drafts: false, strict: false };
  // The worker loads its model and plans from these stories, as the main thread does...
  thread.prepare(site, options, stories, parseKey);
  // ...while one story is saved again, which the main thread's load sees.
  const now = new Map(stories);
  const saved = stories.get(ids[7] ?? '');
  const article = saved?.articles[0];
  if (!saved || !article) throw new Error('no article to change');
  now.set(ids[7] ?? '', { ...saved, articles: [{ ...article, title: 'Saved during the build' }] });
  const pages = new Map<string, string>();
  await pool.BuildThread.render(
    thread,
    site,
    options,
    now,
    parseKey,
    [article.path, 'en/index.html'],
    { rendered: (path, contents) => pages.set(path, Buffer.from(contents).toString()) },
  );
  // The worker's model as prepared would have rendered both with the old title.
  expect(pages.get(article.path)).toContain('<title>Saved during the build');
  expect(pages.get('en/index.html')).toContain('Saved during the build');
}, 60_000);

test('a body the worker parsed is shared with this thread, not copied', async () => {
  const pool = (await import(
    join(REPO, 'lib', 'engine', 'pool.js')
  )) as typeof import('../src/engine/pool.js');
  const { prepare } = (await import(
    join(REPO, 'lib', 'load', 'prepare.js')
  )) as typeof import('../src/load/prepare.js');
  const site = benchSite(40, { langs: 'en' });
  const parseKey = (await prepare(site, false, []))?.parseKey ?? '';
  const ids = readdirSync(join(site, 'articles')).sort();
  const { thread, parsed } = pool.BuildThread.parse(site, false, new pool.StoryQueue(ids));
  const stories = new Map(await parsed);
  const article = stories.get(ids[5] ?? '')?.articles[0];
  if (!article) throw new Error('no article');
  expect(article.body.buffer).toBeInstanceOf(SharedArrayBuffer);
  // Changed here, in place: the worker, which is not sent this story again, renders it so.
  const html = Buffer.from(article.body).toString();
  const at = html.indexOf('<p>') + 3;
  article.body.set(Buffer.from('Q'), at);
  const pages = new Map<string, string>();
  await pool.BuildThread.render(
    thread,
    site,
    { now: new Date('2026-01-01T00:00:00Z'), drafts: false, strict: false },
    stories,
    parseKey,
    [article.path],
    { rendered: (path, contents) => pages.set(path, Buffer.from(contents).toString()) },
  );
  const changed = `${html.slice(0, at)}Q${html.slice(at + 1, at + 40)}`;
  expect(html).not.toContain(changed);
  expect(pages.get(article.path)).toContain(changed);

  // A body of its own, as the disk cache gives back, is moved into shared memory when a
  // new worker is sent the story.
  const cached = stories.get(ids[6] ?? '')?.articles[0];
  if (!cached) throw new Error('no article');
  cached.body = new Uint8Array(cached.body);
  expect(cached.body.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  pages.clear();
  await pool.BuildThread.render(
    undefined,
    site,
    { now: new Date('2026-01-01T00:00:00Z'), drafts: false, strict: false },
    stories,
    parseKey,
    [cached.path],
    { rendered: (path, contents) => pages.set(path, Buffer.from(contents).toString()) },
  );
  expect(cached.body.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(pages.get(cached.path)).toContain(Buffer.from(cached.body).toString().slice(0, 200));
}, 60_000);

test('a build that throws after the worker parsed stories stops the worker', async () => {
  const { build } = (await import(
    join(REPO, 'lib', 'build.js')
  )) as typeof import('../src/build.js');
  const site = benchSite(40, { langs: 'en' });
  // Every worker the build starts, with its exit (pool.ts listens with `once` at once).
  const prototype = Worker.prototype as unknown as { once: (...args: unknown[]) => Worker };
  const once = prototype.once;
  const workers = new Map<Worker, Promise<unknown>>();
  prototype.once = function (this: Worker, ...args: unknown[]) {
    if (!workers.has(this))
      workers.set(this, new Promise((resolve) => once.call(this, 'exit', resolve)));
    return once.apply(this, args);
  };
  try {
    await expect(
      build(site, {
        now: new Date('2026-01-01T00:00:00Z'),
        drafts: false,
        strict: false,
        threads: 2,
        // As a bug would, once the stories were parsed on two threads (the worker then
        // waits to render).
        onPhase(phase) {
          if (phase.startsWith('planning')) throw new Error('a bug while planning');
        },
      }),
    ).rejects.toThrow('a bug while planning');
    expect(workers.size).toBe(1);
    // Not stopped, it would wait for a render task as long as the process lives.
    const exits = [...workers.values()].map((exit) => exit.then(() => 'exited'));
    expect(await Promise.race([...exits, delay(20_000, 'still running')])).toBe('exited');
  } finally {
    Reflect.deleteProperty(prototype, 'once'); // EventEmitter's again
    for (const worker of workers.keys()) await worker.terminate();
  }
}, 60_000);
