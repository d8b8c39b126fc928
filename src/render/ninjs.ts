/**
 * IPTC ninjs 3.3 (News in JSON), the format news agencies and partner outlets exchange
 * stories in: one document per published article version, beside its pages
 * (`<lang>/articles/<slug>/ninjs.json`), and per language an index of them, newest first
 * (`<lang>/ninjs.json`). Written from the 3.3 JSON Schema and the IPTC ninjs User Guide
 * (https://iptc.org/standards/ninjs/); tests/ninjs-schema.ts checks them against the
 * schema's rules. Only what may travel goes in (see rights.ts).
 */
import { digest } from '../digest.js';
import type { Localizer } from '../i18n/load-locales.js';
import type { Article, ArticleImage, Edition, Site } from '../model/model.js';
import { listingFolder, ninjsIndexPath, ninjsPath, urlOf } from '../model/urls.js';
import { isPlanned, listingGroup, storyGroup } from './groups.js';
import { articleDigest, articleWithTranslationsKey, listKey } from './keys.js';
import { listingUrl } from './listings.js';
import type { Output, OutputJob } from './output.js';
import { syndicatedBody, syndicatedImage, usageTerms } from './rights.js';
import { itemId, lastChange } from './to-feed.js';

/** The version of ninjs written, and the schema it is valid against. */
export const NINJS_STANDARD = {
  name: 'ninjs',
  version: '3.3',
  schema: 'https://www.iptc.org/std/ninjs/ninjs-schema_3.3.json',
} as const;

export const ninjs: Output = {
  name: 'ninjs',
  usesTemplates: false,
  feeds: false,
  plan(site, context) {
    if (!site.config.pages.ninjs) return [];
    const jobs: OutputJob[] = [];
    for (const edition of site.editions) {
      if (!edition.articles.length) continue;
      for (const article of edition.articles) {
        const group = storyGroup(article.storyId);
        if (!isPlanned(context, group)) continue;
        jobs.push({
          path: ninjsPath(article.lang, article.slug),
          group,
          key: articleWithTranslationsKey(article),
          render: () => json(ninjsDocument(site, edition, article)),
        });
      }
      // The index of a language lists all its articles, like its main listing.
      const group = listingGroup(listingFolder(edition.language.code, 'main'));
      if (!isPlanned(context, group)) continue;
      jobs.push({
        path: ninjsIndexPath(edition.language.code),
        group,
        // What the index shows of each article, not its version: a body edit leaves it.
        key: digest(
          listKey(
            context.listKeys,
            `ninjs ${edition.language.code}`,
            edition.articles,
            indexEntryKey,
            '',
          ),
        ),
        render: () => json(ninjsIndex(site, edition)),
      });
    }
    return jobs;
  },
};

