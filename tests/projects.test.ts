/**
 * Every test file runs in exactly one Vitest project, `fast` or `slow` (vitest.config.ts):
 * a file in neither would never run, and one in both would run twice in `npm test`. Asks
 * Vitest itself (`vitest list`) which files each project holds, and compares that with every
 * `*.test.ts` file in the repository.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { REPO } from './helpers.js';

/** Folders that hold no test of ours. */
const NOT_OURS = new Set(['node_modules', 'lib', 'dist', 'fixtures']);

function testFilesOnDisk(dir = REPO): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name.startsWith('.') || NOT_OURS.has(entry.name) ? [] : testFilesOnDisk(full);
    return entry.name.endsWith('.test.ts') ? [relative(REPO, full).split('\\').join('/')] : [];
  });
}

test('every test file is in exactly one project', () => {
  const listed = JSON.parse(
    execFileSync(
      process.execPath,
      [join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), 'list', '--filesOnly', '--json'],
      { cwd: REPO, encoding: 'utf8' },
    ),
  ) as { file: string; projectName: string }[];
  const projects = new Map<string, string[]>();
  for (const { file, projectName } of listed) {
    const name = relative(REPO, file).split('\\').join('/');
    projects.set(name, [...(projects.get(name) ?? []), projectName]);
  }
  const where = testFilesOnDisk()
    .sort()
    .map((file): [string, string[]] => [file, projects.get(file) ?? []]);
  const misplaced = where.filter(([, names]) => names.length !== 1);
  expect(misplaced).toEqual([]);
  expect(new Set(where.flatMap(([, names]) => names))).toEqual(new Set(['fast', 'slow']));
});
