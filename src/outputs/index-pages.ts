/**
 * Index pages: per language the latest articles, one page per section and per tag (each
 * paginated by `pages.perPage`), and the root page that lists the languages.
 */
import type { OutputFile, Site } from '../model.js';
import { canonicalOf, listingFolder, listingPagePath, ROOT_PAGE, urlOf } from '../urls.js';
import type { Output, RenderContext } from './index.js';
import { type Listing, listingsOf } from './listings.js';
import { cardView, feedLinks, navigation, renderPage } from './page-model.js';

export const indexPages: Output = {
  name: 'index-pages',
  render(site, context) {
    const files = listingsOf(site).flatMap((listing) => renderListing(site, listing, context));
    const root = renderRoot(site, context);
    return root ? [root, ...files] : files;
  },
};

function renderListing(site: Site, listing: Listing, context: RenderContext): OutputFile[] {
  const { edition } = listing;
  const { t } = edition.localizer;
  const base = site.config.baseUrl;
  const perPage = site.config.pages.perPage;
  const pages = Math.max(1, Math.ceil(listing.articles.length / perPage));
  const url = (n: number) => urlOf(base, listingPagePath(listing.folder, n));
  const heading = listing.kind === 'main' ? t('label.latest') : listing.name;
  const files: OutputFile[] = [];
  for (let n = 1; n <= pages; n++) {
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
    };
    const nav = navigation(
      site,
      edition,
      sameIn,
      listing.kind === 'section' ? listing.id : undefined,
    );
    files.push({
      path: listingPagePath(listing.folder, n),
      contents: renderPage(site, edition, context, 'listing.njk', head, nav, {
        listing: {
          heading,
          lead: t('label.articleCount', { count: listing.articles.length }),
          items: listing.articles
            .slice((n - 1) * perPage, n * perPage)
            .map((a) => cardView(site, edition, a)),
          pagination: pages > 1 && {
            label: t('label.pageOf', { page: n, pages }),
            newer: n > 1 ? url(n - 1) : undefined,
            older: n < pages ? url(n + 1) : undefined,
          },
        },
      }),
    });
  }
  return files;
}

/** `index.html`: the languages, each in its own words, with hreflang links and x-default. */
function renderRoot(site: Site, context: RenderContext): OutputFile | undefined {
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
  };
  const nav = { ...navigation(site, edition, () => undefined), sections: [] };
  return {
    path: ROOT_PAGE,
    contents: renderPage(site, edition, context, 'languages.njk', head, nav, {
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
