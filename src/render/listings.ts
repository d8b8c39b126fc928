/**
 * The lists of articles that get a feed and an index page: per language the main list,
 * one per section and one per tag that has articles.
 */
import type { Article, Edition, Site } from '../model/model.js';
import { listingFolder, urlOf } from '../model/urls.js';
import { isPlanned, listingGroup } from './groups.js';
import type { RenderContext } from './output.js';

export interface Listing {
  edition: Edition;
  kind: 'main' | 'section' | 'tag';
  /** '' for the main list, else the section id or tag slug. */
  id: string;
  /** Localized name: the site title, the section's name or the tag as written. */
  name: string;
  /** Output folder of its index page and feeds, e.g. `uk/sections/politics/`. */
  folder: string;
  /** Newest first. */
  articles: Article[];
  /** The same list in the site's other languages, where it exists; in config order. */
  translations: Listing[];
}

const cache = new WeakMap<Site, Listing[]>();

/** Every listing of the site, per language in config order: main, sections, tags. */
export function listingsOf(site: Site): Listing[] {
  const cached = cache.get(site);
  if (cached) return cached;
  const listings: Listing[] = [];
  for (const edition of site.editions) {
    const lang = edition.language.code;
    const t = edition.localizer.t;
    if (edition.articles.length) {
      listings.push(
        make(edition, 'main', '', t('site.title'), listingFolder(lang, 'main'), edition.articles),
      );
    }
    for (const section of site.config.listings.sections ? edition.sections : []) {
      if (!section.articles.length) continue;
      const folder = listingFolder(lang, 'section', section.id);
      listings.push(
        make(edition, 'section', section.id, t(`sections.${section.id}`), folder, section.articles),
      );
    }
    for (const { tag, articles } of site.config.listings.tags ? edition.tags : []) {
      listings.push(
        make(edition, 'tag', tag.slug, tag.name, listingFolder(lang, 'tag', tag.slug), articles),
      );
    }
  }
  // Tags are words of one language, so only the main list and sections have translations.
  for (const listing of listings) {
    if (listing.kind === 'tag') continue;
    listing.translations = listings.filter(
      (other) =>
        other.kind === listing.kind && other.id === listing.id && other.edition !== listing.edition,
    );
  }
  cache.set(site, listings);
  return listings;
}

/** A language's list of all its articles; undefined when it has none. */
export function mainListing(site: Site, edition: Edition): Listing | undefined {
  return listingsOf(site).find((l) => l.edition === edition && l.kind === 'main');
}

/**
 * The page of a section's or a tag's list, which every article of it links to; undefined
 * when the site has no such lists (`listings.sections`, `listings.tags`).
 */
export function listingUrl(
  site: Site,
  lang: string,
  kind: 'section' | 'tag',
  id: string,
): string | undefined {
  const on = kind === 'section' ? site.config.listings.sections : site.config.listings.tags;
  return on ? urlOf(site.config.baseUrl, listingFolder(lang, kind, id)) : undefined;
}

/** The listings whose files this build plans (all, unless it is incremental). */
export function plannedListings(site: Site, context: RenderContext): Listing[] {
  const listings = listingsOf(site);
  return context.only
    ? listings.filter((l) => isPlanned(context, listingGroup(l.folder)))
    : listings;
}

function make(
  edition: Edition,
  kind: Listing['kind'],
  id: string,
  name: string,
  folder: string,
  articles: Article[],
): Listing {
  return { edition, kind, id, name, folder, articles, translations: [] };
}
