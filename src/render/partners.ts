/**
 * Partner feeds (`partners:` in site.yaml): per profile and language, one feed of the
 * articles the partner takes, shaped its way. The feed itself comes from the RSS, Atom or
 * JSON Feed module like every other feed; what a partner adds (extra namespaces, a body
 * narrowed to its allowlist, tracking parameters) is applied around it. While planning,
 * each article the partner would reject is reported as a warning naming the partner.
 */

import type { PartnerConfig } from '../config/partner-schema.js';
import { bodyBytes, bodyHtml } from '../content/body.js';
import { narrowBody } from '../content/sanitize.js';
import { FileReport } from '../diagnostics.js';
import { escapeHtml } from '../escape.js';
import type { Article, Edition, Site } from '../model/model.js';
import { urlOf } from '../model/urls.js';
import { renderAtom } from './atom.js';
import { renderJsonFeed } from './json-feed.js';
import { articleWithTranslationsKey } from './keys.js';
import { mainListing } from './listings.js';
import type { Output, OutputJob, RenderContext } from './output.js';
import { decoratePartnerXml } from './partner-extensions.js';
import { syndicatedArticle, syndicatedImage } from './rights.js';
import { renderRss } from './rss.js';
import { countItemUses, type FeedContext, feedContext, lastChange } from './to-feed.js';

const DAY_MS = 24 * 3_600_000;
const UTM_ORDER = ['source', 'medium', 'campaign', 'term', 'content'] as const;

export const partnerFeeds: Output = {
  name: 'partners',
  usesTemplates: false,
  feeds: true,
  plan(site, render) {
    return site.config.partners.flatMap((partner) => planPartner(site, partner, render));
  },
};

/** Where a partner's feed in `lang` goes, relative to the output folder. */
export function partnerPath(partner: PartnerConfig, lang: string): string {
  const extension = partner.format === 'json' ? 'json' : 'xml';
  return (partner.path ?? `partners/{id}/{lang}.${extension}`)
    .replaceAll('{id}', partner.id)
    .replaceAll('{lang}', lang);
}

/** The languages a profile has a feed in: those it names (all by default) that have articles. */
export function partnerEditions(site: Site, partner: PartnerConfig): Edition[] {
  return site.editions.filter(
    (e) => e.articles.length && (!partner.languages || partner.languages.includes(e.language.code)),
  );
}

function planPartner(site: Site, partner: PartnerConfig, render: RenderContext): OutputJob[] {
  return partnerEditions(site, partner).map((edition) => {
    const articles = partnerArticles(site, partner, edition);
    const context = partnerContext(site, partner, edition, articles);
    checkRequirements(partner, edition, articles, context.description, render);
    return {
      path: partnerPath(partner, edition.language.code),
      key: [
        JSON.stringify(partner),
        context.updated.toISOString(),
        ...articles.map(articleWithTranslationsKey),
      ].join('\n'),
      render: () => renderPartner(context, partner, render),
      countItemUses: () => countItemUses(render, context, partner.format),
    };
  });
}

/** The edition's articles the profile takes, newest first: published before the build's time. */
export function partnerArticles(site: Site, partner: PartnerConfig, edition: Edition): Article[] {
  const now = site.now.getTime();
  const oldest = partner.maxAgeDays === undefined ? -Infinity : now - partner.maxAgeDays * DAY_MS;
  const hasTag = (article: Article, tags: readonly string[]) =>
    article.tags.some((tag) => tags.includes(tag.name) || tags.includes(tag.slug));
  return edition.articles
    .filter((article) => {
      const published = article.published.getTime();
      return (
        published <= now &&
        published >= oldest &&
        (!partner.sections || partner.sections.includes(article.section)) &&
        !partner.excludeSections.includes(article.section) &&
        (!partner.tags || hasTag(article, partner.tags)) &&
        !hasTag(article, partner.excludeTags)
      );
    })
    .slice(0, partner.items);
}

function partnerContext(
  site: Site,
  partner: PartnerConfig,
  edition: Edition,
  articles: readonly Article[],
): FeedContext {
  const listing = mainListing(site, edition);
  if (!listing) throw new Error(`no main listing for ${edition.language.code}`);
  // The language's main feed, as this partner gets it.
  const main = feedContext(site, listing);
  const selfUrl = urlOf(site.config.baseUrl, partnerPath(partner, edition.language.code));
  // An empty feed (every article too old, say) still says when the edition last changed.
  const dated = articles.length ? articles : edition.articles;
  return {
    site,
    listing: { ...listing, articles: [...articles], translations: [] },
    articles: [...articles],
    updated: new Date(Math.max(...dated.map((a) => lastChange(a).getTime()))),
    selfUrl: () => selfUrl,
    title: main.title,
    description: partnerDescription(site, partner, edition, main),
    homeUrl: main.homeUrl,
    variant: { id: partner.id, shape: (article) => shapeArticle(partner, article) },
  };
}

/**
 * The channel description the partner shows: the localized feed description, or the
 * tagline. `main`: the language's main feed, where the caller has it already.
 */
export function partnerDescription(
  site: Site,
  partner: PartnerConfig,
  edition: Edition,
  main?: FeedContext,
): string {
  if (partner.description === 'tagline') return edition.localizer.t('site.tagline');
  if (main) return main.description;
  const listing = mainListing(site, edition);
  if (!listing) throw new Error(`no main listing for ${edition.language.code}`);
  return feedContext(site, listing).description;
}

