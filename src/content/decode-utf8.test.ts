import { expect, test } from 'vitest';
import { type Diagnostic, FileReport } from '../diagnostics.js';
import { decodeUtf8 } from './decode-utf8.js';

function decode(bytes: Uint8Array): { text?: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const text = decodeUtf8(bytes, new FileReport('a.md', diagnostics));
  return { text, diagnostics };
}

test('a Latin-1 file is an error at the line and column of its first unreadable byte', () => {
  const { text, diagnostics } = decode(Buffer.from('---\ntitle: Café\nNaïve\n', 'latin1'));
  expect(text).toBeUndefined();
  expect(diagnostics).toMatchObject([
    { severity: 'error', code: 'content/not-utf8', line: 2, column: 11 },
  ]);
  expect(diagnostics[0]?.message).toContain('0xE9');
});

test('columns count characters, not bytes, and a real U+FFFD is text', () => {
  const bytes = Buffer.concat([
    Buffer.from('Київ \uFFFD '),
    Buffer.from([0xff]),
    Buffer.from('\n'),
  ]);
  expect(decode(bytes).diagnostics).toMatchObject([{ line: 1, column: 8 }]);
  expect(decode(Buffer.from('Київ \uFFFD\n')).text).toBe('Київ \uFFFD\n');
});

test('a byte-order mark and CRLF line ends are accepted, and the mark is no column', () => {
  const withBom = Buffer.from('\uFEFF---\r\ntitle: Кава\r\n---\r\n');
  expect(decode(withBom)).toEqual({ text: '\uFEFF---\r\ntitle: Кава\r\n---\r\n', diagnostics: [] });
  const broken = Buffer.concat([Buffer.from('\uFEFFab'), Buffer.from([0xc3])]);
  expect(decode(broken).diagnostics).toMatchObject([{ line: 1, column: 3 }]);
});
