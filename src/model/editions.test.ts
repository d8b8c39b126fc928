import { expect, test } from 'vitest';
import type { SiteConfig } from '../config/schema.js';
import type { Localizer } from '../i18n/load-locales.js';
import { linkTranslations, makeEditions, updateEditions } from './editions.js';
import type { Article, Edition } from './model.js';

const LANGS = ['en', 'uk'];
const SECTIONS = ['politics', 'sport', 'culture'];
const TAGS = ['Vote', 'vote', 'Match', 'Budget', 'Theatre', 'Flood'];
const config = {
  languages: LANGS.map((code) => ({ code, name: code })),
  sections: SECTIONS,
} as unknown as SiteConfig;
const localizers = new Map(LANGS.map((code) => [code, { language: code } as unknown as Localizer]));

/** A deterministic pseudo-random sequence, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function story(id: string, next: () => number): Article[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  // Few distinct dates, so that ties (broken by story id) are common.
  const published = new Date(Date.UTC(2026, 0, 1 + Math.floor(next() * 5)));
  return LANGS.filter(() => next() < 0.8).map((lang) => {
    const names = [...new Set(TAGS.filter(() => next() < 0.3))];
    // Tags are unique by slug in an article (the parser drops repeats).
    const bySlug = new Map(names.map((name) => [name.toLowerCase(), name]));
    return {
      storyId: id,
      lang,
      published,
      section: pick(SECTIONS),
      tags: [...bySlug].map(([slug, name]) => ({ slug, name })),
      translations: [],
    } as unknown as Article;
  });
}

/** What a model is, as lists of story ids and tag names. */
function shape(editions: readonly Edition[]) {
  const ids = (list: readonly Article[]) => list.map((a) => a.storyId).join(' ');
  return editions.map((e) => ({
    articles: ids(e.articles),
    sections: e.sections.map((s) => `${s.id}: ${ids(s.articles)}`),
    tags: e.tags.map((g) => `${g.tag.slug} (${g.tag.name}): ${ids(g.articles)}`),
  }));
}

test('a model updated around changed stories is the model made from scratch', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const next = random(seed);
    const stories = new Map<string, Article[]>();
    for (let i = 0; i < 30; i++) {
      const id = `s${String(i).padStart(2, '0')}`;
      stories.set(id, story(id, next));
    }
    const all = () => [...stories.values()].flat();
    linkTranslations(all());
    let editions = makeEditions(config, localizers, all());
    for (let round = 0; round < 5; round++) {
      // Edit, add or remove a few stories: new objects, as a parse makes them.
      const changed = [...stories.keys(), 's90', 's91'].filter(() => next() < 0.1);
      const before = changed.flatMap((id) => stories.get(id) ?? []);
      for (const id of changed) {
        if (next() < 0.2) stories.delete(id);
        else stories.set(id, story(id, next));
      }
      const fresh = changed.flatMap((id) => stories.get(id) ?? []);
      linkTranslations(fresh);
      const previous = shape(editions);
      const kept = editions;
      editions = updateEditions(editions, new Set(before), fresh);
      expect(shape(editions), `seed ${seed}, round ${round}`).toEqual(
        shape(makeEditions(config, localizers, all())),
      );
      expect(shape(kept), 'the previous model is left as it was').toEqual(previous);
    }
  }
});
