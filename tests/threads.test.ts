/**
 * Building with a worker thread (parsing stories beside the main thread, then rendering the
 * feeds and taking pages over) writes the same bytes and reports the same problems as one
 * thread. Uses the compiled lib/, as `polyfeed build` does, on a
 * synthetic corpus big enough for both to engage.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import type { StoryEntry } from '../src/load/memo.js';
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

/**
 * A 40-story site whose stories a worker parsed (this thread took none), with the compiled
 * modules the worker runs, and a way to have a worker render files from given stories.
 */
async function parsedByWorker() {
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
  /** The pages `worker` (or a new one) renders at `paths` from `from`, by path. */
  const render = async (
    worker: typeof thread | undefined,
    from: typeof stories,
    paths: string[],
  ): Promise<Map<string, string>> => {
    const pages = new Map<string, string>();
    await pool.BuildThread.render(worker, site, options, from, parseKey, paths, {
      rendered: (path, contents) => pages.set(path, Buffer.from(contents).toString()),
    });
    return pages;
  };
  /** The first article of the `n`th story. */
  const article = (n: number) => {
    const found = stories.get(ids[n] ?? '')?.articles[0];
    if (!found) throw new Error(`no story ${n}`);
    return found;
  };
  return { site, parseKey, ids, thread, stories, options, render, article };
}

/** `stories` with story `id`'s first article saved again under another title. */
function savedAgain(stories: Map<string, StoryEntry>, id: string): Map<string, StoryEntry> {
  const entry = stories.get(id);
  const [article, ...others] = entry?.articles ?? [];
  if (!entry || !article) throw new Error(`no story ${id}`);
  const saved = { ...article, title: 'Saved during the build' };
  return new Map(stories).set(id, { ...entry, articles: [saved, ...others] });
}

test('a story parsed again by the main thread after the worker parsed it is rendered as parsed again', async () => {
  const { ids, thread, stories, render, article } = await parsedByWorker();
  // A file saved before this thread loads the story: its entry here is another object,
  // which the worker must be sent.
  const pages = await render(thread, savedAgain(stories, ids[7] ?? ''), [article(7).path]);
  expect(pages.get(article(7).path)).toContain('<title>Saved during the build');
}, 60_000);

test('a worker that loaded its model early renders a story parsed again since as the main thread has it', async () => {
  const { site, parseKey, ids, thread, stories, options, render, article } = await parsedByWorker();
  // The worker loads its model and plans from these stories, as the main thread does...
  thread.prepare(site, options, stories, parseKey);
  // ...while one story is saved again, which the main thread's load sees.
  const pages = await render(thread, savedAgain(stories, ids[7] ?? ''), [
    article(7).path,
    'en/index.html',
  ]);
  // The worker's model as prepared would have rendered both with the old title.
  expect(pages.get(article(7).path)).toContain('<title>Saved during the build');
  expect(pages.get('en/index.html')).toContain('Saved during the build');
}, 60_000);

test('a worker that loaded its model early leaves out a story removed since', async () => {
  const { site, parseKey, ids, thread, stories, options, render, article } = await parsedByWorker();
  const gone = article(7);
  thread.prepare(site, options, stories, parseKey);
  // Removed once the worker has its model (it loads 40 stories in well under a second),
  // and before this thread loads the site: only the list of removed stories tells it.
  await delay(3000);
  rmSync(join(site, 'articles', ids[7] ?? ''), { recursive: true });
  const now = new Map(stories);
  now.delete(ids[7] ?? '');
  const pages = await render(thread, now, ['en/index.html', article(8).path]);
  expect(pages.get(article(8).path)).toContain(article(8).title);
  expect(pages.get('en/index.html')).toContain(article(8).title);
  expect(pages.get('en/index.html')).not.toContain(gone.title);
}, 60_000);

test('a body the worker parsed is shared with this thread, not copied', async () => {
  const { thread, stories, render, article } = await parsedByWorker();
  const shared = article(5);
  expect(shared.body.buffer).toBeInstanceOf(SharedArrayBuffer);
  // Changed here, in place: the worker, which is not sent this story again, renders it so.
  const html = Buffer.from(shared.body).toString();
  const at = html.indexOf('<p>') + 3;
  shared.body.set(Buffer.from('Q'), at);
  const changed = `${html.slice(0, at)}Q${html.slice(at + 1, at + 40)}`;
  expect(html).not.toContain(changed);
  expect((await render(thread, stories, [shared.path])).get(shared.path)).toContain(changed);

  // A body of its own, as the disk cache gives back, is moved into shared memory when a
  // new worker is sent the story.
  const cached = article(6);
  cached.body = new Uint8Array(cached.body);
  expect(cached.body.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  const pages = await render(undefined, stories, [cached.path]);
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
