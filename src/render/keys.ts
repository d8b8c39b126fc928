/**
 * The parts of output keys (see OutputJob.key): an article is a digest of its path and the
 * version of its story folder; a page's navigation is the languages and sections that have
 * articles. Keys are short: a feed's key lists 50 articles, and a big site has thousands of
 * feeds, so long keys were hundreds of megabytes of strings per build of the dev server.
 */
import { digest } from '../digest.js';
import type { Article, Edition, Site } from '../model/model.js';

/**
 * A digest of a part of an article, made when first asked for under `name`. A parsed
 * article never changes (an edit parses a new one), so its digests are kept as long as it
 * is: across the dev server's rebuilds, and in `polyfeed build`'s cache (see madeDigests),
 * which spares a rebuild after one edit making them again for all 17,000 articles of a
 * 5,000-story site. By the object, not by its fields: an article copied with changes (a
 * partner's, say) has digests of its own.
 */
export function articleDigest(article: Article, name: string, make: () => string): string {
  let known = digests.get(article);
  if (typeof known === 'string') {
    // Read from the packed string while it has what is asked: a rebuild after one edit
    // asks most articles of a big site for one or two digests, and unpacked them all.
    const packed = packedDigest(known, name);
    if (packed !== undefined) return packed;
    known = unpack(known);
    digests.set(article, known);
  } else if (known === undefined) {
    known = {};
    digests.set(article, known);
  }
  let value = known[name];
  if (value === undefined) {
    value = make();
    known[name] = value;
  }
  return value;
}

/**
 * By article: its digests, or as a cache kept them (see madeDigests), unpacked when one it
 * does not have is made.
 */
const digests = new WeakMap<Article, Record<string, string> | string>();

/**
 * The digests made of an article so far, packed in one string for a cache to keep with it:
 * read back, 17,000 strings cost less than 17,000 objects of five strings each.
 */
export function madeDigests(article: Article): string {
  const known = digests.get(article);
  if (typeof known !== 'object') return known ?? '';
  let packed = '';
  for (const name in known) packed += `${packed ? '\n' : ''}${name} ${known[name]}`;
  return packed;
}

/** Gives an article read back from a cache the digests kept with it (see madeDigests). */
export function keepDigests(article: Article, packed: string): void {
  if (packed) digests.set(article, packed);
}

/** The digest named `name` in a packed string (see madeDigests), if it has one. */
function packedDigest(packed: string, name: string): string | undefined {
  const head = `${name} `;
  let start = 0;
  if (!packed.startsWith(head)) {
    const at = packed.indexOf(`\n${head}`);
    if (at === -1) return undefined;
    start = at + 1;
  }
  const from = start + head.length;
  const end = packed.indexOf('\n', from);
  return packed.slice(from, end === -1 ? undefined : end);
}

function unpack(packed: string): Record<string, string> {
  const known: Record<string, string> = {};
  for (const line of packed.split('\n')) {
    const space = line.indexOf(' ');
    known[line.slice(0, space)] = line.slice(space + 1);
  }
  return known;
}

/**
 * The languages of the article's other versions, which name the digests made of them: the
 * versions, their URLs and titles are the story's, which changes only when parsed again,
 * and which of them there are depends on the build (drafts, embargoes).
 */
function versionsName(article: Article): string {
  let name = '';
  for (const other of article.translations) name += `,${other.lang}`;
  return name;
}

export function articleKey(article: Article): string {
  return articleDigest(article, 'article', () => digest(article.path, article.version));
}

/**
 * An article and its links to its other language versions: of those, a page shows the
 * language, URL and title, a sitemap entry the language and URL, so an edit of another
 * version's body leaves the key as it was.
 */
export function articleWithTranslationsKey(article: Article): string {
  return articleDigest(article, `versions${versionsName(article)}`, () => {
    const links = article.translations.map((t) => `${t.lang} ${t.url} ${t.title}`);
    return digest(articleKey(article), ...links);
  });
}

/**
 * A digest of what an article's entry in a pages sitemap shows: its URL, last change and
 * its other versions' URLs.
 */
export function sitemapEntryKey(article: Article, lastChange: (article: Article) => Date): string {
  return articleDigest(article, `sitemap${versionsName(article)}`, () => {
    const urls = article.translations.map((t) => t.url).join(',');
    return digest(article.url, lastChange(article).getTime(), urls);
  });
}

/** A part of a key made from a run of a list's articles, and the run it was made from. */
interface ListKey {
  articles: readonly Article[];
  versions: (readonly Article[])[];
  key: string;
}

/**
 * The parts of keys made from lists of articles, by the list's name and run (see listKey),
 * kept across the dev server's rebuilds. A run no longer asked for (a tag's list after the
 * tag went, the pages past a list's new end) is dropped by the next build that plans every
 * file, so that it does not keep old articles alive.
 */
export class ListKeys {
  private readonly runs = new Map<string, ListKey>();
  private readonly asked = new Set<string>();

  /** The run kept under `name`; it is asked for in this build. */
  get(name: string): ListKey | undefined {
    this.asked.add(name);
    return this.runs.get(name);
  }

  set(name: string, run: ListKey): void {
    this.runs.set(name, run);
  }

  /** Begins a build's planning: no run is asked for yet. */
  begin(): void {
    this.asked.clear();
  }

  /** Ends a planning of every file: the runs it did not ask for are no list's any more. */
  keepAsked(): void {
    for (const name of this.runs.keys()) if (!this.asked.has(name)) this.runs.delete(name);
  }

  get size(): number {
    return this.runs.size;
  }
}

/** Articles per run: an edit makes one run's part again, not a whole language's. */
const RUN = 64;

/**
 * `part` of each article joined by `separator`, each run of RUN articles taken from `keys`
 * while it holds the same articles with the same lists of other versions: a parsed article
 * never changes (an edit parses a new one), and a story whose versions change gets new
 * lists (see linkTranslations). `part` must depend on nothing else. The dev server plans
 * every rebuild against the whole site, and made these parts again for every article each
 * time (90 of the 145 ms of planning after one edit at 5,000 stories).
 */
export function listKey(
  keys: ListKeys | undefined,
  name: string,
  articles: readonly Article[],
  part: (article: Article) => string,
  separator: string,
): string {
  if (!keys) return articles.map(part).join(separator);
  const runs: string[] = [];
  for (let start = 0; start < articles.length; start += RUN) {
    const run = articles.slice(start, start + RUN);
    const runName = `${name} ${start}`;
    const known = keys.get(runName);
    if (known && sameArticles(known, run)) runs.push(known.key);
    else {
      const key = run.map(part).join(separator);
      keys.set(runName, { articles: run, versions: run.map((a) => a.translations), key });
      runs.push(key);
    }
  }
  return runs.join(separator);
}

function sameArticles(known: ListKey, articles: readonly Article[]): boolean {
  if (known.articles.length !== articles.length) return false;
  for (let i = 0; i < articles.length; i++) {
    const article = articles[i] as Article;
    if (known.articles[i] !== article || known.versions[i] !== article.translations) return false;
  }
  return true;
}

export function navigationKey(site: Site, edition: Edition): string {
  const languages = site.editions.filter((e) => e.articles.length).map((e) => e.language.code);
  const sections = edition.sections.filter((s) => s.articles.length).map((s) => s.id);
  return `${languages.join(',')}|${sections.join(',')}`;
}
