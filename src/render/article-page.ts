/**
 * An article's page, from the same templates and content in both kinds: the canonical
 * page (the permalink feeds link, with the typo reporter script) and the AMP page beside
 * it, paired both ways (`rel="amphtml"`, `rel="canonical"`). canonical-pages.ts and
 * amp-pages.ts are the two outputs.
 */

import { hasCanonicalPages, type LanguageConfig, offersRepublishing } from '../config/schema.js';
import { bodyHtml } from '../content/body.js';
import { toAmpHtml } from '../content/sanitize.js';
import type { Article, Edition, Site } from '../model/model.js';
import { canonicalOf, TYPO_SCRIPT_PATH, urlOf } from '../model/urls.js';
import { isPlanned, storyGroup } from './groups.js';
import { articleWithTranslationsKey, navigationKey } from './keys.js';
import { sourceSentence } from './linked-sentence.js';
import { listingUrl, mainListing } from './listings.js';
import type { Output, OutputJob, RenderContext } from './output.js';
import {
  cardView,
  dateView,
  feedLinks,
  navigation,
  ogLocale,
  type PageHead,
  renderPage,
} from './page-model.js';
import { republishView } from './republish.js';

/** Words a minute, for the reading time. */
const READING_SPEED = 200;

export type PageKind = 'canonical' | 'amp';

/** The output of every article's page of one kind. */
export function articlePages(kind: PageKind): Output {
  return {
    name: kind === 'amp' ? 'amp-pages' : 'canonical-pages',
    usesTemplates: true,
    feeds: false,
    plan(site, context) {
      if (kind === 'canonical' && !hasCanonicalPages(site.config)) return [];
      const jobs: OutputJob[] = [];
      for (const edition of site.editions) {
        const nav = navigationKey(site, edition);
        // Every page of a language links the same feeds: worked out once, not per article.
        const main = mainListing(site, edition);
        const feeds = main ? feedLinks(site, main) : [];
        for (const article of edition.articles) {
          const path = kind === 'amp' ? article.amp?.path : article.path;
          const group = storyGroup(article.storyId);
          if (!path || !isPlanned(context, group)) continue;
          jobs.push({
            path,
            group,
            key: `${articleWithTranslationsKey(article)}\n${nav}`,
            render: () => renderArticle(site, edition, article, feeds, context, kind),
          });
        }
      }
      return jobs;
    },
  };
}

function renderArticle(
  site: Site,
  edition: Edition,
  article: Article,
  feeds: PageHead['feeds'],
  context: RenderContext,
  kind: PageKind,
): string {
  const amp = kind === 'amp';
  const typo = site.config.typoReport && {
    endpoint: site.config.typoReport.endpoint,
    url: article.url,
    storyId: article.storyId,
    script: urlOf(site.config.baseUrl, TYPO_SCRIPT_PATH),
  };
  // The dialog is on the canonical page; the AMP page links to it (AMP runs no scripts of ours).
  const republish = amp
    ? offersRepublishing(site.config, article.rights) && { url: article.url }
    : republishView(site, edition, article);
  const versions = [article, ...article.translations];
  const head = articleHead(site, edition, article, feeds, { amp, typo: Boolean(typo) });
  const nav = navigation(
    site,
    edition,
    (lang) => versions.find((v) => v.lang === lang)?.url,
    article.section,
  );
  return renderPage(site, edition, context, 'article.njk', head, nav, {
    typo,
    republish,
    article: articleView(site, edition, article, amp),
  });
}

/** The page's head: titles, the links between its kinds and languages, metadata. */
function articleHead(
  site: Site,
  edition: Edition,
  article: Article,
  feeds: PageHead['feeds'],
  { amp, typo }: { amp: boolean; typo: boolean },
): Omit<PageHead, 'lang' | 'dir'> {
  const siteTitle = edition.localizer.t('site.title');
  const base = site.config.baseUrl;
  return {
    title: `${article.title} · ${siteTitle}`,
    description: article.summary,
    amp,
    canonical: hasCanonicalPages(site.config)
      ? article.url
      : canonicalOf(base, site.config.canonicalBaseUrl, article.path),
    ampUrl: amp ? undefined : article.amp?.url,
    alternates: [article, ...article.translations].map((v) => ({ hreflang: v.lang, url: v.url })),
    feeds,
    meta: socialMeta(edition, article, siteTitle, (lang) => languageOf(site, lang)),
    jsonLd: newsArticle(site, edition, article, siteTitle),
    extensions:
      typo && amp
        ? [
            { kind: 'custom-element', name: 'amp-form', version: '0.1' },
            { kind: 'custom-element', name: 'amp-lightbox', version: '0.1' },
            { kind: 'custom-template', name: 'amp-mustache', version: '0.2' },
          ]
        : [],
  };
}

