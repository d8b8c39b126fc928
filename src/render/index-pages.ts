/**
 * Index pages: per language the latest articles, one page per section and per tag (each
 * paginated by `pages.perPage`), and the root page that lists the languages.
 */
import type { Site } from '../model/model.js';
import { canonicalOf, listingFolder, listingPagePath, ROOT_PAGE, urlOf } from '../model/urls.js';
import { listingGroup } from './groups.js';
import { listKey, navigationKey } from './keys.js';
import { type Listing, plannedListings } from './listings.js';
import type { Output, OutputJob, RenderContext } from './output.js';
import { cardKey, cardView, feedLinks, navigation, renderPage } from './page-model.js';

export const indexPages: Output = {
  name: 'index-pages',
  usesTemplates: true,
  feeds: false,
  plan(site, context) {
    const jobs = plannedListings(site, context).flatMap((listing) =>
      planListing(site, listing, context),
    );
    const root = planRoot(site, context);
    return root ? [root, ...jobs] : jobs;
  },
};

function planListing(site: Site, listing: Listing, context: RenderContext): OutputJob[] {
  const { edition } = listing;
  const { t } = edition.localizer;
  const base = site.config.baseUrl;
  const perPage = site.config.pages.perPage;
  const pages = Math.max(1, Math.ceil(listing.articles.length / perPage));
  const url = (n: number) => urlOf(base, listingPagePath(listing.folder, n));
  const heading = listing.kind === 'main' ? t('label.latest') : listing.name;
  const jobs: OutputJob[] = [];
  const nav = navigationKey(site, edition);
  const group = listingGroup(listing.folder);
  for (let n = 1; n <= pages; n++) {
    const shown = listing.articles.slice((n - 1) * perPage, n * perPage);
    const key = [listing.kind, listing.id, listing.name, n, pages, listing.articles.length, nav];
    key.push(listing.translations.map((l) => l.folder).join(','));
    if (shown.length)
      key.push(listKey(context.listKeys, `page ${listing.folder} ${n}`, shown, cardKey, '\n'));
    jobs.push({
      path: listingPagePath(listing.folder, n),
      group,
      key: key.join('\n'),
      render: () => {
        const sameIn = (lang: string) => {
          const other = listing.translations.find((l) => l.edition.language.code === lang);
          return other && urlOf(base, other.folder);
        };
        const head = {
          title:
            n === 1
              ? `${heading} · ${t('site.title')}`
              : `${heading} · ${t('label.pageOf', { page: n, pages })} · ${t('site.title')}`,
          description: listing.kind === 'main' ? t('site.description') : undefined,
          canonical: canonicalOf(
            base,
            site.config.canonicalBaseUrl,
            listingPagePath(listing.folder, n),
          ),
          // Only the first pages are the same list in another language.
          alternates:
            n === 1 && listing.translations.length
              ? [listing, ...listing.translations].map((l) => ({
                  hreflang: l.edition.language.code,
                  url: urlOf(base, l.folder),
                }))
              : [],
          feeds: feedLinks(site, listing),
          meta: [],
          extensions: [],
          amp: true,
        };
        const navigationLinks = navigation(
          site,
          edition,
          sameIn,
          listing.kind === 'section' ? listing.id : undefined,
        );
        return renderPage(site, edition, context, 'listing.njk', head, navigationLinks, {
          listing: {
            heading,
            lead: t('label.articleCount', { count: listing.articles.length }),
            items: shown.map((a) => cardView(site, edition, a)),
            pagination: pages > 1 && {
              label: t('label.pageOf', { page: n, pages }),
              newer: n > 1 ? url(n - 1) : undefined,
              older: n < pages ? url(n + 1) : undefined,
            },
          },
        });
      },
    });
  }
  return jobs;
}

/** `index.html`: the languages, each in its own words, with hreflang links and x-default. */
function planRoot(site: Site, context: RenderContext): OutputJob | undefined {
  const base = site.config.baseUrl;
  const editions = site.editions.filter((e) => e.articles.length);
  const edition =
    editions.find((e) => e.language.code === site.config.defaultLanguage) ?? editions[0];
  if (!edition) return undefined;
  const home = (code: string) => urlOf(base, listingFolder(code, 'main'));
  const head = {
    title: edition.localizer.t('site.title'),
    description: edition.localizer.t('site.description'),
    canonical: canonicalOf(base, site.config.canonicalBaseUrl, ROOT_PAGE),
    alternates: [
      ...editions.map((e) => ({ hreflang: e.language.code, url: home(e.language.code) })),
      { hreflang: 'x-default', url: urlOf(base, ROOT_PAGE) },
    ],
    feeds: [],
    meta: [],
    extensions: [],
    amp: true,
  };
  const nav = { ...navigation(site, edition, () => undefined), sections: [] };
  return {
    path: ROOT_PAGE,
    key: editions.map((e) => e.language.code).join(','),
    render: () =>
      renderPage(site, edition, context, 'languages.njk', head, nav, {
        languages: editions.map((e) => ({
          code: e.language.code,
          name: e.language.name,
          dir: e.language.dir,
          title: e.localizer.t('site.title'),
          url: home(e.language.code),
        })),
      }),
  };
}
