/**
 * The ninjs documents of the sample site and of every fixture that builds: each is valid
 * IPTC ninjs 3.3 by the schema's rules (tests/ninjs-schema.ts), and says what the article
 * says: its id is the feeds' `tag:` id, its times carry the site's offset, its photo and
 * other language versions are associations, its rights are the site's or its own, and
 * nothing that may not be passed on is in it. The per-language index lists them all.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import type { Article, Site } from '../src/model/model.js';
import { ninjs } from '../src/render/ninjs.js';
import { itemId } from '../src/render/to-feed.js';
import { buildFixture, FIXTURES, REPO } from './helpers.js';
import { ninjs33 } from './ninjs-schema.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, read as each test expects
type Json = Record<string, any>;

interface Built {
  name: string;
  result: BuildResult;
  site: Site;
  file(path: string): Json | undefined;
}

const sites: Built[] = [];

beforeAll(async () => {
  const results = [
    {
      name: 'sample',
      result: await build(REPO, {
        now: new Date('2026-01-01T00:00:00Z'),
        drafts: false,
        strict: false,
      }),
    },
  ];
  for (const name of readdirSync(FIXTURES).sort()) {
    if (!existsSync(join(FIXTURES, name, 'site.yaml'))) continue;
    const result = await buildFixture(name);
    if (result.files.length) results.push({ name, result });
  }
  for (const { name, result } of results) {
    const site = result.site;
    if (!site) throw new Error(`${name}: no site model`);
    const files = new Map(result.files.map((f) => [f.path, String(f.contents)]));
    sites.push({
      name,
      result,
      site,
      file: (path) => {
        const text = files.get(path);
        return text === undefined ? undefined : (JSON.parse(text) as Json);
      },
    });
  }
}, 120_000);

const articlesOf = (site: Site) => site.editions.flatMap((e) => e.articles);
const ninjsFiles = (built: Built) =>
  built.result.files.filter((f) => /^[^/]+\/articles\/[^/]+\/ninjs\.json$/.test(f.path));

describe('the validator', () => {
  const valid = {
    uri: 'tag:news.example.org,2024:story/en',
    type: 'text',
    versionCreated: '2024-05-14T09:57:00+03:00',
    headlines: [{ value: 'A headline' }],
    associations: [
      {
        name: 'mainpic',
        uri: 'https://news.example.org/a.png',
        renditions: [{ name: 'original', width: 4, height: 3 }],
      },
    ],
    rightsInfo: { linkedRights: 'https://creativecommons.org/licenses/by/4.0/' },
  };

  test('takes a valid document', () => {
    expect(ninjs33.safeParse(valid).error?.issues).toBeUndefined();
  });

  test.each([
    ['no uri', { ...valid, uri: undefined }],
    ['a relative uri', { ...valid, uri: 'story/en' }],
    ['a member ninjs does not have', { ...valid, link: 'https://x.example/' }],
    ['a type outside the enumeration', { ...valid, type: 'article' }],
    ['a time without an offset', { ...valid, versionCreated: '2024-05-14T09:57:00' }],
    ['a headline without a value', { ...valid, headlines: [{ role: 'main' }] }],
    ['an association without a name', { ...valid, associations: [{ uri: 'https://x.example/' }] }],
    [
      'a member ninjs does not have, in an association',
      { ...valid, associations: [{ ...valid.associations[0], alt: 'x' }] },
    ],
    [
      'a rendition width that is not an integer',
      {
        ...valid,
        associations: [
          { name: 'p', uri: 'https://x.example/', renditions: [{ name: 'o', width: 4.5 }] },
        ],
      },
    ],
    [
      'both linkedRights and encodedRights',
      { ...valid, rightsInfo: { linkedRights: 'https://x.example/', encodedRights: 'x' } },
    ],
    ['an urgency of 10', { ...valid, urgency: 10 }],
  ])('rejects %s', (_, document) => {
    expect(ninjs33.safeParse(document).success).toBe(false);
  });
});

describe('every ninjs document', () => {
  test('of the sample and every fixture is valid ninjs 3.3', () => {
    let count = 0;
    for (const built of sites) {
      for (const file of ninjsFiles(built)) {
        const parsed = ninjs33.safeParse(JSON.parse(String(file.contents)));
        expect(parsed.error?.issues, `${built.name}: ${file.path}`).toBeUndefined();
        count++;
      }
    }
    // The sample's 36 published versions, and the fixtures' own.
    expect(count).toBeGreaterThan(36);
  });

  test('exists for every published article version, and for no other', () => {
    for (const built of sites) {
      const expected = articlesOf(built.site)
        .map((a) => `${a.lang}/articles/${a.slug}/ninjs.json`)
        .sort();
      expect(
        ninjsFiles(built).map((f) => f.path),
        built.name,
      ).toEqual(expected);
    }
  });

  test('says what the article says, with the site offset in its times', () => {
    for (const built of sites) {
      for (const edition of built.site.editions) {
        const { isoDate } = edition.localizer;
        for (const article of edition.articles) {
          const doc = built.file(`${article.lang}/articles/${article.slug}/ninjs.json`) as Json;
          const where = `${built.name}: ${article.file}`;
          expect(doc.uri, where).toBe(itemId(built.site, article));
          expect(doc.uri, where).toMatch(/^tag:[^:]+,\d{4}(-\d\d){0,2}:[^/]+\/[^/]+$/);
          expect(doc.language, where).toBe(article.lang);
          expect(doc.standard, where).toEqual({
            name: 'ninjs',
            version: '3.3',
            schema: 'https://www.iptc.org/std/ninjs/ninjs-schema_3.3.json',
          });
          expect(doc.headlines, where).toEqual([
            { role: 'main', contentType: 'text/plain', value: article.title },
          ]);
          expect(doc.descriptions[0].value, where).toBe(article.summary);
          expect(doc.firstCreated, where).toBe(isoDate(article.published));
          expect(doc.contentCreated, where).toBe(isoDate(article.published));
          expect(doc.versionCreated, where).toBe(isoDate(article.updated ?? article.published));
          // The offset is the site's at that instant, never Z unless the site is in UTC.
          expect(doc.versionCreated, where).toMatch(/[+-]\d\d:\d\d$/);
          expect(doc.by, where).toBe(edition.localizer.formatList(article.authors));
          expect(doc.people, where).toEqual(
            article.authors.map((name) => ({ name, rel: 'author' })),
          );
          expect(doc.bodies[0].contentType, where).toBe('text/html');
          expect(doc.bodies[0].value, where).not.toMatch(/<script|<style|\son\w+=/i);
          expect(doc.subjects[0], where).toMatchObject({
            rel: 'section',
            literal: article.section,
            name: edition.localizer.t(`sections.${article.section}`),
          });
          expect(
            doc.subjects.slice(1).map((s: Json) => s.literal),
            where,
          ).toEqual(article.tags.map((t) => t.slug));
          expect(doc.renditions[0], where).toEqual({
            name: 'html',
            href: article.url,
            contentType: 'text/html',
          });
          checkAssociations(built.site, article, doc, where);
          checkRights(built.site, article, doc, where);
        }
      }
    }
  });
});

function checkAssociations(site: Site, article: Article, doc: Json, where: string): void {
  const associations: Json[] = doc.associations ?? [];
  const pictures = associations.filter((a) => a.type === 'picture');
  const image = article.image;
  if (image?.syndication) {
    expect(doc.type, where).toBe('composite');
    expect(pictures, where).toHaveLength(1);
    const [picture] = pictures as [Json];
    expect(picture.uri, where).toBe(image.url);
    if (image.credit) expect(picture.by, where).toBe(image.credit);
    expect(picture.descriptions, where).toContainEqual({
      role: 'alt',
      contentType: 'text/plain',
      value: image.alt,
    });
    expect(picture.renditions[0], where).toMatchObject({
      href: image.url,
      contentType: image.type,
      width: image.width,
      height: image.height,
    });
    if (image.licence)
      expect(picture.rightsInfo, where).toEqual({ linkedRights: image.licence.url });
  } else {
    expect(doc.type, where).toBe('text');
    expect(pictures, where).toEqual([]);
  }
  // Nothing that may not be passed on, anywhere in the document.
  const text = JSON.stringify(doc);
  if (image && !image.syndication) expect(text, where).not.toContain(image.url);
  for (const url of article.rights.unsyndicatedImages) expect(text, where).not.toContain(url);
  // The other language versions, each with its page and its own ninjs document.
  const translations = associations.filter((a) => a.rel === 'translation');
  expect(
    translations.map((a) => [a.uri, a.language, a.renditions[0].href]),
    where,
  ).toEqual(article.translations.map((t) => [itemId(site, t), t.lang, t.url]));
  for (const translation of translations)
    expect(translation.renditions[1].href, where).toMatch(/\/ninjs\.json$/);
}

function checkRights(site: Site, article: Article, doc: Json, where: string): void {
  const { rights } = article;
  if (rights.licence) expect(doc.rightsInfo, where).toEqual({ linkedRights: rights.licence.url });
  else expect(doc.rightsInfo, where).toBeUndefined();
  expect(doc.copyrightHolder, where).toBe(rights.holder);
  if (rights.holder) expect(doc.usageTerms, where).toContain(rights.holder);
  expect(doc.copyrightNotice, where).toBeTruthy();
  void site;
}

describe('the rights fixture', () => {
  const rights = () => sites.find((s) => s.name === 'rights') as Built;

  test('leaves the agency photo and the agency picture of the body out', () => {
    const doc = rights().file(
      'en/articles/grain-exports-through-black-sea-ports-reach-a-two-year-high-as-new-routes-open/ninjs.json',
    ) as Json;
    const body = doc.bodies[0].value as string;
    expect(body).not.toContain('port.png');
    expect(body).toContain('https://herald.example.org/media/grain-exports/route-map.png');
    expect(JSON.stringify(doc)).not.toContain('harvest.png');
    expect(doc.type).toBe('text');
    expect(doc.copyrightHolder).toBe('Dnipro Herald');
    expect(doc.rightsInfo).toEqual({
      linkedRights: 'https://creativecommons.org/licenses/by-nd/4.0/',
    });
    expect(doc.usageTerms).toBe(
      'Published under the CC BY-ND 4.0 licence. Republish it with credit to Dnipro Herald and a link to the original.',
    );
  });

  test('an article and a photo with rights of their own', () => {
    const doc = rights().file('en/articles/council-approves-the-2025-budget/ninjs.json') as Json;
    expect(doc.copyrightHolder).toBe('Ukrinform');
    expect(doc.rightsInfo).toEqual({
      linkedRights: 'https://creativecommons.org/licenses/by/4.0/',
    });
    expect(doc.infoSources).toEqual([
      { name: 'Ukrinform', role: 'source', uri: 'https://ukrinform.example/budget-2025' },
    ]);
    const [picture] = doc.associations as Json[];
    expect(picture).toMatchObject({
      name: 'mainpic',
      type: 'picture',
      by: 'Taras Melnyk',
      copyrightHolder: 'Taras Melnyk',
      rightsInfo: { linkedRights: 'https://creativecommons.org/licenses/by/4.0/' },
      renditions: [
        {
          name: 'original',
          contentType: 'image/png',
          width: 1200,
          height: 800,
          href: 'https://herald.example.org/media/city-budget/council.png',
        },
      ],
    });
  });

  test('an embargoed version has no document and is not in the index', () => {
    const built = rights();
    expect(built.result.files.some((f) => f.path.includes('ceasefire'))).toBe(false);
    const index = built.file('en/ninjs.json') as Json;
    expect(JSON.stringify(index)).not.toContain('ceasefire');
  });

  test('says once per image that it may not be passed on', () => {
    const warnings = rights().result.diagnostics.filter(
      (d) => d.code === 'rights/image-not-syndicated',
    );
    expect(warnings.map((d) => [d.file, d.field])).toEqual([
      ['articles/grain-exports/ar.md', 'image.rights.syndication'],
      ['articles/grain-exports/ar.md', 'images.port.png'],
    ]);
  });
});

describe('the index of each language', () => {
  test('lists every document once, newest first, with its address and times', () => {
    for (const built of sites) {
      for (const edition of built.site.editions) {
        if (!edition.articles.length) continue;
        const index = built.file(`${edition.language.code}/ninjs.json`) as Json;
        const where = `${built.name}: ${edition.language.code}`;
        expect(index.language, where).toBe(edition.language.code);
        expect(
          index.items.map((i: Json) => i.uri),
          where,
        ).toEqual(edition.articles.map((a) => itemId(built.site, a)));
        const published = index.items.map((i: Json) => Date.parse(i.firstCreated));
        expect(published, where).toEqual([...published].sort((a, b) => b - a));
        for (const item of index.items as Json[]) {
          const path = item.href.slice(built.site.config.baseUrl.length);
          expect(built.file(path)?.uri, where).toBe(item.uri);
        }
      }
    }
  });
});

describe('pages.ninjs: false', () => {
  test('writes no ninjs document and no index', async () => {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-no-ninjs-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    const config = join(site, 'site.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}pages:\n  ninjs: false\n`);
    const result = await build(site, {
      now: new Date('2025-01-01T00:00:00Z'),
      drafts: false,
      strict: false,
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const paths = result.files.map((f) => f.path);
    expect(paths.some((path) => path.endsWith('.html'))).toBe(true);
    expect(paths.filter((path) => path.endsWith('ninjs.json'))).toEqual([]);
  });
});

describe('the index as a planned file', () => {
  const context = { templates: undefined as never, diagnostics: [], items: new Map() };
  const indexJob = (site: Site, lang: string) => {
    const job = ninjs.plan(site, context).find((j) => j.path === `${lang}/ninjs.json`);
    if (!job) throw new Error(`no ${lang}/ninjs.json planned`);
    return job;
  };
  /** The site with the first English article replaced by `change` of it. */
  const withFirst = (site: Site, change: (article: Article) => Article): Site => ({
    ...site,
    editions: site.editions.map((e) =>
      e.language.code === 'en'
        ? { ...e, articles: e.articles.map((a, i) => (i ? a : change(a))) }
        : e,
    ),
  });

  test('is keyed by what it shows: a body edit keeps its key, a headline edit does not', () => {
    const site = sites.find((s) => s.name === 'rights')?.site as Site;
    const key = indexJob(site, 'en').key;
    expect(indexJob(site, 'en').group).toBe('listing:en/');
    const bodyEdited = withFirst(site, (a) => ({ ...a, version: 'edited', wordCount: 1 }));
    expect(indexJob(bodyEdited, 'en').key).toBe(key);
    const retitled = withFirst(site, (a) => ({ ...a, version: 'edited', title: 'Another' }));
    expect(indexJob(retitled, 'en').key).not.toBe(key);
    expect(key.length).toBeLessThan(100);
  });

  test('is written for an edition too large to spread into Math.max', () => {
    const site = sites.find((s) => s.name === 'rights')?.site as Site;
    const en = site.editions.find((e) => e.language.code === 'en');
    if (!en?.articles[0]) throw new Error('no English article');
    const articles = new Array<Article>(200_000).fill(en.articles[0]);
    const huge = { ...site, editions: [{ ...en, articles }] };
    const index = JSON.parse(String(indexJob(huge, 'en').render())) as Json;
    expect(index.items).toHaveLength(200_000);
  });
});