/** What the article template shows of the article. */
function articleView(site: Site, edition: Edition, article: Article, amp: boolean) {
  const { localizer } = edition;
  const { t } = localizer;
  return {
    ...cardView(site, edition, article),
    authors: localizer.formatList(article.authors),
    authorCount: article.authors.length,
    readingTime: t('label.readingTime', {
      count: Math.max(1, Math.round(article.wordCount / READING_SPEED)),
    }),
    html: amp ? toAmpHtml(bodyHtml(article)) : bodyHtml(article),
    source: article.source && sourceSentence(article.source, t, 'nofollow'),
    corrections: (article.corrections ?? []).map((correction) => ({
      date: dateView(localizer, correction.date),
      note: correction.note,
    })),
    tags: article.tags.map((tag) => ({
      name: tag.name,
      url: listingUrl(site, article.lang, 'tag', tag.slug),
    })),
    translations: article.translations.map((translation) => ({
      lang: translation.lang,
      dir: languageOf(site, translation.lang)?.dir ?? 'ltr',
      language: languageOf(site, translation.lang)?.name ?? translation.lang,
      title: translation.title,
      url: translation.url,
    })),
  };
}

function languageOf(site: Site, lang: string): LanguageConfig | undefined {
  return site.editions.find((e) => e.language.code === lang)?.language;
}

function socialMeta(
  edition: Edition,
  article: Article,
  siteTitle: string,
  languageOf: (lang: string) => LanguageConfig | undefined,
): PageHead['meta'] {
  const { localizer } = edition;
  const meta: PageHead['meta'] = [
    { attribute: 'property', name: 'og:type', content: 'article' },
    { attribute: 'property', name: 'og:site_name', content: siteTitle },
    { attribute: 'property', name: 'og:title', content: article.title },
    { attribute: 'property', name: 'og:description', content: article.summary },
    { attribute: 'property', name: 'og:url', content: article.url },
    { attribute: 'property', name: 'og:locale', content: ogLocale(edition.language) },
    ...article.translations.map((t) => ({
      attribute: 'property' as const,
      name: 'og:locale:alternate',
      content: ogLocale(languageOf(t.lang) ?? { code: t.lang }),
    })),
    {
      attribute: 'property',
      name: 'article:published_time',
      content: localizer.isoDate(article.published),
    },
  ];
  if (article.updated)
    meta.push({
      attribute: 'property',
      name: 'article:modified_time',
      content: localizer.isoDate(article.updated),
    });
  meta.push({
    attribute: 'property',
    name: 'article:section',
    content: localizer.t(`sections.${article.section}`),
  });
  for (const tag of article.tags)
    meta.push({ attribute: 'property', name: 'article:tag', content: tag.name });
  if (article.image) {
    meta.push(
      { attribute: 'property', name: 'og:image', content: article.image.url },
      { attribute: 'property', name: 'og:image:width', content: String(article.image.width) },
      { attribute: 'property', name: 'og:image:height', content: String(article.image.height) },
      { attribute: 'property', name: 'og:image:alt', content: article.image.alt },
    );
  }
  meta.push(
    {
      attribute: 'name',
      name: 'twitter:card',
      content: article.image ? 'summary_large_image' : 'summary',
    },
    { attribute: 'name', name: 'twitter:title', content: article.title },
    { attribute: 'name', name: 'twitter:description', content: article.summary },
  );
  if (article.image)
    meta.push({ attribute: 'name', name: 'twitter:image', content: article.image.url });
  return meta;
}

/** schema.org NewsArticle, as search engines and aggregators read it. */
function newsArticle(site: Site, edition: Edition, article: Article, siteTitle: string): unknown {
  const { localizer } = edition;
  const logo = site.logo;
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': article.url },
    headline: article.title,
    description: article.summary,
    inLanguage: article.lang,
    datePublished: localizer.isoDate(article.published),
    dateModified: localizer.isoDate(article.updated ?? article.published),
    author: article.authors.map((name) => ({ '@type': 'Person', name })),
    articleSection: localizer.t(`sections.${article.section}`),
    ...(article.tags.length ? { keywords: article.tags.map((tag) => tag.name) } : {}),
    ...(article.image
      ? {
          image: {
            '@type': 'ImageObject',
            url: article.image.url,
            width: article.image.width,
            height: article.image.height,
          },
        }
      : {}),
    publisher: {
      '@type': 'NewsMediaOrganization',
      name: siteTitle,
      url: site.config.baseUrl,
      ...(logo
        ? {
            logo: { '@type': 'ImageObject', url: logo.url, width: logo.width, height: logo.height },
          }
        : {}),
    },
    // schema.org's `correction` (https://schema.org/correction): each as a CorrectionComment.
    ...(article.corrections?.length
      ? {
          correction: article.corrections.map((c) => ({
            '@type': 'CorrectionComment',
            text: c.note,
            datePublished: localizer.isoDate(c.date),
          })),
        }
      : {}),
    ...(article.translations.length
      ? {
          workTranslation: article.translations.map((t) => ({
            '@type': 'NewsArticle',
            '@id': t.url,
            inLanguage: t.lang,
          })),
        }
      : {}),
  };
}
