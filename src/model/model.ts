/**
 * The site model every output renders from. It is built once per build by `loadSite`;
 * outputs read it and never touch the disk or the clock.
 */
import type { Licence } from '../config/rights-schema.js';
import type { LanguageConfig, SiteConfig } from '../config/schema.js';
import type { Localizer } from '../i18n/load-locales.js';
import type { UrlManifest } from './url-manifest.js';

export interface ArticleImage {
  /** Absolute URL. */
  url: string;
  alt: string;
  caption?: string;
  credit?: string;
  width: number;
  height: number;
  /** MIME type, from the file name. */
  type: string;
  /** Size in bytes for a file of the story folder (RSS enclosures need it); unknown for remote images. */
  length?: number;
  /**
   * Whether the image may be passed on: false leaves it out of ninjs, partner feeds and
   * republished copies (an agency photo licensed for the site's own pages only).
   */
  syndication: boolean;
  /** The image's own licence and copyright holder, when not the article's. */
  licence?: Licence;
  holder?: string;
}

/** The rights an article travels under: the site's (`rights:`), with the article's own applied. */
export interface ArticleRights {
  /** Copyright holder; unknown when the site names none. */
  holder?: string;
  /** The licence it is published under; none: all rights reserved. */
  licence?: Licence;
  /** Whether its canonical page offers "Republish this story". */
  republish: boolean;
  /** Absolute URLs of the images in the body that may not be passed on (`images:`). */
  unsyndicatedImages: readonly string[];
}

export interface Tag {
  /** As the article writes it ("вибори"). */
  name: string;
  /** URL segment ("vybory"). */
  slug: string;
}

/** A correction the newsroom published with the article. */
export interface ArticleCorrection {
  date: Date;
  /** Plain text. */
  note: string;
}

/** One language version of a story: the file `articles/<storyId>/<lang>.md`. */
export interface Article {
  storyId: string;
  lang: string;
  /**
   * Changes whenever the article's file or one of its story's other files (its media)
   * changes, and only then: what outputs are keyed by.
   */
  version: string;
  /** Source file relative to the site root, for diagnostics. */
  file: string;
  title: string;
  slug: string;
  /** Whether the front matter writes `slug:`; without it the slug is made from the title. */
  slugWritten: boolean;
  /** Plain text: the front matter's summary, or the first paragraph of the body. */
  summary: string;
  /**
   * Sanitized body HTML, every URL in it absolute, as UTF-8 bytes: read it with bodyHtml
   * (content/body.ts, which says why).
   */
  body: Uint8Array;
  wordCount: number;
  published: Date;
  /** Set only when the article was updated after it was published. */
  updated?: Date;
  authors: readonly string[];
  section: string;
  tags: readonly Tag[];
  image?: ArticleImage;
  source?: { name: string; url?: string };
  rights: ArticleRights;
  draft: boolean;
  embargo?: Date;
  /** Corrections made since publication (front matter `corrections`), oldest first. */
  corrections?: readonly ArticleCorrection[];
  /**
   * Output path of the article's page, relative to the output folder: the canonical page,
   * or the AMP page when the site has no canonical pages.
   */
  path: string;
  /** Absolute URL of that page: the permalink feeds and sitemaps use. */
  url: string;
  /** The AMP page, when the site writes them (the same as `path` without canonical pages). */
  amp?: { path: string; url: string };
  /** Files of the story folder this article shows (its photo, images in the body). */
  media: Asset[];
  /** The story's published versions in the other languages, in the config's language order. */
  translations: Article[];
}

/** The articles of one language, grouped the ways outputs list them; every list is newest first. */
export interface Edition {
  language: LanguageConfig;
  localizer: Localizer;
  articles: Article[];
  /** Every configured section, in config order, even when it has no article yet. */
  sections: { id: string; articles: Article[] }[];
  /** Tags that have articles in this language, by slug. */
  tags: { tag: Tag; articles: Article[] }[];
}

/** A file copied as is into the output (a story's photo). */
export interface Asset {
  /** Absolute path of the source file. */
  from: string;
  /** Output path relative to the output folder. */
  path: string;
}

/** A site-wide image: the logo or the icon. */
export interface SiteImage {
  url: string;
  width: number;
  height: number;
  type: string;
}

export interface Site {
  config: SiteConfig;
  /** One per configured language, in config order. */
  editions: Edition[];
  /** Files copied as they are: the site's assets/ and the stories' photos. */
  assets: Asset[];
  logo?: SiteImage;
  icon?: SiteImage;
  /**
   * The time the build is made at (`--now`): it decided the embargoes, and the news
   * sitemap lists what was published in the two days before it.
   */
  now: Date;
  /**
   * Where the articles are published and were before, when the build was given the last
   * output's manifest (BuildOptions.published): the manifest to write and the redirects.
   */
  urls?: PublishedUrls;
}

/** A file an output produces, relative to the output folder. */
export interface OutputFile {
  path: string;
  contents: string | Uint8Array;
  /** Set on feeds (RSS, Atom, JSON Feed, archives, partner feeds), whatever their path. */
  feed?: boolean;
}

/** A page at an old URL of an article, sending readers on to where it is now. */
export interface Redirect {
  /** Output path of the old page. */
  path: string;
  /** The article's URL today, of the same kind of page (canonical or AMP). */
  to: string;
  article: Article;
}

/** What a build publishes of the URLs (see Site.urls). */
export interface PublishedUrls {
  /** The manifest this build leaves for the next. */
  manifest: UrlManifest;
  /** Old pages of this build's articles, sorted by path. */
  redirects: Redirect[];
}

/**
 * Google News wants articles from the last two days only: the news sitemap lists those,
 * so the output changes as articles enter and leave the window.
 */
export const NEWS_WINDOW_MS = 2 * 24 * 3_600_000;
