/**
 * The canonical article pages (see article-page.ts), the permalinks every feed and sitemap
 * links, with the two files they share: the stylesheet (AMP pages have it inline, as AMP
 * requires) and the typo reporter script. The config can turn them off (`pages.canonical`).
 */
import { hasCanonicalPages } from '../config/schema.js';
import { TYPO_SCRIPT_PATH } from '../model/urls.js';
import { articlePages } from './article-page.js';
import type { Output } from './output.js';
import { stylesheet, stylesheetPath } from './page-model.js';

export const canonicalPages = articlePages('canonical');

/** The stylesheet of canonical pages (AMP pages have it inline, as AMP requires). */
export const pageStylesheet: Output = {
  name: 'stylesheet',
  usesTemplates: true,
  feeds: false,
  plan(site, context) {
    if (!hasCanonicalPages(site.config)) return [];
    return [{ path: stylesheetPath(context), key: '', render: () => stylesheet(context) }];
  },
};

/** The typo reporter of canonical pages: one small file every page shares. */
export const typoScript: Output = {
  name: 'typo-script',
  usesTemplates: true,
  feeds: false,
  plan(site, context) {
    if (!site.config.typoReport || !hasCanonicalPages(site.config)) return [];
    return [
      {
        path: TYPO_SCRIPT_PATH,
        key: '',
        render: () => context.templates.raw('typo-report.js').text,
      },
    ];
  },
};
