/**
 * A fresh clone stays clean after `npm install && npm run build`: npm rewrites the root
 * entry of package-lock.json from package.json, so the two must already agree, range for
 * range as written (a lock that says `^1.0.0` for a package.json's `1.0.0` still installs,
 * but `npm install` then rewrites it and `git status` shows the lockfile changed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO } from './helpers.js';

const FIELDS = [
  'name',
  'version',
  'license',
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'bin',
  'engines',
] as const;

test('package-lock.json records package.json as npm install would write it', () => {
  const read = (file: string) =>
    JSON.parse(readFileSync(join(REPO, file), 'utf8')) as Record<string, unknown>;
  const manifest = read('package.json');
  const lock = read('package-lock.json') as { packages: Record<string, Record<string, unknown>> };
  const root = lock.packages[''] ?? {};
  const pick = (entry: Record<string, unknown>) =>
    Object.fromEntries(FIELDS.filter((f) => entry[f] !== undefined).map((f) => [f, entry[f]]));
  expect(pick(root)).toEqual(pick(manifest));
});
