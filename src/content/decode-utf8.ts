/**
 * Source files as text, refusing what is not UTF-8. Node's `'utf8'` decoding turns every
 * byte it cannot read into U+FFFD without a word, so an article saved in Latin-1 published
 * "Caf�" in every feed. A byte-order mark and CRLF line ends stay accepted (the front matter
 * splitter handles both).
 */
import { isUtf8 } from 'node:buffer';
import type { FileReport } from '../diagnostics.js';

const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * The text of `bytes`, or undefined with an error at the line and column of the first byte
 * that is not UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array, report: FileReport): string | undefined {
  if (isUtf8(bytes)) return lenient.decode(bytes);
  const { line, column, offset } = firstInvalidByte(bytes);
  const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  report.error(
    'content/not-utf8',
    `is not UTF-8: byte 0x${byte} cannot be read (the file may be saved as Latin-1 or Windows-1252); save it as UTF-8`,
    undefined,
    { line, column },
  );
  return undefined;
}

/**
 * Where the first invalid sequence starts: the lenient decoder writes U+FFFD for it, and a
 * U+FFFD that the file really holds is the three bytes EF BF BD.
 */
function firstInvalidByte(bytes: Uint8Array): { line: number; column: number; offset: number } {
  const text = lenient.decode(bytes);
  let offset = 0;
  let line = 1;
  let column = 1;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const genuine =
      bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (code === 0xfffd && !genuine) return { line, column, offset };
    offset += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (code === 0xfeff && offset === 3) continue; // the byte-order mark is no column
    if (code === 0x0a) {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column, offset: Math.min(offset, bytes.length - 1) };
}
