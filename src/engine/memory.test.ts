import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { boundHeapGrowthForLargeSites } from './memory.js';

function siteWith(stories: number): string {
  const root = mkdtempSync(join(tmpdir(), 'polyfeed-memory-'));
  for (let i = 0; i < stories; i++)
    mkdirSync(join(root, 'articles', `story-${i}`), { recursive: true });
  return root;
}

test('the heap is bounded for sites of 2,000 stories and more, and stays bounded', () => {
  expect(boundHeapGrowthForLargeSites(join(tmpdir(), 'polyfeed-no-such-site'))).toBe(false);
  expect(boundHeapGrowthForLargeSites(siteWith(1999))).toBe(false);
  expect(boundHeapGrowthForLargeSites(siteWith(2000))).toBe(true);
  // Process-wide and for good: a smaller site built later in the same process (the dev
  // server, tests) keeps the bound rather than letting the heap grow again.
  expect(boundHeapGrowthForLargeSites(siteWith(3))).toBe(true);
});
