import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { expect, test } from 'vitest';
import { createTemplates, prepareRuntime } from './environment.js';

// Variables (one, two at once, a captured block) and loops (nested, with every loop.*
// member, and loop read outside any loop): rendered by our environment (with the faster
// Frame.set) and by a plain nunjucks one.
const TEMPLATE = `{% set greeting = "hi" %}{% set a, b = 3 %}{% set box %}{{ a + b }}{% endset %}
{% for row in rows %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }}:{% for cell in row %}[{{ loop.index }}{{ cell }}{% if loop.last %}!{% endif %}]{% endfor %} {{ loop.index }}
{% endfor %}{{ greeting }} {{ box }} {{ loop.index }}`;

type FrameSet = ((...args: unknown[]) => void) & { fast?: true; original?: unknown };

test('templates render exactly as nunjucks itself renders them', () => {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-templates-'));
  mkdirSync(join(site, 'templates'));
  writeFileSync(join(site, 'templates', 'loops.njk'), TEMPLATE);
  const context = { rows: [['a', 'b'], [], ['c']] };
  prepareRuntime();
  const templates = createTemplates(site);
  const frame = (nunjucks.runtime as unknown as { Frame: { prototype: { set: FrameSet } } }).Frame
    .prototype;
  const fast = frame.set;
  expect(fast.fast).toBe(true);
  const ours = templates.render('loops.njk', context);
  // nunjucks' own Frame.set, put back for the reference rendering only.
  frame.set = fast.original as FrameSet;
  let theirs: string;
  try {
    theirs = new nunjucks.Environment(null, {
      autoescape: true,
      trimBlocks: true,
      lstripBlocks: true,
    }).renderString(TEMPLATE, context);
  } finally {
    frame.set = fast;
  }
  expect(ours).toBe(theirs);
  expect(ours).toContain('1/0/3/2/true/false/3:[1a][2b!] 1');
  expect(ours).toContain('hi 6');
});

type Escape = ((value: string) => string) & { fast?: true; original?: Escape };

test('values are escaped exactly as nunjucks itself escapes them', () => {
  prepareRuntime();
  const ours = (nunjucks as unknown as { lib: { escape: Escape } }).lib.escape;
  expect(ours.fast).toBe(true);
  const original = ours.original as Escape;
  const values = [
    '',
    'plain words',
    'Політика і вода',
    ...['&', '"', "'", '<', '>', '\\'].flatMap((c) => [c, `a${c}b`, `${c}${c} end`]),
    'a <b class="x">Tom & Jerry\'s</b> \\ done',
  ];
  for (const value of values) expect(ours(value)).toBe(original(value));
  expect(ours('<a href="x">&\'\\')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&#92;');
  // Nothing to escape: the very string comes back.
  expect(ours('plain words')).toBe('plain words');
});
