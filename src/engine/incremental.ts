/**
 * Incremental planning, for the dev server and for `polyfeed build` with its cache. After
 * an edit of some stories, with the config, the UI strings, the templates and the build's
 * options as they were, most files cannot have changed: a story's
 * articles are shown only by their own pages and by the listings they are in (their
 * language's main list, their section, their tags), with those listings' feeds and archives.
 * So a rebuild plans only those files and keeps every other from the last build; the
 * sitemaps, partner feeds and other files that depend on the whole site are planned always.
 *
 * Anything else plans every file, as a first build does: a change of config, UI strings or
 * templates; a listing that appears or goes (the navigation and the other languages' links
 * change with it); an embargo that ends; a build after a failed one.
 */
import type { StoryEntry } from '../load/memo.js';
import type { Article, Site } from '../model/model.js';
import { listingFolder } from '../model/urls.js';
import { listingGroup, storyGroup } from '../render/groups.js';
import { listingsOf } from '../render/listings.js';
import type { BuildCache, PlanBasis } from './build-cache.js';

/**
 * The stories of the last build, to compare with this one's once they are loaded; undefined
 * when this build cannot be incremental (no earlier build succeeded with this cache).
 */
export function storiesThen(cache: BuildCache | undefined): Map<string, StoryEntry> | undefined {
  return cache?.basis ? new Map(cache.stories) : undefined;
}

/**
 * The stories that changed since `then`, with their articles as the last build had them
 * (none for a new story). A story whose folder did not change keeps its entry, the same
 * object: any other entry was parsed again, or the story is gone.
 */
export function changedStories(
  then: ReadonlyMap<string, StoryEntry>,
  now: ReadonlyMap<string, StoryEntry>,
): Map<string, Article[]> {
  const changed = new Map<string, Article[]>();
  for (const [id, entry] of then) if (now.get(id) !== entry) changed.set(id, entry.articles);
  for (const id of now.keys()) if (!then.has(id)) changed.set(id, []);
  return changed;
}

/** What a build plans against (see BuildCache.basis). */
export function planBasis(site: Site, scopes: string, nextEmbargo?: number): PlanBasis {
  const structure = listingsOf(site)
    .map((l) => l.folder)
    .join('\n');
  return { scopes, structure, nextEmbargo };
}

/**
 * The groups of files (see OutputJob.group) the changed stories can touch, before and after
 * the edit; undefined when every file is to be planned.
 */
export function planScope(
  cache: BuildCache,
  last: PlanBasis | undefined,
  before: Map<string, Article[]> | undefined,
  basis: PlanBasis,
  now: Date,
): Set<string> | undefined {
  if (!before || !last) return undefined;
  if (last.scopes !== basis.scopes || last.structure !== basis.structure) return undefined;
  if (last.nextEmbargo !== undefined && now.getTime() >= last.nextEmbargo) return undefined;
  const groups = new Set<string>();
  for (const [id, articles] of before) {
    groups.add(storyGroup(id));
    for (const article of [...articles, ...(cache.stories.get(id)?.articles ?? [])]) {
      groups.add(listingGroup(listingFolder(article.lang, 'main')));
      groups.add(listingGroup(listingFolder(article.lang, 'section', article.section)));
      for (const tag of article.tags)
        groups.add(listingGroup(listingFolder(article.lang, 'tag', tag.slug)));
    }
  }
  return groups;
}
