/**
 * One article file → an Article: front matter split and checked, dates resolved in the site
 * time zone, the lead image and the body's files found in the story folder, the Markdown
 * rendered through the allowlist. Every problem goes to the file's report with its line.
 */

import { join } from 'node:path';
import { hasCanonicalPages, republishProblems, type SiteConfig } from '../config/schema.js';
import { type Diagnostic, FileReport } from '../diagnostics.js';
import { resolveDateTime } from '../i18n/dates.js';
import type { Localizer } from '../i18n/load-locales.js';
import type { Article, ArticleCorrection, ArticleImage, ArticleRights } from '../model/model.js';
import { articlePath, mediaPath, urlOf } from '../model/urls.js';
import type { YamlSource } from '../yaml-source.js';
import { parseYamlSource, validateYaml } from '../yaml-source.js';
import type { articleSchema, FrontMatter } from './article-schema.js';
import { sharedBodyBytes } from './body.js';
import { type SplitArticle, splitFrontMatter } from './front-matter.js';
import { type FileInfo, imageType } from './image-info.js';
import { renderMarkdown, type StoryAsset } from './render-markdown.js';
import { findXmlInvalid, stripXmlInvalid } from './sanitize.js';
import { slugFor } from './slug.js';
import { warnUnsyndicatedImages } from './unsyndicated-images.js';

const SUMMARY_LENGTH = 280;

/** A file of a story folder that is not an article. */
export type StoryFile = StoryAsset & FileInfo;

/** What parsing one article needs to know. */
export interface ArticleContext {
  config: SiteConfig;
  diagnostics: Diagnostic[];
  schema: ReturnType<typeof articleSchema>;
  /** Time spent rendering Markdown, for the benchmark's phases. */
  stats: { markdownMs: number };
  storyId: string;
  version: string;
  /** Absolute path of the story folder. */
  folder: string;
  lang: string;
  file: string;
  localizer: Localizer;
  files: ReadonlyMap<string, StoryFile>;
  /**
   * The URLs of the story's images that may not be passed on which an earlier file (by
   * name) told about already (see unsyndicated-images.ts).
   */
  toldImages: Set<string>;
}

export function parseArticle(raw: string, context: ArticleContext): Article | undefined {
  const { config } = context;
  const report = new FileReport(context.file, context.diagnostics);
  const front = readFrontMatter(cleanControlCharacters(raw, report), report);
  if (!front) return undefined;
  const { source } = front;
  const fields = validateYaml(context.schema, source, report, 'front-matter/invalid');
  const dates = resolveDates(source, config.timeZone, report);
  const corrections = resolveCorrections(source, config.timeZone, report);
  const image = fields?.image && resolveImage(fields.image, context, source, report);
  const body = renderBody(front.split, context, report);
  const rights = fields && resolveRights(fields, body.assets, context, source, report);
  if (!fields || !dates || !corrections || !rights || report.errors) return undefined;
  const slug = fields.slug ?? slugFor(fields.title, context.lang);
  if (!slug) {
    report.error(
      'front-matter/no-slug',
      'cannot make a URL slug from the title; add `slug: some-words`',
      'slug',
      source.positionOf(['title']),
    );
    return undefined;
  }
  const urlOf = (name: string) => context.files.get(name)?.url;
  const told = { ...context, told: context.toldImages, urlOf };
  warnUnsyndicatedImages(fields, image, rights, told, source, report);
  const parsed = { fields, dates, corrections, rights, image, body, slug };
  return makeArticle(parsed, context, source, report);
}

/** The front matter's YAML, parsed with positions, and where the body starts. */
function readFrontMatter(
  text: string,
  report: FileReport,
): { split: SplitArticle; source: YamlSource } | undefined {
  const split = splitFrontMatter(text);
  if (split.yaml === undefined) {
    const unclosed = text.startsWith('---');
    report.error(
      'front-matter/missing',
      unclosed
        ? 'front matter is not closed: end it with a line of three dashes (---)'
        : 'has no front matter: start the file with a line ---, then the fields (title, published, …), then another ---',
      undefined,
      { line: 1, column: 1 },
    );
    return undefined;
  }
  const source = parseYamlSource(split.yaml, report, split.yamlLine);
  if (source.data === undefined) return undefined;
  if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) {
    report.error(
      'front-matter/invalid',
      'front matter must be fields such as `title: …`, one per line',
      undefined,
      { line: split.yamlLine, column: 1 },
    );
    return undefined;
  }
  return { split, source };
}

