import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the polyfeed package itself, whose `templates/` and `locales/` are the
 * defaults that a site folder's own files override. (src/ and lib/ sit at the same depth.)
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Polyfeed's version: every output key and the disk cache depend on it. */
export const VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