/**
 * The article as this partner gets it: link with its tracking parameters, body narrowed,
 * and no image it may not pass on.
 */
function shapeArticle(partner: PartnerConfig, original: Article): Article {
  const article = syndicatedArticle(original);
  let url = article.url;
  if (partner.utm) {
    const link = new URL(article.url);
    for (const name of UTM_ORDER) {
      const value = partner.utm[name];
      if (value !== undefined) link.searchParams.set(`utm_${name}`, value);
    }
    url = link.href;
  }
  let body = article.body;
  if (partner.content === 'summary') body = bodyBytes(`<p>${escapeHtml(article.summary)}</p>\n`);
  else if (partner.allowedTags)
    body = bodyBytes(narrowBody(bodyHtml(article), partner.allowedTags));
  return { ...article, url, body };
}

function renderPartner(
  context: FeedContext,
  partner: PartnerConfig,
  render: RenderContext,
): string {
  if (partner.format === 'json') {
    const json = renderJsonFeed(context, render);
    if (partner.content === 'full') return json;
    // Summaries only: the text in place of the body.
    const feed = JSON.parse(json) as {
      items: Record<string, unknown>[];
    };
    for (const item of feed.items) {
      delete item.content_html;
      item.content_text = item.summary;
    }
    return `${JSON.stringify(feed, null, 2)}\n`;
  }
  const xml = partner.format === 'atom' ? renderAtom(context, render) : renderRss(context, render);
  return decoratePartnerXml(xml, context, partner);
}

/** A reason a partner would reject an item or a feed. */
export interface PartnerProblem {
  /** Permanent identifier, e.g. `partner/image`. */
  code: string;
  message: string;
  /** The front-matter field (of an item) or config field (of a feed) at fault. */
  field: string;
}

/** Every reason the partner would reject each item (in order) and the feed as a whole. */
export function reviewPartnerFeed(
  partner: PartnerConfig,
  edition: Edition,
  articles: readonly Article[],
  description: string,
): { items: PartnerProblem[][]; feed: PartnerProblem[] } {
  const { minImageSide, titleLength, minItems, descriptionMaxLength } = partner.requirements;
  const rejects = `so ${partner.name} will reject it (partner "${partner.id}")`;
  const items = articles.map((article) => {
    const problems: PartnerProblem[] = [];
    const problem = (code: string, message: string, field: string) =>
      problems.push({ code, message, field });
    const image = syndicatedImage(article);
    if (minImageSide !== undefined) {
      if (!image)
        problem(
          'partner/image',
          article.image
            ? `${partner.name} needs a photo at least ${minImageSide} px on its smaller side and this article's photo may not be passed on, ${rejects}`
            : `${partner.name} needs a photo at least ${minImageSide} px on its smaller side and this article has none, ${rejects}`,
          'image',
        );
      else if (Math.min(image.width, image.height) < minImageSide)
        problem(
          'partner/image',
          `the photo is ${image.width}×${image.height} px; ${partner.name} needs at least ${minImageSide} px on its smaller side, ${rejects}`,
          'image',
        );
    }
    const length = [...article.title].length;
    if (titleLength && (length < titleLength.min || length > (titleLength.max ?? Infinity)))
      problem(
        'partner/title-length',
        `the title has ${length} characters; ${partner.name} takes ${titleLength.min}–${titleLength.max ?? '∞'}, ${rejects}`,
        'title',
      );
    return problems;
  });
  const feed: PartnerProblem[] = [];
  const field = `partners.${partner.id}`;
  const lang = edition.language.code;
  if (!articles.length)
    feed.push({
      code: 'partner/empty',
      message: `the ${lang} feed has no items${partner.maxAgeDays === undefined ? '' : `: every article is older than maxAgeDays (${partner.maxAgeDays})`}`,
      field,
    });
  else if (minItems !== undefined && articles.length < minItems)
    feed.push({
      code: 'partner/too-few-items',
      message: `${partner.name} rejects feeds with fewer than ${minItems} items; the ${lang} feed has ${articles.length}`,
      field,
    });
  if (descriptionMaxLength !== undefined) {
    const length = [...description].length;
    if (length > descriptionMaxLength)
      feed.push({
        code: 'partner/description-length',
        message: `the ${lang} description "${description}" has ${length} characters; ${partner.name} takes at most ${descriptionMaxLength} (set description: tagline and keep site.tagline short)`,
        field,
      });
  }
  return { items, feed };
}

/** Warns about every article the partner would reject, and about a feed it would reject. */
function checkRequirements(
  partner: PartnerConfig,
  edition: Edition,
  articles: readonly Article[],
  description: string,
  render: RenderContext,
): void {
  const review = reviewPartnerFeed(partner, edition, articles, description);
  articles.forEach((article, i) => {
    const report = new FileReport(article.file, render.diagnostics);
    for (const { code, message, field } of review.items[i] ?? [])
      report.warning(code, message, field);
  });
  const config = new FileReport('site.yaml', render.diagnostics);
  for (const { code, message, field } of review.feed) config.warning(code, message, field);
}
