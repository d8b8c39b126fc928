/**
 * The live feeds of every listing, in the three formats: one output per format, each
 * writing one feed per listing. Apart from the formats' modules, which archives.ts uses
 * too, so that no module imports one that imports it back.
 */
import type { Site } from '../model/model.js';
import { type FeedFormat, feedPath } from '../model/urls.js';
import { archivesOf } from './archives.js';
import { atomParts } from './atom.js';
import { listingGroup } from './groups.js';
import { jsonFeedParts } from './json-feed.js';
import { plannedListings } from './listings.js';
import type { Output, RenderContext } from './output.js';
import { rssParts } from './rss.js';
import { countItemUses, type FeedContext, feedContext, feedKey } from './to-feed.js';
import { type FeedParts, feedBytes } from './xml-tree.js';

export const rss = feedOutput('rss', 'rss', rssParts);
export const atom = feedOutput('atom', 'atom', atomParts);
export const jsonFeed = feedOutput('json-feed', 'json', jsonFeedParts);

/** An output writing one feed per listing in `format`; the three formats differ only in `render`. */
function feedOutput(
  name: string,
  format: FeedFormat,
  render: (context: FeedContext, renderContext: RenderContext) => FeedParts,
): Output {
  return {
    name,
    usesTemplates: false,
    feeds: true,
    plan(site, renderContext) {
      return plannedListings(site, renderContext).map((listing) => {
        const context = withHistory(site, feedContext(site, listing), format);
        return {
          path: feedPath(listing.folder, format),
          group: listingGroup(listing.folder),
          key: feedKey(context, renderContext.listKeys),
          render: () => feedBytes(render(context, renderContext)),
          countItemUses: () => countItemUses(renderContext, context, format),
        };
      });
    },
  };
}

/**
 * The main RSS and Atom feeds link to the newest archive of their older items (RFC 5005);
 * JSON Feed has no such links.
 */
function withHistory(site: Site, context: FeedContext, format: FeedFormat): FeedContext {
  if (format === 'json') return context;
  const newest = archivesOf(site, context.listing).at(-1);
  return newest ? { ...context, history: { archive: false, prev: newest.folder } } : context;
}