/** A digest of what an article's entry in its language's index shows (see ninjsIndex). */
function indexEntryKey(article: Article): string {
  return articleDigest(article, 'ninjs-index', () => {
    const times = [article.published.getTime(), lastChange(article).getTime()];
    return digest(article.storyId, article.path, article.title, ...times);
  });
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** One article version as a ninjs news item. */
export function ninjsDocument(site: Site, edition: Edition, article: Article): object {
  const { localizer } = edition;
  const { t, isoDate } = localizer;
  const { rights } = article;
  const terms = usageTerms(localizer, rights);
  const image = syndicatedImage(article);
  const associations = [
    ...(image ? [pictureAssociation(image)] : []),
    ...article.translations.map((translation) => translationAssociation(site, translation)),
  ];
  return {
    uri: itemId(site, article),
    standard: NINJS_STANDARD,
    type: image ? 'composite' : 'text',
    representationType: 'full',
    contentCreated: isoDate(article.published),
    firstCreated: isoDate(article.published),
    versionCreated: isoDate(lastChange(article)),
    pubStatus: 'usable',
    language: article.lang,
    slugline: article.slug,
    headlines: [{ role: 'main', contentType: 'text/plain', value: article.title }],
    by: localizer.formatList(article.authors),
    people: article.authors.map((name) => ({ name, rel: 'author' })),
    descriptions: [{ role: 'summary', contentType: 'text/plain', value: article.summary }],
    bodies: [
      {
        role: 'main',
        contentType: 'text/html',
        wordCount: article.wordCount,
        value: syndicatedBody(article),
      },
    ],
    subjects: subjects(site, article, localizer),
    ...(article.source ? { infoSources: [infoSource(article.source)] } : {}),
    renditions: renditions(article),
    ...(associations.length ? { associations } : {}),
    ...(rights.holder ? { copyrightHolder: rights.holder } : {}),
    copyrightNotice: t('site.copyright', { copyright: site.config.copyright }),
    ...(terms ? { usageTerms: terms } : {}),
    ...(rights.licence ? { rightsInfo: { linkedRights: rights.licence.url } } : {}),
  };
}

/** The article's lead picture (one that may be passed on), with its credit and rights. */
function pictureAssociation(image: ArticleImage): object {
  return {
    name: 'mainpic',
    rel: 'illustration',
    uri: image.url,
    type: 'picture',
    ...(image.credit ? { by: image.credit } : {}),
    descriptions: [
      ...(image.caption
        ? [{ role: 'caption', contentType: 'text/plain', value: image.caption }]
        : []),
      { role: 'alt', contentType: 'text/plain', value: image.alt },
    ],
    ...(image.holder ? { copyrightHolder: image.holder } : {}),
    ...(image.licence
      ? {
          usageTerms: image.licence.name,
          rightsInfo: { linkedRights: image.licence.url },
        }
      : {}),
    renditions: [
      {
        name: 'original',
        href: image.url,
        contentType: image.type,
        width: image.width,
        height: image.height,
        ...(image.length !== undefined ? { sizeInBytes: image.length } : {}),
      },
    ],
  };
}

/** Another language version of the story: its id, headline, page and ninjs document. */
function translationAssociation(site: Site, translation: Article): object {
  return {
    name: 'translation',
    rel: 'translation',
    uri: itemId(site, translation),
    type: 'text',
    language: translation.lang,
    headlines: [{ role: 'main', contentType: 'text/plain', value: translation.title }],
    renditions: [
      { name: 'html', href: translation.url, contentType: 'text/html' },
      {
        name: 'ninjs',
        href: urlOf(site.config.baseUrl, ninjsPath(translation.lang, translation.slug)),
        contentType: 'application/json',
      },
    ],
  };
}

/** The article's section, then its tags, each with its listing page when the site has them. */
function subjects(site: Site, article: Article, localizer: Localizer): object[] {
  const sectionUrl = listingUrl(site, article.lang, 'section', article.section);
  return [
    {
      name: localizer.t(`sections.${article.section}`),
      rel: 'section',
      literal: article.section,
      ...(sectionUrl ? { uri: sectionUrl } : {}),
    },
    ...article.tags.map((tag) => {
      const uri = listingUrl(site, article.lang, 'tag', tag.slug);
      return { name: tag.name, rel: 'tag', literal: tag.slug, ...(uri ? { uri } : {}) };
    }),
  ];
}

/** The outlet or document the story cites (front matter's `source`). */
function infoSource(source: NonNullable<Article['source']>): object {
  return { name: source.name, role: 'source', ...(source.url ? { uri: source.url } : {}) };
}

/** The article's pages: the canonical one, and the AMP one when it has its own address. */
function renditions(article: Article): object[] {
  return [
    { name: 'html', href: article.url, contentType: 'text/html' },
    ...(article.amp && article.amp.url !== article.url
      ? [{ name: 'amp', href: article.amp.url, contentType: 'text/html', format: 'AMP' }]
      : []),
  ];
}

/**
 * A language's ninjs documents, newest first: enough of each to decide whether to fetch
 * it (its id, address, headline and times). Not a ninjs object itself: ninjs has none for
 * a list of items.
 */
function ninjsIndex(site: Site, edition: Edition): object {
  const { isoDate } = edition.localizer;
  // A loop: spreading a very large edition into Math.max overflows the stack.
  let newest = Number.NEGATIVE_INFINITY;
  for (const article of edition.articles) newest = Math.max(newest, lastChange(article).getTime());
  return {
    language: edition.language.code,
    updated: isoDate(new Date(newest)),
    items: edition.articles.map((article) => ({
      uri: itemId(site, article),
      href: urlOf(site.config.baseUrl, ninjsPath(article.lang, article.slug)),
      headline: article.title,
      firstCreated: isoDate(article.published),
      versionCreated: isoDate(lastChange(article)),
    })),
  };
}
