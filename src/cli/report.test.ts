import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { colourFor, printDiagnostics, reportLines } from './report.js';

const diagnostic: Diagnostic = {
  severity: 'error',
  file: 'articles/a/en.md',
  line: 3,
  column: 12,
  field: 'published',
  message: 'is required',
  code: 'front-matter/invalid',
};

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return {
    isTTY,
    write: (text: string) => written.push(text),
    written,
  } as unknown as NodeJS.WriteStream & { written: string[] };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

test('colour only on a terminal, and never with NO_COLOR', () => {
  vi.stubEnv('NO_COLOR', '');
  expect(colourFor(fakeStream(true))).toBe(true);
  expect(colourFor(fakeStream(false))).toBe(false);
  vi.stubEnv('NO_COLOR', '1');
  expect(colourFor(fakeStream(true))).toBe(false);
});

test('diagnostics keep the GNU form, with the severity coloured on a terminal', () => {
  vi.stubEnv('NO_COLOR', '');
  const plain = fakeStream(false);
  printDiagnostics([diagnostic], plain);
  expect(plain.written).toEqual([
    'articles/a/en.md:3:12: error: published: is required [front-matter/invalid]\n',
  ]);
  const tty = fakeStream(true);
  printDiagnostics([diagnostic], tty);
  expect(tty.written).toEqual([
    'articles/a/en.md:3:12: \u001b[31merror\u001b[0m: published: is required [front-matter/invalid]\n',
  ]);
});

/** A warning of `file`, as partner checks write them. */
function warning(file: string, message: string, code = 'partner/image'): Diagnostic {
  return { severity: 'warning', file, field: 'image', message, code };
}

const noPhoto = 'Flipboard needs a photo and this article has none';

describe('warnings of one kind', () => {
  const many = ['a', 'b', 'c', 'd', 'e'].map((story) =>
    warning(`articles/${story}/en.md`, noPhoto),
  );

  test('seen three times or more are one line, with a count and the first places', () => {
    const lines = reportLines([...many, diagnostic]).map((l) => l.line);
    expect(lines).toEqual([
      `articles/a/en.md: warning: image: ${noPhoto} [partner/image] (and 4 more like it, in articles/b/en.md, articles/c/en.md, articles/d/en.md and 1 other place; --verbose lists each)`,
      'articles/a/en.md:3:12: error: published: is required [front-matter/invalid]',
    ]);
  });

  test('alike but for numbers and quoted values, they are one kind; fewer than three stay apart', () => {
    const sizes = [300, 400, 450].map((side) =>
      warning(`articles/s${side}/en.md`, `the photo is ${side}×${side} px in "s${side}.jpg"`),
    );
    const twice = [warning('x.md', 'other', 'x/y'), warning('y.md', 'other', 'x/y')];
    const lines = reportLines([...sizes, ...twice]).map((l) => l.line);
    expect(lines).toEqual([
      'articles/s300/en.md: warning: image: the photo is 300×300 px in "s300.jpg" [partner/image] (and 2 more like it, in articles/s400/en.md, articles/s450/en.md; --verbose lists each)',
      'x.md: warning: image: other [x/y]',
      'y.md: warning: image: other [x/y]',
    ]);
  });

  test('--verbose prints each, --quiet none (errors are always printed in full)', () => {
    expect(reportLines([...many, diagnostic], { verbose: true })).toHaveLength(6);
    expect(reportLines([...many, diagnostic], { quiet: true }).map((l) => l.diagnostic)).toEqual([
      diagnostic,
    ]);
  });

  test('errors are never grouped', () => {
    const errors = many.map((d) => ({ ...d, severity: 'error' as const }));
    expect(reportLines(errors)).toHaveLength(5);
  });
});
