/**
 * Building with a worker thread (parsing half the stories, rendering the feeds) writes the
 * same bytes as one thread. Uses the compiled lib/, as `polyfeed build` does, on a
 * synthetic corpus big enough for both to engage.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { listFiles, REPO } from './helpers.js';

test('two threads write exactly what one thread writes', () => {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-threads-'));
  const generated = spawnSync(process.execPath, [
    join(REPO, 'bench', 'gen-corpus.mjs'),
    '--stories',
    '60',
    '--langs',
    'en,uk,de,ar',
    '--out',
    site,
    '--format',
    'ours',
  ]);
  expect(generated.status).toBe(0);
  cpSync(join(REPO, 'bench', 'site'), site, { recursive: true });
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