/** The body as sanitized HTML, each problem reported at its line of the file. */
function renderBody(split: SplitArticle, context: ArticleContext, report: FileReport) {
  const started = performance.now();
  const body = renderMarkdown(split.body, {
    referenceLabel: context.localizer.t('label.forReference'),
    baseUrl: context.config.baseUrl,
    asset: (path) => context.files.get(path),
  });
  context.stats.markdownMs += performance.now() - started;
  for (const problem of body.problems) {
    report.error('body/forbidden', problem.message, 'body', {
      line: split.bodyLine + problem.line,
      column: 1,
    });
  }
  return body;
}

/** What an article is made of, each part checked. */
interface ParsedParts {
  fields: FrontMatter;
  dates: ArticleDates;
  corrections: ArticleCorrection[];
  rights: ArticleRights;
  image?: ArticleImage;
  body: ReturnType<typeof renderMarkdown>;
  slug: string;
}

function makeArticle(
  parts: ParsedParts,
  context: ArticleContext,
  source: YamlSource,
  report: FileReport,
): Article {
  const { config } = context;
  const { fields, dates, corrections, body, slug } = parts;
  const ampPath = articlePath(context.lang, slug, 'amp');
  const path = hasCanonicalPages(config) ? articlePath(context.lang, slug, 'canonical') : ampPath;
  const localImage = fields.image && !isRemote(fields.image.src) ? [fields.image.src] : [];
  return {
    storyId: context.storyId,
    lang: context.lang,
    version: context.version,
    file: context.file,
    title: fields.title,
    slug,
    slugWritten: fields.slug !== undefined,
    summary: fields.summary ?? truncate(body.firstParagraph ?? '', SUMMARY_LENGTH),
    body: sharedBodyBytes(body.html),
    wordCount: body.wordCount,
    published: dates.published,
    updated: dates.updated,
    authors: plainNames(fields.authors, source, report),
    section: fields.section,
    tags: uniqueTags(fields.tags, context.lang),
    image: parts.image,
    source: fields.source,
    rights: parts.rights,
    draft: fields.draft,
    embargo: dates.embargo,
    ...(corrections.length ? { corrections } : {}),
    path,
    url: urlOf(config.baseUrl, path),
    ...(config.pages.amp ? { amp: { path: ampPath, url: urlOf(config.baseUrl, ampPath) } } : {}),
    media: [...new Set([...localImage, ...body.assets])].sort().map((name) => ({
      from: join(context.folder, name),
      path: mediaPath(context.storyId, name),
    })),
    translations: [],
  };
}

