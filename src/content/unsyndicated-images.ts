/**
 * An image that may not be passed on (`syndication: false`) is a deliberate setting, so
 * the build mentions it only where something would pass the image on: ninjs documents, a
 * partner feed of the article's language, republished copies. Told once per image of a
 * story, at the first article file (by name) that marks it: the same agency photo in four
 * languages is one warning, not four. Made while the article is parsed, with the other
 * front-matter warnings, so that a rebuild that reuses the story repeats it without work.
 */
import { offersRepublishing, type SiteConfig } from '../config/schema.js';
import type { FileReport } from '../diagnostics.js';
import type { ArticleImage, ArticleRights } from '../model/model.js';
import type { YamlSource } from '../yaml-source.js';
import type { FrontMatter } from './article-schema.js';

/** What the warnings need of the article being parsed. */
export interface UnsyndicatedImagesContext {
  config: SiteConfig;
  lang: string;
  /** The URLs of the story's images told about already (by the files before this one). */
  told: Set<string>;
  /** The URL of a body image, by its name in `images:`. */
  urlOf(name: string): string | undefined;
}

export function warnUnsyndicatedImages(
  fields: FrontMatter,
  image: ArticleImage | undefined,
  rights: ArticleRights,
  context: UnsyndicatedImagesContext,
  source: YamlSource,
  report: FileReport,
): void {
  const warn = (url: string, name: string, inBody: boolean, path: string[], key = false) => {
    if (context.told.has(url)) return;
    const consumers = consumersOf(context.config, context.lang, rights, inBody);
    if (!consumers.length) return;
    context.told.add(url);
    report.warning(
      'rights/image-not-syndicated',
      `${name} may not be passed on: it is left out of ${joinAnd(consumers)}`,
      path.join('.'),
      source.positionOf(path, key),
    );
  };
  if (image && !image.syndication && fields.image)
    warn(image.url, fields.image.src, false, ['image', 'rights', 'syndication']);
  for (const [name, imageRights] of Object.entries(fields.images ?? {})) {
    const url = context.urlOf(name);
    if (url && !imageRights.syndication) warn(url, name, true, ['images', name], true);
  }
}

/** What would pass on an image of an article in `lang`: the lead image, or one in the body. */
function consumersOf(
  config: SiteConfig,
  lang: string,
  rights: ArticleRights,
  inBody: boolean,
): string[] {
  const consumers: string[] = [];
  if (config.pages.ninjs) consumers.push('ninjs');
  // Every partner feed carries the lead image (an enclosure); the body's images only with
  // the body, and only where the partner takes <img>.
  const partners = config.partners.filter(
    (p) =>
      (!p.languages || p.languages.includes(lang)) &&
      (!inBody || (p.content === 'full' && (!p.allowedTags || p.allowedTags.includes('img')))),
  );
  if (partners.length) consumers.push('partner feeds');
  if (offersRepublishing(config, rights)) consumers.push('republished copies');
  return consumers;
}

function joinAnd(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
