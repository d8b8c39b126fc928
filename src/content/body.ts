/**
 * Article bodies are kept as UTF-8 bytes (Article.body). A big site's bodies are most of
 * its model: as strings they are mostly UTF-16 (one typographic quote is enough), inside
 * the heap the garbage collector goes through; as bytes they take about half the room,
 * outside it. Each is turned back into text where a page or feed item is made.
 */
const encoder = new TextEncoder();

/**
 * The bytes of `html`, in a buffer of their own (a Buffer from Node's shared pool would
 * take the whole pool along when copied to another thread).
 */
export function bodyBytes(html: string): Uint8Array {
  return encoder.encode(html);
}

/**
 * The bytes of a parsed article's body, in memory that threads share: a build on two
 * threads sends each thread the other's stories, and a body (most of a story's size) is
 * then not copied but shared. At 5,000 stories, that is 113 MB the build no longer holds
 * twice. (The disk cache stores the bytes themselves.)
 */
export function sharedBodyBytes(html: string): Uint8Array {
  const bytes = new Uint8Array(new SharedArrayBuffer(Buffer.byteLength(html)));
  encoder.encodeInto(html, bytes);
  return bytes;
}

/**
 * The same bytes in shared memory (see sharedBodyBytes): a body read back from the disk
 * cache is a copy of its own, which would be copied again to reach another thread.
 */
export function sharedBody(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}

/** The body's HTML (see Article.body). */
export function bodyHtml(article: { body: Uint8Array }): string {
  const bytes = article.body;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
