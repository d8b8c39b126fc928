/**
 * The hostile-content fixture's promises beyond its goldens: a control character written as
 * a YAML escape ("\u0001", "\v") in any field is reported where it was written and reaches
 * no output, raw or escaped; a CDATA section written in a body comes through as text.
 */
import { beforeAll, expect, test } from 'vitest';
import type { BuildResult } from '../src/build.js';
import { buildFixture } from './helpers.js';

let result: BuildResult;
beforeAll(async () => {
  result = await buildFixture('hostile-content');
});

const text = (path: string) => {
  const file = result.files.find((f) => f.path === path);
  if (!file) throw new Error(`${path} not written`);
  return typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString();
};

test('a control character in any field is a warning at that field', () => {
  const warnings = result.diagnostics
    .filter((d) => d.code === 'content/control-character' && d.file.includes('mayor-says-no'))
    .map((d) => `${d.line}:${d.column} ${d.field}`);
  expect(warnings).toEqual([
    '3:8 title',
    '6:25 authors.1',
    '7:10 summary',
    '9:8 tags.0',
    '14:8 image.alt',
    '15:12 image.caption',
    '16:11 image.credit',
  ]);
});

test('no output carries a control character, raw or as a JSON escape', () => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  const raw = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
  const escaped = /\\u00(0[0-8bcef]|1[0-9a-f]|7f)/i;
  const carrying = result.files
    .map((f) => f.path)
    .filter((path) => raw.test(text(path)) || (path.endsWith('.json') && escaped.test(text(path))));
  expect(carrying).toEqual([]);
  const page = text('en/articles/mayor-says-no-to-cuts-and-delays/index.html');
  expect(page).toContain('<title>Mayor says &quot;no&quot; to cuts &amp; delays');
  expect(page).toContain('Deputies vote on the budget');
  expect(JSON.parse(text('en/feed.json')).items[1].title).toBe('Mayor says "no" to cuts & delays');
});

test('a CDATA section written in a body is text in pages and feeds', () => {
  const shown = '&lt;![CDATA[ section &amp; text ]]&gt;';
  expect(text('en/articles/mayor-says-no-to-cuts-and-delays/index.html')).toContain(shown);
  expect(text('en/articles/mayor-says-no-to-cuts-and-delays/amp.html')).toContain(shown);
  expect(text('en/rss.xml')).toContain(shown);
  expect(JSON.parse(text('en/feed.json')).items[1].content_html).toContain(shown);
});
