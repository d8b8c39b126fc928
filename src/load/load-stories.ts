/**
 * `articles/<story-id>/<lang>.md` → Article[]. Every file is read and checked, and every
 * problem is reported with its line; an article with an error is left out and the caller
 * writes nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimit } from '../concurrency.js';
import type { SiteConfig } from '../config/schema.js';
import { articleSchema } from '../content/article-schema.js';
import { decodeUtf8 } from '../content/decode-utf8.js';
import { splitFrontMatter } from '../content/front-matter.js';
import { readFileInfo } from '../content/image-info.js';
import { parseArticle, type StoryFile } from '../content/parse-article.js';
import { type Diagnostic, FileReport, type Position } from '../diagnostics.js';
import { digest } from '../digest.js';
import type { Localizer } from '../i18n/load-locales.js';
import type { Article } from '../model/model.js';
import { mediaPath, urlOf } from '../model/urls.js';
import { parseYamlSource } from '../yaml-source.js';
import type { StoryEntry, StoryMemo } from './memo.js';

export const ARTICLES_FOLDER = 'articles';

export const STORY_ID = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/**
 * Story folders loaded at the same time. Their Markdown is read synchronously; only a
 * story's media files are read with promises, and this bounds how many are open at once.
 */
const STORIES_AT_ONCE = 64;

export async function loadStories(
  root: string,
  config: SiteConfig,
  localizers: ReadonlyMap<string, Localizer>,
  diagnostics: Diagnostic[],
  { memo, parseKey = '', stats = { markdownMs: 0 }, take }: LoadStoriesOptions = {},
): Promise<Article[]> {
  const schema = articleSchema(config.sections);
  const build: BuildContext = {
    config,
    localizers,
    diagnostics,
    schema,
    memo,
    stats,
  };
  memo?.begin(parseKey);
  if (take) {
    // Sharing the stories with another thread: each takes the next one neither has taken,
    // so both finish together whichever started first.
    const articles: Article[] = [];
    for (let id = take(); id !== undefined; id = take()) {
      articles.push(...(await loadStory(root, id, build)));
    }
    return articles;
  }
  const ids = await listStoryFolders(join(root, ARTICLES_FOLDER), diagnostics);
  // Stories the watcher says did not change are taken as they are, without a promise each
  // (the dev server's rebuilds go through thousands); the rest are read, some at once.
  const loaded = ids.map((id) => unchanged(id, build));
  const toRead = ids.filter((_, i) => loaded[i] === undefined);
  const read = await mapLimit(toRead, STORIES_AT_ONCE, (id) => loadStory(root, id, build));
  // A loop, not flatMap: the dev server goes through 17,000 articles of 5,000 stories.
  const articles: Article[] = [];
  let r = 0;
  for (const known of loaded)
    for (const article of known ?? read[r++] ?? []) articles.push(article);
  // Stories whose folder is gone are forgotten with it.
  memo?.retain(new Set(ids));
  checkUniqueSlugs(articles, (article) => slugPositionOf(root, article), diagnostics);
  return articles;
}

async function listStoryFolders(folder: string, diagnostics: Diagnostic[]): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    new FileReport(ARTICLES_FOLDER, diagnostics).warning(
      'content/no-articles',
      'folder not found: the site has no articles yet',
    );
    return [];
  }
  const ids: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const report = () => new FileReport(`${ARTICLES_FOLDER}/${entry.name}`, diagnostics);
    if (!entry.isDirectory()) {
      report().error(
        'content/stray-file',
        'is not a story folder: articles go in articles/<story-id>/<lang>.md',
      );
    } else if (!STORY_ID.test(entry.name)) {
      report().error(
        'content/invalid-story-id',
        'story folder names are lowercase letters, digits, hyphens and underscores (they become feed ids and URLs)',
      );
    } else {
      ids.push(entry.name);
    }
  }
  return ids.sort();
}

/** What every article of a build shares. */
interface BuildContext {
  config: SiteConfig;
  localizers: ReadonlyMap<string, Localizer>;
  diagnostics: Diagnostic[];
  /** Built once: zod compiles a schema when it is first used. */
  schema: ReturnType<typeof articleSchema>;
  /** Stories parsed by an earlier build; reused when their folder has not changed. */
  memo?: StoryMemo;
  /** Time spent rendering Markdown, for the benchmark's phases. */
  stats: LoadStats;
}

export interface LoadStats {
  markdownMs: number;
}

export interface LoadStoriesOptions {
  /** Stories parsed by an earlier build (or another thread), reused when unchanged; filled in. */
  memo?: StoryMemo;
  /** Config and locales this build parses under. */
  parseKey?: string;
  stats?: LoadStats;
  /**
   * Load only the story folders this hands out, one at a time until it has none (to share
   * the parsing among threads); their problems are reported when all are loaded together.
   */
  take?: () => string | undefined;
}

/** A story as an earlier build parsed it, with the problems it reported then. */
function reuse(entry: StoryEntry, build: BuildContext): Article[] {
  build.diagnostics.push(...entry.diagnostics);
  // Their translations lists stay: the site model links them again, and keeps a list
  // whose versions did not change (see linkTranslations in editions.ts). Where their
  // slugs were written stays in the entry, looked up only for an error (see slugPosition).
  return entry.articles;
}

/** The story's articles from the cache, when the watcher says its folder did not change. */
function unchanged(storyId: string, build: BuildContext): Article[] | undefined {
  const known = build.memo?.get(storyId);
  const changed = build.memo?.changed;
  if (known && changed && !changed.has(storyId)) return reuse(known, build);
  return undefined;
}

