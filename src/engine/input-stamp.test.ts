import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { inputStamp } from './input-stamp.js';

test('the stamp changes with any input file, and not with hidden files or other folders', async () => {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-stamp-'));
  const pkg = mkdtempSync(join(tmpdir(), 'polyfeed-stamp-package-'));
  writeFileSync(join(site, 'site.yaml'), 'baseUrl: https://example.org/\n');
  mkdirSync(join(site, 'articles', 'a-story'), { recursive: true });
  writeFileSync(join(site, 'articles', 'a-story', 'en.md'), 'one');
  const stamp = async () => (await inputStamp(site, pkg, 'options')).inputs;

  const first = await stamp();
  expect(await stamp()).toBe(first);
  expect((await inputStamp(site, pkg, 'other options')).inputs).not.toBe(first);

  // Hidden files (editors' swap files, the cache) and folders a build does not read.
  writeFileSync(join(site, 'articles', 'a-story', '.en.md.swp'), 'x');
  mkdirSync(join(site, '.polyfeed-cache'));
  mkdirSync(join(site, 'dist'));
  writeFileSync(join(site, 'dist', 'index.html'), 'x');
  expect(await stamp()).toBe(first);

  // A file's size, a new file deep in a folder, a new folder with a file, a removed file.
  writeFileSync(join(site, 'articles', 'a-story', 'en.md'), 'one more');
  const edited = await stamp();
  expect(edited).not.toBe(first);
  writeFileSync(join(site, 'articles', 'a-story', 'uk.md'), 'два');
  const added = await stamp();
  expect(added).not.toBe(edited);
  mkdirSync(join(site, 'templates', 'partials'), { recursive: true });
  writeFileSync(join(site, 'templates', 'partials', 'footer.njk'), '<footer>');
  const template = await stamp();
  expect(template).not.toBe(added);
  rmSync(join(site, 'templates', 'partials', 'footer.njk'));
  expect(await stamp()).not.toBe(template);
  // Polyfeed's own files count too.
  writeFileSync(join(pkg, 'package.json'), '{}');
  expect(await stamp()).not.toBe(template);
});
