/**
 * The editions of the site model: per language its articles newest first, its sections and
 * its tags. A build makes them from every published article; the dev server, when stories
 * alone changed, updates the last build's around them (a 5,000-story site sorts and
 * groups 17,000 articles otherwise, on every keystroke saved).
 */
import type { SiteConfig } from '../config/schema.js';
import type { Localizer } from '../i18n/load-locales.js';
import type { Article, Edition } from './model.js';

type Group = Edition['tags'][number];

/** Every edition, from the published articles (their translations linked). */
export function makeEditions(
  config: SiteConfig,
  localizers: ReadonlyMap<string, Localizer>,
  published: readonly Article[],
): Edition[] {
  const byLanguage = new Map<string, Article[]>(config.languages.map((l) => [l.code, []]));
  for (const article of published) byLanguage.get(article.lang)?.push(article);
  return config.languages.map((language): Edition => {
    const localizer = localizers.get(language.code);
    if (!localizer) throw new Error(`no localizer for ${language.code}`);
    const own = sortNewestFirst(byLanguage.get(language.code) ?? []);
    return {
      language,
      localizer,
      articles: own,
      sections: config.sections.map((id) => ({
        id,
        articles: own.filter((a) => a.section === id),
      })),
      tags: groupByTag(own),
    };
  });
}

/**
 * The editions `makeEditions` would make if the articles in `removed` were taken out of
 * `previous` and `added` (published, translations linked) put in. Lists no article of
 * either touches are the same arrays as before; the others are new (the previous model
 * is not changed).
 */
export function updateEditions(
  previous: readonly Edition[],
  removed: ReadonlySet<Article>,
  added: readonly Article[],
): Edition[] {
  return previous.map((edition) => {
    const lang = edition.language.code;
    const gone = new Set([...removed].filter((a) => a.lang === lang));
    const fresh = sortNewestFirst(added.filter((a) => a.lang === lang));
    if (!gone.size && !fresh.length) return edition;
    const touches = (test: (a: Article) => boolean) => fresh.some(test) || [...gone].some(test);
    const merged = (list: readonly Article[], test: (a: Article) => boolean) =>
      mergeNewestFirst(
        list.filter((a) => !gone.has(a)),
        fresh.filter(test),
      );
    const slugs = new Set([...gone, ...fresh].flatMap((a) => a.tags.map((t) => t.slug)));
    const tags: Group[] = edition.tags.filter((group) => !slugs.has(group.tag.slug));
    const before = new Map(edition.tags.map((group) => [group.tag.slug, group.articles]));
    for (const slug of slugs) {
      const articles = merged(before.get(slug) ?? [], (a) => a.tags.some((t) => t.slug === slug));
      // The name is the spelling of the newest article that uses it, as in groupByTag.
      const tag = articles[0]?.tags.find((t) => t.slug === slug);
      if (tag) tags.push({ tag, articles });
    }
    return {
      ...edition,
      articles: merged(edition.articles, () => true),
      sections: edition.sections.map((section) =>
        touches((a) => a.section === section.id)
          ? { id: section.id, articles: merged(section.articles, (a) => a.section === section.id) }
          : section,
      ),
      tags: tags.sort(bySlug),
    };
  });
}

/**
 * Links each article to its story's other published versions. An article the dev server
 * parsed in an earlier build keeps its list when the versions are the same objects, so
 * that what was worked out from the list (output keys) is still known to be current.
 * Versions are all of a story's or none: `articles` holds each story whole.
 */
export function linkTranslations(articles: readonly Article[]): void {
  const byStory = new Map<string, Article[]>();
  for (const article of articles) {
    const versions = byStory.get(article.storyId);
    if (versions) versions.push(article);
    else byStory.set(article.storyId, [article]);
  }
  for (const versions of byStory.values()) {
    for (const article of versions) {
      // Compared in place: a new list per article per build is 17,000 lists at 5,000 stories.
      const known = article.translations;
      let same = known.length === versions.length - 1;
      for (let i = 0, j = 0; same && i < versions.length; i++) {
        if (versions[i] !== article) same = versions[i] === known[j++];
      }
      if (!same) article.translations = versions.filter((v) => v !== article);
    }
  }
}

/** Newest first; the story id breaks ties so that the order never depends on the disk. */
function newerFirst(a: Article, b: Article): number {
  return b.published.getTime() - a.published.getTime() || byStoryId(a, b);
}

function byStoryId(a: Article, b: Article): number {
  return a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : 0;
}

/** Sorted by newerFirst, each date read once: a 5,000-story site sorts 17,000 articles. */
function sortNewestFirst(articles: Article[]): Article[] {
  const keyed = articles.map((article) => ({ time: article.published.getTime(), article }));
  keyed.sort((a, b) => b.time - a.time || byStoryId(a.article, b.article));
  return keyed.map((k) => k.article);
}

/** Two lists sorted newest first, as one. */
function mergeNewestFirst(list: readonly Article[], more: readonly Article[]): Article[] {
  if (!more.length) return [...list];
  const out: Article[] = [];
  let i = 0;
  for (const article of more) {
    while (i < list.length && newerFirst(list[i] as Article, article) < 0)
      out.push(list[i++] as Article);
    out.push(article);
  }
  while (i < list.length) out.push(list[i++] as Article);
  return out;
}

/** Tags by slug; the name is the spelling of the newest article that uses it. */
function groupByTag(articles: readonly Article[]): Group[] {
  const groups = new Map<string, Group>();
  for (const article of articles) {
    for (const tag of article.tags) {
      const group = groups.get(tag.slug);
      if (group) group.articles.push(article);
      else groups.set(tag.slug, { tag, articles: [article] });
    }
  }
  return [...groups.values()].sort(bySlug);
}

function bySlug(a: Group, b: Group): number {
  return a.tag.slug < b.tag.slug ? -1 : 1;
}
