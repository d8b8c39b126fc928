/**
 * What each partner will show, before it goes out: per partner profile and language, every
 * item of its feed as the partner's card shows it (the title cut at the partner's limit,
 * the photo cropped to its shape, the description cut), and every reason the partner would
 * drop the item or the whole feed. Partners reject feeds without a word, so this is the
 * editor's only look at it. Pure: the site model in, data out (render-preview.ts draws it).
 */
import type { PartnerConfig } from '../config/partner-schema.js';
import type { Article, Edition, Site } from '../model/model.js';
import {
  type PartnerProblem,
  partnerArticles,
  partnerDescription,
  partnerEditions,
  reviewPartnerFeed,
} from '../render/partners.js';
import { syndicatedImage } from '../render/rights.js';

/** Characters of a title shown when neither the card nor the requirements give a limit. */
const DEFAULT_TITLE_LENGTH = 100;

/** Text as a card shows it, cut at a number of characters (user-perceived: graphemes). */
export interface CutText {
  shown: string;
  /** Whether it was cut ("…" added). */
  cut: boolean;
  /** Characters of the whole text. */
  length: number;
}

export interface PreviewCard {
  storyId: string;
  /** The article's page. */
  url: string;
  title: CutText;
  description: CutText;
  /** The photo as the partner gets it; undefined when the item has none to pass on. */
  image?: { url: string; width: number; height: number; alt: string };
  /** The article has a photo that may not be passed on: the card shows none. */
  imageWithheld: boolean;
  /** The date the card shows, in the article's language. */
  date: string;
  /** Why the partner would drop the item; empty when it takes it. */
  problems: PartnerProblem[];
}

/** One partner's feed in one language. */
export interface PreviewFeed {
  partner: PartnerConfig;
  edition: Edition;
  /** The channel's description, as the partner shows it. */
  description: string;
  /** The card's shape: width and height of the photo (16:9 → [16, 9]). */
  ratio: [number, number];
  titleLength: number;
  descriptionLength: number;
  cards: PreviewCard[];
  /** Why the partner would reject the whole feed. */
  problems: PartnerProblem[];
}

export function previewPartners(site: Site): PreviewFeed[] {
  return site.config.partners.flatMap((partner) =>
    partnerEditions(site, partner).map((edition) => previewFeed(site, partner, edition)),
  );
}

function previewFeed(site: Site, partner: PartnerConfig, edition: Edition): PreviewFeed {
  const articles = partnerArticles(site, partner, edition);
  const description = partnerDescription(site, partner, edition);
  const review = reviewPartnerFeed(partner, edition, articles, description);
  const titleLength =
    partner.card.titleLength ?? partner.requirements.titleLength?.max ?? DEFAULT_TITLE_LENGTH;
  const { descriptionLength } = partner.card;
  const [width = 16, height = 9] = partner.card.imageRatio.split(':').map(Number);
  return {
    partner,
    edition,
    description,
    ratio: [width, height],
    titleLength,
    descriptionLength,
    cards: articles.map((article, i) =>
      card(edition, article, titleLength, descriptionLength, review.items[i] ?? []),
    ),
    problems: review.feed,
  };
}

function card(
  edition: Edition,
  article: Article,
  titleLength: number,
  descriptionLength: number,
  problems: PartnerProblem[],
): PreviewCard {
  const image = syndicatedImage(article);
  return {
    storyId: article.storyId,
    url: article.url,
    title: cutText(article.title, titleLength, edition.language.code),
    description: cutText(article.summary, descriptionLength, edition.language.code),
    ...(image
      ? { image: { url: image.url, width: image.width, height: image.height, alt: image.alt } }
      : {}),
    imageWithheld: article.image !== undefined && !image,
    date: edition.localizer.formatDate(article.published, 'format.date'),
    problems,
  };
}

/**
 * The first `limit` characters of `text` (grapheme clusters, so that an Arabic letter with
 * its marks or an emoji is never split), with "…" in place of the last one when cut; the
 * cut goes back to a word boundary when one is near, as partners' cards do.
 */
export function cutText(text: string, limit: number, lang: string): CutText {
  const graphemes = [...new Intl.Segmenter(lang, { granularity: 'grapheme' }).segment(text)].map(
    (s) => s.segment,
  );
  if (graphemes.length <= limit) return { shown: text, cut: false, length: graphemes.length };
  const keep = Math.max(1, limit - 1);
  const kept = graphemes.slice(0, keep).join('');
  // Cut inside a word: back to its start, unless that loses too much.
  const midWord = !/\s/.test(graphemes[keep] ?? ' ');
  const space = midWord ? kept.search(/\s\S*$/) : -1;
  const cut = space > kept.length * 0.6 ? kept.slice(0, space) : kept;
  return {
    shown: `${cut.replace(/[\s,;:.–—-]+$/u, '')}…`,
    cut: true,
    length: graphemes.length,
  };
}
