/**
 * `polyfeed dev` as a user runs it: the real binary on a copy of a fixture, on a free
 * port. It serves pages and feeds, picks up an edit however the file is saved, shows the
 * errors while an article or a template is broken and recovers when it is fixed, redirects
 * folders to their slash, receives typo reports, and leaves no temporary folder however it
 * stops. Every wait is bounded; the server is always stopped.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openStore } from '../src/typo/store.js';
import { basicSite, brokenFooter, REPO } from './helpers.js';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

/** `polyfeed dev` on `site`, once it says where it serves. */
async function startDev(site: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const running = spawn(
    process.execPath,
    [
      join(REPO, 'bin', 'polyfeed.js'),
      'dev',
      site,
      '--port',
      '0',
      '--now',
      '2025-01-01T00:00:00Z',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  child = running;
  const output = { stdout: '', stderr: '' };
  running.stdout?.on('data', (chunk) => {
    output.stdout += chunk;
  });
  running.stderr?.on('data', (chunk) => {
    output.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => running.once('exit', resolve));
  const base = await until(
    'the server',
    async () => /Serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output.stdout)?.[1],
  );
  // Edits made before the watcher's first look are found by the build after it, but a
  // file made while it looks may never be followed (a new folder's, under load): the tests
  // edit once it watches, as a person would.
  await until('the watcher', async () =>
    output.stderr.includes('Watching the sources for changes') ? true : undefined,
  );
  return { base, output, running, exited };
}

/** Waits until `path` answers `status` with a body that has `text`; gives the body. */
function untilServed(base: string, path: string, text: string, status = 200): Promise<string> {
  return until(`${path} with "${text}"`, async () => {
    const response = await fetch(`${base}${path}`);
    const body = await response.text();
    return response.status === status && body.includes(text) ? body : undefined;
  });
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('serves, rebuilds on change, shows errors and recovers', async () => {
  const site = basicSite();
  child = spawn(
    process.execPath,
    [join(REPO, 'bin', 'polyfeed.js'), 'dev', site, '--port', '0', '--now', '2025-01-01T00:00:00Z'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const base = await until(
    'the server',
    async () => /Serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1],
  );

  const feed = await fetch(`${base}en/rss.xml`);
  expect(feed.status).toBe(200);
  expect(feed.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
  expect((await fetch(`${base}en/atom.xml`)).headers.get('content-type')).toBe(
    'application/atom+xml; charset=utf-8',
  );
  expect((await fetch(`${base}en/feed.json`)).headers.get('content-type')).toBe(
    'application/feed+json; charset=utf-8',
  );
  const page = await (await fetch(`${base}en/`)).text();
  expect(page).toContain('River levels rise after a week of rain');
  expect(page).toContain('EventSource');
  // It shows drafts, marked as such in their language.
  expect(await (await fetch(`${base}uk/`)).text()).toContain(
    '<mark class="draft-mark">Чернетка</mark>',
  );
  // Canonical pages' stylesheet is a file: a browser applies it only as text/css.
  const canonical = await (
    await fetch(`${base}en/articles/river-levels-rise-after-a-week-of-rain/`)
  ).text();
  const href = /<link rel="stylesheet" href="([^"]+)">/.exec(canonical)?.[1] ?? '';
  // Links lead to this server, not to the production site (baseUrl).
  expect(href.startsWith(base)).toBe(true);
  expect(canonical).not.toContain('https://news.example.org/');
  expect(await (await fetch(`${base}en/rss.xml`)).text()).toContain(`<link>${base}en/</link>`);
  const css = await fetch(href);
  expect(css.status).toBe(200);
  expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');

  const article = join(site, 'articles', 'flood-warning', 'en.md');
  const original = readFileSync(article, 'utf8');
  writeFileSync(
    article,
    original.replace(
      'title: River levels rise after a week of rain',
      'title: River levels keep rising',
    ),
  );
  await until('the edit', async () =>
    (await (await fetch(`${base}en/`)).text()).includes('River levels keep rising')
      ? true
      : undefined,
  );

  // Not a story: the config is read again.
  const config = join(site, 'site.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace('© 2025 Example News', '© 2026 Example News'),
  );
  await until('the config edit', async () =>
    (await (await fetch(`${base}en/`)).text()).includes('© 2026 Example News') ? true : undefined,
  );

  writeFileSync(article, original.replace('section: politics', 'section: sport'));
  const broken = await until('the error page', async () => {
    const response = await fetch(`${base}en/`);
    return response.status === 500 ? response.text() : undefined;
  });
  expect(broken).toContain('articles/flood-warning/en.md:6:10: error: section: must be one of');
  expect((await fetch(`${base}en/rss.xml`)).status).toBe(200); // the last good build
  expect(stderr).toContain('articles/flood-warning/en.md:6:10: error: section: must be one of');

  writeFileSync(article, original);
  await until('recovery', async () => {
    const response = await fetch(`${base}en/`);
    return response.status === 200 &&
      (await response.text()).includes('River levels rise after a week of rain')
      ? true
      : undefined;
  });
}, 60_000);

test("keeps the files' bytes in a temporary folder, survives losing it, and removes it on stop", async () => {
  const site = basicSite();
  const temp = mkdtempSync(join(tmpdir(), 'polyfeed-dev-temp-'));
  const running = spawn(
    process.execPath,
    [join(REPO, 'bin', 'polyfeed.js'), 'dev', site, '--port', '0', '--now', '2025-01-01T00:00:00Z'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: temp } },
  );
  child = running;
  let stdout = '';
  running.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  const exited = new Promise((resolve) => running.once('exit', resolve));
  const base = await until(
    'the server',
    async () => /Serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1],
  );
  const [store = ''] = readdirSync(temp).filter((name) => name.startsWith('polyfeed-dev-output-'));
  const feed = await (await fetch(`${base}en/rss.xml`)).text();
  // The bytes served are those in the folder (one subfolder per build).
  const [generation = ''] = readdirSync(join(temp, store));
  expect(readFileSync(join(temp, store, generation, 'en', 'rss.xml'), 'utf8')).toBe(
    feed.replaceAll(base, 'https://news.example.org/'),
  );
  // A temp cleaner empties it under a long-running server: not found, and still serving.
  rmSync(join(temp, store, generation), { recursive: true });
  expect((await fetch(`${base}en/rss.xml`)).status).toBe(404);
  expect((await fetch(`${base}en/atom.xml`)).status).toBe(404);
  running.kill('SIGTERM');
  await exited;
  expect(readdirSync(temp)).toEqual([]);
}, 30_000);

test('every way of saving a file starts a rebuild, and so does the next edit', async () => {
  const site = basicSite();
  const { base } = await startDev(site);
  const article = join(site, 'articles', 'flood-warning', 'en.md');
  const original = readFileSync(article, 'utf8');
  const titled = (title: string) =>
    original.replace('title: River levels rise after a week of rain', `title: ${title}`);
  const scratch = mkdtempSync(join(tmpdir(), 'polyfeed-dev-saves-'));
  // How editors, tools and people replace a file: several of them give it a new inode,
  // which a watcher of the file itself loses.
  const saves: Record<string, (title: string) => void> = {
    'written in place': (title) => writeFileSync(article, titled(title)),
    'written to a temporary file, then renamed over it': (title) => {
      const temporary = join(site, 'articles', 'flood-warning', '.en.md.tmp');
      writeFileSync(temporary, titled(title));
      renameSync(temporary, article);
    },
    'sed -i': (title) => {
      const result = spawnSync('sed', ['-i', `s/^title: .*/title: ${title}/`, article]);
      expect(result.status).toBe(0);
    },
    'cp over it': (title) => {
      const copy = join(scratch, 'en.md');
      writeFileSync(copy, titled(title));
      expect(spawnSync('cp', [copy, article]).status).toBe(0);
    },
    'deleted and created again': (title) => {
      rmSync(article);
      writeFileSync(article, titled(title));
    },
  };
  let n = 0;
  for (const [how, save] of Object.entries(saves)) {
    n++;
    save(`Saved ${n}, ${how}`);
    await untilServed(base, 'en/', `Saved ${n}, ${how}`);
    // The edit after it: the watcher still follows the file.
    writeFileSync(article, titled(`Edited after save ${n}`));
    await untilServed(base, 'en/', `Edited after save ${n}`);
  }
}, 120_000);

test('a broken template shows the error page, keeps serving, and recovers when fixed', async () => {
  const site = basicSite();
  const { base, output, exited } = await startDev(site);
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const { text, error } = brokenFooter();
  mkdirSync(join(site, 'templates', 'partials'), { recursive: true });
  const file = join(site, 'templates', 'partials', 'footer.njk');
  writeFileSync(file, text);
  expect(await untilServed(base, 'en/', error, 500)).toContain('The sources have 1 error');
  expect(output.stderr).toContain(error);
  expect(output.stderr).not.toContain('    at ');
  // The last good build is still served.
  expect((await fetch(`${base}en/rss.xml`)).status).toBe(200);
  expect(exitCode).toBeUndefined();

  rmSync(file);
  await untilServed(base, 'en/', 'River levels rise after a week of rain');
  expect(exitCode).toBeUndefined();
}, 60_000);

test('killed by a closed terminal (SIGHUP), it still removes its temporary folder', async () => {
  const temp = mkdtempSync(join(tmpdir(), 'polyfeed-dev-temp-'));
  const { running, exited } = await startDev(basicSite(), [], { TMPDIR: temp });
  expect(readdirSync(temp).filter((name) => name.startsWith('polyfeed-dev-output-'))).toHaveLength(
    1,
  );
  running.kill('SIGHUP');
  await exited;
  expect(readdirSync(temp)).toEqual([]);
}, 30_000);

test('a folder asked for without its slash is redirected to it, query kept', async () => {
  const { base } = await startDev(basicSite());
  const slug = 'en/articles/river-levels-rise-after-a-week-of-rain';
  for (const [path, to] of [
    ['en', '/en/'],
    [slug, `/${slug}/`],
    [`${slug}?utm_source=feed&x=%C3%A9`, `/${slug}/?utm_source=feed&x=%C3%A9`],
  ]) {
    const response = await fetch(`${base}${path}`, { redirect: 'manual' });
    expect(response.status, path).toBe(301);
    expect(response.headers.get('location'), path).toBe(to);
  }
  const followed = await fetch(`${base}en`);
  expect(followed.url).toBe(`${base}en/`);
  expect(followed.headers.get('content-type')).toBe('text/html; charset=utf-8');
  // A file is not a folder: still not found.
  expect((await fetch(`${base}en/nothing-here`, { redirect: 'manual' })).status).toBe(404);
}, 30_000);

test('the typo flow works under dev: local assets, reports received and listed by polyfeed typos', async () => {
  const site = basicSite();
  const { base, output } = await startDev(site);
  const page = await (
    await fetch(`${base}en/articles/river-levels-rise-after-a-week-of-rain/`)
  ).text();
  // The stylesheet, the reporter and the endpoint are the dev server's own.
  const stylesheet = /<link rel="stylesheet" href="([^"]+)">/.exec(page)?.[1];
  const script = /<script src="([^"]+typo-report[^"]*)"/.exec(page)?.[1];
  const endpoint = /data-endpoint="([^"]+)"/.exec(page)?.[1];
  expect([stylesheet, script, endpoint]).toEqual([
    expect.stringMatching(`^${base}`),
    expect.stringMatching(`^${base}`),
    `${base}api/typo`,
  ]);
  expect((await fetch(script ?? '')).status).toBe(200);
  // Where they go is printed: a database in its temporary folder.
  const database = /Typo reports: POST \S+ → (\S+)/.exec(output.stdout)?.[1] ?? '';
  expect(database).toMatch(/reports\.sqlite$/);

  // What the reporter sends, from the page's own attributes.
  const report = {
    selection: 'levels',
    contextBefore: 'River ',
    contextAfter: ' rise',
    comment: 'sent from a laptop',
    url: /data-url="([^"]+)"/.exec(page)?.[1],
    lang: 'en',
    storyId: /data-story="([^"]+)"/.exec(page)?.[1],
  };
  const sent = await fetch(endpoint ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base.replace(/\/$/, '') },
    body: JSON.stringify(report),
  });
  expect(await sent.json()).toMatchObject({ status: 'received', duplicate: false });
  expect(sent.status).toBe(201);

  const listed = spawnSync(
    process.execPath,
    [join(REPO, 'bin', 'polyfeed.js'), 'typos', 'list', '--site', site, '--database', database],
    { encoding: 'utf8' },
  );
  expect(listed.stdout).toBe(
    '#1 open ×1 flood-warning/en: …River [levels] rise… — sent from a laptop\n1 report\n',
  );
}, 60_000);

test('--typo-db keeps the reports in a file of your choice', async () => {
  const site = basicSite();
  const database = join(mkdtempSync(join(tmpdir(), 'polyfeed-dev-typos-')), 'mine.sqlite');
  const { base, output } = await startDev(site, ['--typo-db', database]);
  expect(output.stdout).toContain(`Typo reports: POST ${base}api/typo → ${database}`);
  const sent = await fetch(`${base}api/typo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base.replace(/\/$/, '') },
    body: JSON.stringify({
      selection: 'rain',
      url: `${base}en/articles/river-levels-rise-after-a-week-of-rain/`,
      lang: 'en',
      storyId: 'flood-warning',
    }),
  });
  expect(sent.status).toBe(201);
  child?.kill('SIGTERM');
  await new Promise((resolve) => child?.once('exit', resolve));
  // Kept after the server stops.
  const store = await openStore(database);
  expect((await store.list()).map((r) => r.selection)).toEqual(['rain']);
  await store.close();
}, 60_000);
