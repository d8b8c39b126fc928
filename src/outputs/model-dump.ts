/**
 * `<lang>/articles.json`: the model of each language as plain JSON. It proves the pipeline
 * end to end until the feeds and AMP pages take over.
 */
import type { Output } from './index.js';

export const modelDump: Output = {
  name: 'model-dump',
  render(site) {
    return site.editions.map((edition) => ({
      path: `${edition.language.code}/articles.json`,
      contents: `${JSON.stringify(
        {
          language: edition.language,
          sections: edition.sections.map((s) => ({
            id: s.id,
            name: edition.localizer.t(`sections.${s.id}`),
            articles: s.articles.map((a) => a.storyId),
          })),
          tags: edition.tags.map((t) => ({ ...t.tag, articles: t.articles.map((a) => a.storyId) })),
          articles: edition.articles.map(({ translations, media, ...article }) => ({
            ...article,
            published: edition.localizer.isoDate(article.published),
            updated: article.updated && edition.localizer.isoDate(article.updated),
            embargo: article.embargo && edition.localizer.isoDate(article.embargo),
            translations: translations.map((t) => ({ lang: t.lang, url: t.url })),
          })),
        },
        null,
        2,
      )}\n`,
    }));
  },
};
