/**
 * Golden fixture sites: each folder under tests/fixtures/ is built in memory and its whole
 * output (diagnostics, every file, the list of files) is compared with expected/.
 * `npx vitest -u` rewrites the goldens; review their diff like code. Under CI=true vitest
 * writes none, so a missing golden fails the run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostics } from '../src/diagnostics.js';
import { buildFixture, FIXTURES, listFiles } from './helpers.js';

const fixtures = readdirSync(FIXTURES).filter((name) =>
  existsSync(join(FIXTURES, name, 'site.yaml')),
);

describe.each(fixtures)('fixture %s', (name) => {
  const expected = join(FIXTURES, name, 'expected');

  test('matches its golden output', async () => {
    const result = await buildFixture(name);
    await expect(formatDiagnostics(result.diagnostics)).toMatchFileSnapshot(
      join(expected, 'diagnostics.txt'),
    );
    const written = [
      ...result.files.map((f) => f.path),
      ...result.assets.map((a) => a.path),
    ].sort();
    await expect(written.map((path) => `${path}\n`).join('')).toMatchFileSnapshot(
      join(expected, 'files.txt'),
    );
    for (const file of result.files) {
      const text =
        typeof file.contents === 'string'
          ? file.contents
          : Buffer.from(file.contents).toString('utf8');
      await expect(text).toMatchFileSnapshot(join(expected, 'output', file.path));
    }
    // No stale golden left behind for a file the build no longer writes.
    const goldens = existsSync(join(expected, 'output')) ? listFiles(join(expected, 'output')) : [];
    expect(goldens).toEqual(result.files.map((f) => f.path));
  });

  test('builds byte-identical output twice', async () => {
    const [first, second] = [await buildFixture(name), await buildFixture(name)];
    expect(second.files).toEqual(first.files);
    expect(second.diagnostics).toEqual(first.diagnostics);
  });
});
