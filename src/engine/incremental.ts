/**
 * Incremental planning, for the dev server. After an edit of some stories, with the config,
 * the UI strings and the templates as they were, most files cannot have changed: a story's
 * articles are shown only by their own pages and by the listings they are in (their
 * language's main list, their section, their tags), with those listings' feeds and archives.
 * So a rebuild plans only those files and keeps every other from the last build; the
 * sitemaps, partner feeds and other files that depend on the whole site are planned always.
 *
 * Anything else plans every file, as a first build does: a change of config, UI strings or
 * templates; a listing that appears or goes (the navigation and the other languages' links
 * change with it); an embargo that ends; a build after a failed one.
 */
import type { Article, Site } from '../model/model.js';
import { listingFolder } from '../model/urls.js';
import { listingGroup, storyGroup } from '../render/groups.js';
import { listingsOf } from '../render/listings.js';
import type { BuildCache, PlanBasis } from './build-cache.js';

/** The changed stories' articles as the last build had them; undefined: not incremental. */
export function storiesBefore(cache: BuildCache | undefined): Map<string, Article[]> | undefined {
  if (!cache?.keepContents || !cache.changedStories || !cache.basis) return undefined;
  return new Map(
    [...cache.changedStories].map((id) => [id, cache.stories.get(id)?.articles ?? []]),
  );
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
