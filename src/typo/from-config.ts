/** The typo service as `site.yaml` describes it (`typoReport`), with command-line overrides. */
import { isAbsolute, join, resolve } from 'node:path';
import type { SiteConfig } from '../config/schema.js';
import { type Localizer, loadLocales } from '../i18n/load-locales.js';
import { trackingPixelBase } from '../model/urls.js';
import { PACKAGE_ROOT } from '../paths.js';
import { ampCacheOrigins, type TypoServerOptions } from './server.js';
import { isPostgresUrl, type TypoStore } from './store.js';

export type TypoConfig = NonNullable<SiteConfig['typoReport']>;

/** `database` as given: a postgres:// URL, or a file path relative to the site folder. */
export function databaseLocation(root: string, database: string): string {
  if (isPostgresUrl(database) || isAbsolute(database)) return database;
  return join(root, database);
}

/** `location` fit for a log line: a postgres:// URL without its password (user part or query). */
export function maskDatabase(location: string): string {
  if (!isPostgresUrl(location)) return location;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return `${location.split('://')[0]}://***`;
  }
  if (url.password) url.password = '***';
  if (url.searchParams.has('password')) url.searchParams.set('password', '***');
  return url.href;
}

export function serverOptions(
  config: SiteConfig,
  typo: TypoConfig,
  store: TypoStore,
): TypoServerOptions {
  const siteOrigins = [
    new URL(config.baseUrl).origin,
    ...(config.canonicalBaseUrl ? [new URL(config.canonicalBaseUrl).origin] : []),
  ];
  return {
    store,
    endpointPath: new URL(typo.endpoint).pathname,
    siteOrigins,
    allowedOrigins: [
      ...new Set([...siteOrigins, ...siteOrigins.flatMap(ampCacheOrigins), ...typo.origins]),
    ],
    languages: config.languages.map((l) => l.code),
    rateLimit: typo.rateLimit,
    rateWindowMs: typo.rateWindowMinutes * 60_000,
    trustProxy: typo.trustProxy,
    editorToken: process.env.POLYFEED_TYPO_TOKEN || typo.editorToken,
    // Served whatever rights.republish says: an article may offer republishing on its own,
    // and copies pasted before it was turned off still load the image.
    pixelPath: pixelPath(config, typo),
  };
}

/**
 * The site's localizers, for what the typo server writes to editors (notifications, the
 * editors' page): Polyfeed's locale files, then the site's own, as a build reads them.
 * Without a memo: the server runs for months, and what it translates holds readers' text.
 */
export async function editorLocalizers(
  root: string,
  config: SiteConfig,
): Promise<ReadonlyMap<string, Localizer>> {
  const roots = resolve(root) === resolve(PACKAGE_ROOT) ? [root] : [PACKAGE_ROOT, root];
  // Missing strings fall back to the default language; `polyfeed check` reports them.
  return (await loadLocales(roots, root, config, [], false, undefined, false)).localizers;
}

/** The path of the tracking image of republished copies (see model/urls.ts). */
function pixelPath(config: SiteConfig, typo: TypoConfig): string {
  // With typoReport given there is always one: rights.trackingUrl or <endpoint>/republished.gif.
  return new URL(trackingPixelBase({ ...config, typoReport: typo }) as string).pathname;
}
