/**
 * `feeds.opml`: every feed of the site in OPML 2.0, grouped by language, so that a partner
 * subscribes to all of them in one import. Each list appears once, as RSS; its Atom and
 * JSON Feed versions sit beside it (see docs/outputs.md, "Feeds").
 */
import { toRfc822 } from '../i18n/dates.js';
import type { Site } from '../model/model.js';
import { feedPath, OPML_PATH, urlOf } from '../model/urls.js';
import { listingsOf } from './listings.js';
import type { Output } from './output.js';
import { type FeedContext, feedContext, feedUpdated } from './to-feed.js';
import { buildXml, element, textElement } from './xml-tree.js';

export const opml: Output = {
  name: 'opml',
  usesTemplates: false,
  feeds: false,
  plan(site) {
    const listings = listingsOf(site);
    if (!listings.length) return [];
    // A feed's title and description are its listing's kind (in the folder) and name in
    // the UI strings, which every file's key covers: the key needs no feed context, which
    // would be made for each of a big site's thousand listings on every dev rebuild.
    const key = listings
      .map((listing) => `${listing.folder} ${listing.name} ${feedUpdated(site, listing)}`)
      .join('\n');
    return [
      {
        path: OPML_PATH,
        key,
        render: () =>
          renderOpml(
            site,
            listings.map((listing) => feedContext(site, listing)),
          ),
      },
    ];
  },
};

function renderOpml(site: Site, contexts: FeedContext[]): string {
  const newest = new Date(Math.max(...contexts.map((c) => c.updated.getTime())));
  const reference =
    site.editions.find((e) => e.language.code === site.config.defaultLanguage) ?? site.editions[0];
  const t = reference?.localizer.t ?? ((key: string) => key);
  const languages = site.editions
    .map((edition) => {
      const own = contexts.filter((c) => c.listing.edition === edition);
      if (!own.length) return undefined;
      const lang = edition.language.code;
      return element(
        'outline',
        { text: edition.language.name, language: lang },
        own.map((context) =>
          element('outline', {
            type: 'rss',
            version: 'RSS2',
            text: context.title,
            title: context.title,
            description: context.description,
            language: lang,
            xmlUrl: urlOf(site.config.baseUrl, feedPath(context.listing.folder, 'rss')),
            htmlUrl: context.homeUrl,
          }),
        ),
      );
    })
    .filter((node) => node !== undefined);
  const tree = [
    element('opml', { version: '2.0' }, [
      element('head', {}, [
        textElement('title', `${t('site.title')} · ${t('footer.feeds')}`),
        textElement('dateCreated', toRfc822(newest, site.config.timeZone)),
        textElement('dateModified', toRfc822(newest, site.config.timeZone)),
      ]),
      element('body', {}, languages),
    ]),
  ];
  return buildXml(tree, { indent: true });
}
