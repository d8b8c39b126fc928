/**
 * Something a command needs, outside the site's sources, is not there or does not work: a
 * port already in use, a database that cannot be reached or does not exist. The CLI prints
 * the message as one line, `polyfeed: …` (the stack only when DEBUG is set), and exits 1.
 * The message says what failed, where, and what to do. Anything else thrown is a bug and
 * keeps its stack trace.
 */
export class OperationalError extends Error {
  override name = 'OperationalError';
}
