import { fileURLToPath } from 'node:url';

/**
 * The folder of the polyfeed package itself, whose `templates/` and `locales/` are the
 * defaults that a site folder's own files override. (src/ and lib/ sit at the same depth.)
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
