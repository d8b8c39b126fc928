import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { StagedOutput } from './write-output.js';

test('an update in place removes the folders its removals empty, and no others', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'polyfeed-in-place-')), 'dist');
  const files = [
    'en/tags/gone/index.html',
    'en/tags/gone/page/2/index.html',
    'en/tags/kept/index.html',
    'en/index.html',
  ];
  for (const file of files) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), file);
  }
  const staged = new StagedOutput(out);
  staged.write({ path: 'en/index.html', contents: 'new' });
  await staged.updateInPlace(['en/tags/gone/index.html', 'en/tags/gone/page/2/index.html']);
  // The tag's page/2/, page/ and own folder go; the folder of another tag stays.
  expect(existsSync(join(out, 'en', 'tags', 'gone'))).toBe(false);
  expect(readdirSync(join(out, 'en', 'tags'))).toEqual(['kept']);
  expect(readFileSync(join(out, 'en', 'index.html'), 'utf8')).toBe('new');
  expect(readdirSync(dirname(out)).filter((name) => name !== 'dist')).toEqual([]);
});