/** The valid articles of one story folder, in the config's language order. */
async function loadStory(root: string, storyId: string, build: BuildContext): Promise<Article[]> {
  const { diagnostics } = build;
  const known = build.memo?.get(storyId);
  const relFolder = `${ARTICLES_FOLDER}/${storyId}`;
  const folder = join(root, relFolder);
  const given = build.memo?.stamp(storyId);
  if (known && given !== undefined && known.stamp === given) return reuse(known, build);
  // Synchronous calls: a story is a few small files, and a promise for each open, stat,
  // read and close cost more than the reading (2 s of a 5,000-story build's loading).
  const names = readdirSync(folder)
    .filter((name) => !name.startsWith('.'))
    .sort();
  const stamps = names.map((name) => {
    const info = statSync(join(folder, name));
    return `${name}:${info.size}:${info.mtimeMs}`;
  });
  const stamp = stamps.join('|');
  if (known && known.stamp === stamp) return reuse(known, build);
  const ownDiagnostics: Diagnostic[] = [];
  const result = await parseStory(
    storyId,
    folder,
    relFolder,
    names,
    { ...build, diagnostics: ownDiagnostics },
    articleVersions(names, stamps),
  );
  diagnostics.push(...ownDiagnostics);
  build.memo?.set(storyId, {
    stamp,
    articles: result,
    diagnostics: ownDiagnostics,
  });
  return result;
}

async function parseStory(
  storyId: string,
  folder: string,
  relFolder: string,
  names: string[],
  build: BuildContext,
  versionOf: (name: string) => string,
): Promise<Article[]> {
  const { config, localizers, diagnostics } = build;
  const files = new Map<string, StoryFile>();
  const sources: { lang: string; name: string }[] = [];
  for (const name of names) {
    if (name.endsWith('.md')) {
      sources.push({ lang: name.slice(0, -3), name });
    } else {
      files.set(
        name,
        await describeFile(join(folder, name), mediaPath(storyId, name), config.baseUrl),
      );
    }
  }
  if (!sources.length) {
    new FileReport(relFolder, diagnostics).error(
      'content/empty-story',
      'has no article: add <lang>.md, e.g. en.md',
    );
  }
  const known = config.languages.map((l) => l.code);
  const articles: Article[] = [];
  // By file name, so that a story's image is told about at its first file (see
  // unsyndicated-images.ts); the articles are then put in the config's language order.
  const toldImages = new Set<string>();
  for (const source of sources) {
    const localizer = localizers.get(source.lang);
    if (!known.includes(source.lang) || !localizer) continue;
    const file = `${relFolder}/${source.name}`;
    const text = decodeUtf8(
      readFileSync(join(folder, source.name)),
      new FileReport(file, diagnostics),
    );
    if (text === undefined) continue;
    const article = parseArticle(text, {
      ...build,
      storyId,
      folder,
      lang: source.lang,
      version: versionOf(source.name),
      file,
      localizer,
      files,
      toldImages,
    });
    if (article) articles.push(article);
  }
  articles.sort((a, b) => known.indexOf(a.lang) - known.indexOf(b.lang));
  for (const { lang, name } of sources) {
    if (!known.includes(lang)) {
      new FileReport(`${relFolder}/${name}`, diagnostics).error(
        'content/unknown-language',
        `"${lang}" is not one of the site's languages (${known.join(', ')}): rename the file or add the language to site.yaml`,
      );
    }
  }
  return articles;
}

/**
 * Each article's version (see Article.version): its own file and the story's other files
 * (its media), not the other languages' articles, so that an edit of one language leaves
 * the pages and feeds of the others as they were.
 */
function articleVersions(names: readonly string[], stamps: readonly string[]) {
  const media = stamps.filter((_, i) => !names[i]?.endsWith('.md')).join('|');
  return (name: string): string => digest(stamps[names.indexOf(name)] ?? '', media);
}

async function describeFile(path: string, outputPath: string, baseUrl: string): Promise<StoryFile> {
  return { ...(await readFileInfo(path)), url: urlOf(baseUrl, outputPath) };
}

/**
 * Where an article's slug comes from (its `slug` field, else its title), read again from
 * its file: a position costs a parse with positions, which only a duplicate slug or a
 * moved URL needs.
 */
export function slugPositionOf(root: string, article: Article): Position | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, article.file), 'utf8');
  } catch {
    return undefined;
  }
  const split = splitFrontMatter(text);
  if (split.yaml === undefined) return undefined;
  const source = parseYamlSource(split.yaml, new FileReport(article.file, []), split.yamlLine);
  const data = source.data as Record<string, unknown> | undefined;
  return source.positionOf([data && 'slug' in data ? 'slug' : 'title']);
}

/** Two articles of one language at one URL would overwrite each other: both are errors. */
function checkUniqueSlugs(
  articles: readonly Article[],
  positionOf: (article: Article) => Position | undefined,
  diagnostics: Diagnostic[],
): void {
  // One article per path, the rule; lists only where it is broken.
  const byPath = new Map<string, Article | Article[]>();
  for (const article of articles) {
    const known = byPath.get(article.path);
    if (known === undefined) byPath.set(article.path, article);
    else if (Array.isArray(known)) known.push(article);
    else byPath.set(article.path, [known, article]);
  }
  for (const group of byPath.values()) {
    if (!Array.isArray(group)) continue;
    for (const article of group) {
      const others = group.filter((a) => a !== article).map((a) => a.file);
      new FileReport(article.file, diagnostics).error(
        'content/duplicate-slug',
        `"${article.slug}" is also the slug of ${others.join(', ')}; set a different \`slug:\` in one of them`,
        'slug',
        positionOf(article),
      );
    }
  }
}