/** Removes characters XML cannot carry, with a warning at each. */
function cleanControlCharacters(text: string, report: FileReport): string {
  const found = findXmlInvalid(text);
  for (const match of found) {
    const before = text.slice(0, match.index);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const code = match[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
    report.warning(
      'content/control-character',
      `removed the invisible control character U+${code}, which feeds and pages cannot carry`,
      undefined,
      { line, column },
    );
  }
  return found.length ? stripXmlInvalid(text) : text;
}

interface ArticleDates {
  published: Date;
  updated?: Date;
  embargo?: Date;
}

/** Resolves the date fields in the site time zone; reports each problem at its line. */
function resolveDates(
  source: YamlSource,
  timeZone: string,
  report: FileReport,
): ArticleDates | undefined {
  const data = source.data as Record<string, unknown>;
  const resolved: Partial<Record<'published' | 'updated' | 'embargo', Date>> = {};
  let ok = true;
  for (const field of ['published', 'updated', 'embargo'] as const) {
    const value = data[field];
    if (typeof value !== 'string') continue; // missing or wrong type: the schema said so
    const result = resolveDateTime(value, timeZone);
    // Asked for only when there is something to report: a position costs a parse.
    const position = () => source.positionOf([field]);
    if ('error' in result) {
      report.error('front-matter/invalid-date', result.error, field, position());
      ok = false;
      continue;
    }
    if (result.warning)
      report.warning('front-matter/ambiguous-time', result.warning, field, position());
    resolved[field] = result.instant;
  }
  const { published, updated, embargo } = resolved;
  if (!ok || !published) return undefined;
  if (updated && updated < published) {
    report.error(
      'front-matter/invalid-date',
      'is before published',
      'updated',
      source.positionOf(['updated']),
    );
    return undefined;
  }
  return { published, updated: updated && updated > published ? updated : undefined, embargo };
}

/** The dates of `corrections`, each resolved in the site time zone and reported at its line. */
function resolveCorrections(
  source: YamlSource,
  timeZone: string,
  report: FileReport,
): ArticleCorrection[] | undefined {
  const list = (source.data as { corrections?: unknown }).corrections;
  if (!Array.isArray(list)) return []; // missing, or the schema said what is wrong
  const corrections: ArticleCorrection[] = [];
  let ok = true;
  for (const [i, entry] of list.entries()) {
    const { date, note } = (entry ?? {}) as { date?: unknown; note?: unknown };
    if (typeof date !== 'string' || typeof note !== 'string') continue;
    const result = resolveDateTime(date, timeZone);
    const position = () => source.positionOf(['corrections', i, 'date']);
    if ('error' in result) {
      report.error('front-matter/invalid-date', result.error, `corrections.${i}.date`, position());
      ok = false;
      continue;
    }
    if (result.warning)
      report.warning(
        'front-matter/ambiguous-time',
        result.warning,
        `corrections.${i}.date`,
        position(),
      );
    corrections.push({ date: result.instant, note: note.trim() });
  }
  return ok ? corrections : undefined;
}

function resolveImage(
  image: NonNullable<FrontMatter['image']>,
  context: ArticleContext,
  source: YamlSource,
  report: FileReport,
): ArticleImage | undefined {
  const remote = isRemote(image.src);
  const local = remote ? undefined : context.files.get(image.src);
  if (!remote && !local) {
    report.error(
      'front-matter/missing-image',
      `"${image.src}" is not a file in the story folder`,
      'image.src',
      source.positionOf(['image', 'src']),
    );
    return undefined;
  }
  const width = image.width ?? local?.width;
  const height = image.height ?? local?.height;
  if (!width || !height) {
    report.error(
      'front-matter/image-size',
      'width and height are needed for this image (pages reserve its space before it loads)',
      'image',
      source.positionOf(['image']),
    );
    return undefined;
  }
  const type = local?.type ?? imageType(new URL(image.src).pathname) ?? 'image/jpeg';
  return {
    url: local ? local.url : image.src,
    alt: image.alt,
    caption: image.caption,
    credit: image.credit,
    width,
    height,
    type,
    length: local?.length,
    syndication: image.rights?.syndication ?? true,
    ...(image.rights?.licence ? { licence: image.rights.licence } : {}),
    ...(image.rights?.holder ? { holder: image.rights.holder } : {}),
  };
}

/**
 * The site's rights with the article's own applied, and the body's images that may not
 * be passed on. Republishing needs a licence to offer and a tracking image to count with.
 */
function resolveRights(
  fields: FrontMatter,
  bodyFiles: readonly string[],
  context: ArticleContext,
  source: YamlSource,
  report: FileReport,
): ArticleRights | undefined {
  const site = context.config.rights;
  const own = fields.rights;
  const licence = own?.licence ?? site?.licence;
  const republish = own?.republish ?? site?.republish ?? false;
  let ok = true;
  // The site's own setting is checked with site.yaml; an article's, here.
  const problems = own?.republish ? republishProblems(context.config, licence, true) : [];
  for (const problem of problems)
    report.error(
      'front-matter/rights',
      problem,
      'rights.republish',
      source.positionOf(['rights', 'republish']),
    );
  if (problems.length) ok = false;
  const unsyndicatedImages: string[] = [];
  for (const [name, rights] of Object.entries(fields.images ?? {})) {
    const file = bodyFiles.includes(name) ? context.files.get(name) : undefined;
    if (!file) {
      report.error(
        'front-matter/unknown-image',
        `"${name}" is not an image the body shows (its images: ${bodyFiles.join(', ') || 'none'})`,
        `images.${name}`,
        source.positionOf(['images', name], true),
      );
      ok = false;
    } else if (!rights.syndication) {
      unsyndicatedImages.push(file.url);
    }
  }
  if (!ok) return undefined;
  return {
    ...(own?.holder || site?.holder ? { holder: own?.holder ?? site?.holder } : {}),
    ...(licence ? { licence } : {}),
    republish,
    unsyndicatedImages,
  };
}

function isRemote(src: string): boolean {
  return /^https?:\/\//i.test(src);
}

const MARKUP = /<\/?[a-z][^<>]*>/gi;

/**
 * Author names without HTML tags, each removal reported: a name is plain text, and a tag
 * in one reached feed readers as escaped markup (Universal Feed Parser escapes what looks
 * like HTML in an Atom person's name).
 */
function plainNames(names: readonly string[], source: YamlSource, report: FileReport): string[] {
  return names.map((name, i) => {
    const tags = name.match(MARKUP);
    if (!tags) return name;
    report.warning(
      'front-matter/markup-in-name',
      `a name is plain text: removed the markup ${tags.map((tag) => `"${tag}"`).join(', ')}`,
      `authors.${i}`,
      source.positionOf(['authors', i]),
    );
    return name.replace(MARKUP, '').replace(/\s+/g, ' ').trim();
  });
}

/** Tags of one article, once per slug, in the order written. */
function uniqueTags(names: readonly string[], lang: string): Article['tags'] {
  const seen = new Set<string>();
  const tags = [];
  for (const name of names) {
    const slug = slugFor(name, lang);
    if (!slug || seen.has(slug)) continue;
    seen.add(slug);
    tags.push({ name, slug });
  }
  return tags;
}

function truncate(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return `${(space > length / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}
