/**
 * The first step of loading: the config and the UI strings every article is parsed under,
 * and a key for both (stories parsed under another key are stale).
 */
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { digest } from '../digest.js';
import { loadLocales } from '../i18n/load-locales.js';
import { PACKAGE_ROOT } from '../paths.js';
import { loadConfig } from './load-config.js';
import type { Prepared, SessionMemo } from './memo.js';

export type { Prepared } from './memo.js';

export async function prepare(
  root: string,
  strict: boolean,
  diagnostics: Diagnostic[],
  session?: SessionMemo,
): Promise<Prepared | undefined> {
  const known = session?.prepared;
  if (session?.onlyStoriesChanged && known?.strict === strict) {
    diagnostics.push(...known.diagnostics);
    // As loadLocales does when it reuses them: unknown keys are this build's to report.
    known.value.locales.unknownKeys = new Set();
    return known.value;
  }
  if (session) session.prepared = undefined;
  const first = diagnostics.length;
  const config = await loadConfig(root, diagnostics);
  if (!config) return undefined;
  // The package's own locales and templates are the defaults a site folder overrides.
  const roots = resolve(root) === resolve(PACKAGE_ROOT) ? [root] : [PACKAGE_ROOT, root];
  const locales = await loadLocales(roots, root, config, diagnostics, strict, session?.locales);
  const value = { config, locales, parseKey: digest(JSON.stringify(config), locales.fingerprint) };
  if (session) {
    session.locales = locales;
    session.prepared = { strict, value, diagnostics: diagnostics.slice(first) };
  }
  return value;
}
