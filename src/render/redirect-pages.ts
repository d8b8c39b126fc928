/**
 * Pages at the old URLs of articles whose URL changed (see published-urls.ts): each sends
 * readers and search engines on to the article's page of today, with a canonical link, an
 * immediate refresh and, for anyone whose browser does not follow it, a visible link. They
 * are in no sitemap and no feed, which list the articles' pages of today only.
 */
import type { Output } from './output.js';

export const REDIRECT_TEMPLATE = 'redirect.njk';

export const redirectPages: Output = {
  name: 'redirect-pages',
  usesTemplates: true,
  feeds: false,
  plan(site, context) {
    return (site.urls?.redirects ?? []).map(({ path, to, article }) => {
      const edition = site.editions.find((e) => e.language.code === article.lang);
      if (!edition) throw new Error(`no edition for ${article.lang}`);
      return {
        path,
        key: `${to}\n${article.title}`,
        render: () =>
          context.templates.render(REDIRECT_TEMPLATE, {
            page: { lang: article.lang, dir: edition.language.dir, title: article.title, url: to },
            t: edition.localizer.t,
          }),
      };
    });
  },
};
