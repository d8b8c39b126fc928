import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the polyfeed package itself, whose `templates/` and `locales/` are the
 * defaults that a site folder's own files override: the nearest folder above this module
 * with a package.json. (This module is in src/ under the tests, in lib/ compiled, and in a
 * chunk of lib/bundle/ as the command runs it.)
 */
export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

function packageRoot(folder: string): string {
  for (let at = folder; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) throw new Error(`no package.json above ${folder}`);
  }
}

/** Polyfeed's version: every output key and the disk cache depend on it. */
export const VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
