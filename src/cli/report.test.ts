import { afterEach, expect, test, vi } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { colourFor, printDiagnostics } from './report.js';

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
