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
  const outs = ['1', '2'].map((threads) => {
    const out = join(site, `out-${threads}`);
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
    return out;
  });
  const [one, two] = outs as [string, string];
  const files = listFiles(one);
  expect(files.length).toBeGreaterThan(400); // enough files for the render split
  expect(listFiles(two)).toEqual(files);
  // Buffer.equals: vitest's deep equality walks thousands of large buffers byte by byte.
  const differing = files.filter(
    (file) => !readFileSync(join(two, file)).equals(readFileSync(join(one, file))),
  );
  expect(differing).toEqual([]);
}, 120_000);
