/**
 * RFC 5005 archived feeds (https://www.rfc-editor.org/rfc/rfc5005): a language's main feed
 * holds only its newest items, so the older ones are kept in archive documents that it
 * links to (`prev-archive`), each linking to the next older one. Archives are complete
 * runs of `feeds.items` articles counted from the oldest, named by the date of their first
 * article: new articles only ever open new archives, so published ones never change.
 * Together with the main feed they hold every article.
 */
import type { Site } from '../model/model.js';
import { feedPath, urlOf } from '../model/urls.js';
import { atomParts } from './atom.js';
import { listingGroup } from './groups.js';
import { type Listing, plannedListings } from './listings.js';
import type { Output, OutputJob } from './output.js';
import { rssParts } from './rss.js';
import {
  countItemUses,
  type FeedContext,
  type FeedHistory,
  feedContext,
  feedKey,
} from './to-feed.js';
import { feedBytes } from './xml-tree.js';

export interface Archive {
  /** Output folder of the archive's rss.xml and atom.xml. */
  folder: string;
  /** Newest first, as in every feed. */
  context: FeedContext;
}

const cache = new WeakMap<Listing, Archive[]>();

/** The archives of a language's main list; none while the main feed holds every article. */
export function archivesOf(site: Site, listing: Listing): Archive[] {
  const cached = cache.get(listing);
  if (cached) return cached;
  const size = site.config.feeds.items;
  const archives: Archive[] = [];
  if (site.config.feeds.archives && listing.kind === 'main' && listing.articles.length > size) {
    const oldestFirst = [...listing.articles].reverse();
    const folders: string[] = [];
    // How many archives start on each day so far: the second is `<day>-2`.
    const taken = new Map<string, number>();
    for (let i = 0; i + size <= oldestFirst.length; i += size) {
      const day = listing.edition.localizer
        .isoDate(oldestFirst[i]?.published ?? new Date(0))
        .slice(0, 10);
      const before = taken.get(day) ?? 0;
      taken.set(day, before + 1);
      folders.push(`${listing.folder}archive/${day}${before ? `-${before + 1}` : ''}/`);
    }
    folders.forEach((folder, i) => {
      const articles = oldestFirst.slice(i * size, (i + 1) * size).reverse();
      const history: FeedHistory = {
        archive: true,
        current: listing.folder,
        prev: folders[i - 1],
        next: folders[i + 1],
      };
      const base = feedContext(site, { ...listing, folder, articles, translations: [] });
      // An archive has no page of its own: its home is the language's front page.
      archives.push({
        folder,
        context: { ...base, homeUrl: urlOf(site.config.baseUrl, listing.folder), history },
      });
    });
  }
  cache.set(listing, archives);
  return archives;
}

export const feedArchives: Output = {
  name: 'feed-archives',
  usesTemplates: false,
  feeds: true,
  plan(site, render) {
    return plannedListings(site, render).flatMap((listing) =>
      archivesOf(site, listing).flatMap(({ folder, context }): OutputJob[] => {
        const group = listingGroup(listing.folder);
        const key = feedKey(context, render.listKeys);
        return [
          {
            path: feedPath(folder, 'rss'),
            group,
            key,
            render: () => feedBytes(rssParts(context, render)),
            countItemUses: () => countItemUses(render, context, 'rss'),
          },
          {
            path: feedPath(folder, 'atom'),
            group,
            key,
            render: () => feedBytes(atomParts(context, render)),
            countItemUses: () => countItemUses(render, context, 'atom'),
          },
        ];
      }),
    );
  },
};
