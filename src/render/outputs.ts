/**
 * Every output format, in one list. Each plans the files it writes from the whole site
 * model; adding a format means one module and one line here.
 */

import { ampPages } from './amp-pages.js';
import { feedArchives } from './archives.js';
import { canonicalPages, pageStylesheet, typoScript } from './canonical-pages.js';
import { atom, jsonFeed, rss } from './feeds.js';
import { indexPages } from './index-pages.js';
import { ninjs } from './ninjs.js';
import { opml } from './opml.js';
import type { Output } from './output.js';
import { partnerFeeds } from './partners.js';
import { redirectPages } from './redirect-pages.js';
import { republishScript } from './republish.js';
import { sitemaps } from './sitemaps.js';
import { urlManifest } from './url-manifest.js';

// Files render in this order. Archives come first: they list every older article once,
// so most items are made, used and dropped there; only the newest, which the live feeds
// list too, stay in memory (see RenderContext.itemUses).
export const outputs: readonly Output[] = [
  feedArchives,
  rss,
  atom,
  jsonFeed,
  opml,
  sitemaps,
  partnerFeeds,
  ninjs,
  canonicalPages,
  ampPages,
  pageStylesheet,
  typoScript,
  republishScript,
  indexPages,
  redirectPages,
  urlManifest,
];
