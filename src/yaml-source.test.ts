import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load } from 'js-yaml';
import { expect, test } from 'vitest';
import { parseDocument } from 'yaml';
import { type Diagnostic, FileReport } from './diagnostics.js';
import { parseYamlSource } from './yaml-source.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/** Front matter and site.yaml files of the sample site and the fixtures. */
function yamlTexts(): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'site.yaml') found.push({ file: path, text: readFileSync(path, 'utf8') });
      else if (name.endsWith('.md')) {
        const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
        const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1];
        if (front !== undefined) found.push({ file: path, text: front });
      }
    }
  };
  for (const root of ['articles', 'tests/fixtures', 'bench/site']) walk(join(REPO, root));
  return found;
}

test('js-yaml (the quick parse) reads every front matter as the yaml package does', () => {
  const texts = yamlTexts();
  expect(texts.length).toBeGreaterThan(100);
  for (const { file, text } of texts) {
    const doc = parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length) continue;
    expect(load(text, { schema: CORE_SCHEMA }), file).toEqual(doc.toJS());
  }
});

test('positions are worked out only when asked for, and are the yaml package’s', () => {
  const diagnostics: Diagnostic[] = [];
  const source = parseYamlSource(
    'title: "A"\ntags: [a, b]\nimage:\n  src: x.png\n',
    new FileReport('a.md', diagnostics),
    2,
  );
  expect(source.data).toEqual({ title: 'A', tags: ['a', 'b'], image: { src: 'x.png' } });
  expect(source.positionOf(['image', 'src'])).toEqual({ line: 5, column: 8 });
  expect(source.positionOf(['tags', 1])).toEqual({ line: 3, column: 11 });
  expect(diagnostics).toEqual([]);
});

test('what js-yaml cannot read is reported by the yaml package, at its line', () => {
  const diagnostics: Diagnostic[] = [];
  const source = parseYamlSource('title: A\ntitle: B\n', new FileReport('a.md', diagnostics), 2);
  expect(source.data).toBeUndefined();
  expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['yaml/syntax', 3]]);
});
