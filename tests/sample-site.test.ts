/**
 * The sample site at the repository's root is the first thing a newcomer builds: it must
 * build without a single warning, today and in the years to come (its stories are dated
 * 2024 and stay there, so anything measured against the build's clock drifts).
 */
import { expect, test } from 'vitest';
import { build } from '../src/build.js';
import { formatDiagnostics } from '../src/diagnostics.js';
import { REPO } from './helpers.js';

const YEAR_MS = 365.25 * 24 * 3_600_000;

test.each([0, 3, 10, 40])(
  'builds without warnings %i years from today',
  async (years) => {
    const now = new Date(Date.now() + years * YEAR_MS);
    const result = await build(REPO, { now, drafts: false, strict: false });
    expect(formatDiagnostics(result.diagnostics)).toBe('');
    expect(result.files.length).toBeGreaterThan(0);
  },
  60_000,
);
