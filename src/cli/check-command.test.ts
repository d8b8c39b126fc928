import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildFixture, FIXTURES, NOW } from '../../tests/helpers.js';
import { checkSite } from './check-command.js';

test('check renders every file a build does, and keeps none of their bytes', async () => {
  const built = await buildFixture('basic');
  const checked = await checkSite(join(FIXTURES, 'basic'), {
    now: NOW,
    drafts: false,
    strict: false,
  });
  expect(checked.files).toEqual([]);
  expect([...checked.sent].sort()).toEqual(built.files.map((file) => file.path));
  expect(checked.feeds).toBe(built.feeds);
});
