/**
 * What the AMP pages say, read back with parse5: the article page's dateline, photo,
 * source, links between languages and metadata; pagination; the language chooser.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import { buildFixture, FIXTURES, NOW } from './helpers.js';

type Element = DefaultTreeAdapterMap['element'];

function dom(result: BuildResult, path: string) {
  const file = result.files.find((f) => f.path === path);
  if (!file) throw new Error(`${path} not written`);
  const all: Element[] = [];
  const walk = (node: DefaultTreeAdapterMap['node']) => {
    if ('tagName' in node) all.push(node);
    if ('childNodes' in node) for (const child of node.childNodes) walk(child);
  };
  walk(parse(String(file.contents)));
  const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;
  const text = (e: Element): string =>
    e.childNodes
      .map((c) =>
        'value' in c && c.nodeName === '#text' ? c.value : 'tagName' in c ? text(c) : '',
      )
      .join('');
  const select = (tag: string, where: (e: Element) => boolean = () => true) =>
    all.filter((e) => e.tagName === tag && where(e));
  const within = (root: Element, tag: string): Element[] =>
    root.childNodes.flatMap((c) =>
      'tagName' in c ? [...(c.tagName === tag ? [c] : []), ...within(c, tag)] : [],
    );
  return { all, attr, text, select, within };
}

const ARTICLE = 'en/articles/river-levels-rise-after-a-week-of-rain/amp.html';

describe('an article page', () => {
  test('shows the dateline in the site time zone, with machine-readable offsets', async () => {
    const page = dom(await buildFixture('basic'), ARTICLE);
    const times = page.select('time').map((t) => [page.attr(t, 'datetime'), page.text(t)]);
    expect(times).toEqual([
      ['2024-11-04T07:15:00+02:00', '07:15 4 November 2024'],
      ['2024-11-04T12:40:00+02:00', '12:40 4 November 2024'],
    ]);
    const meta = page.select('div', (e) => page.attr(e, 'class') === 'meta')[0];
    expect(meta && page.text(meta).replace(/\s+/g, ' ').trim()).toBe(
      'By Olena Kovalenko and Mark Weber 07:15 4 November 2024·Updated 12:40 4 November 2024·1 minute read',
    );
  });

  test('credits the photo and names the source, in the page language', async () => {
    const result = await buildFixture('basic');
    const page = dom(result, ARTICLE);
    const caption = page.select('figcaption')[0];
    expect(caption && page.text(caption)).toBe(
      'The embankment on Monday morning. Photo: Olena Kovalenko',
    );
    const source = page.select('p', (e) => page.attr(e, 'class') === 'source')[0];
    expect(source && page.text(source)).toBe('State Emergency Service reports this.');
    const ukrainian = dom(
      result,
      'uk/articles/riven-vody-v-richtsi-zris-pislia-tyzhnia-doshchiv/amp.html',
    );
    const ukCaption = ukrainian.select('figcaption')[0];
    expect(ukCaption && ukrainian.text(ukCaption)).toBe('Фото: Олена Коваленко');
  });

  test('links every language version, and the feeds of its language', async () => {
    const page = dom(await buildFixture('basic'), ARTICLE);
    const alternates = page.select('link', (e) => page.attr(e, 'rel') === 'alternate');
    expect(
      alternates.map((l) => [
        page.attr(l, 'hreflang') ?? page.attr(l, 'type'),
        page.attr(l, 'href'),
      ]),
    ).toEqual([
      ['en', 'https://news.example.org/en/articles/river-levels-rise-after-a-week-of-rain/'],
      [
        'uk',
        'https://news.example.org/uk/articles/riven-vody-v-richtsi-zris-pislia-tyzhnia-doshchiv/',
      ],
      ['ar', 'https://news.example.org/ar/articles/artfae-mnswb-alnhr-bed-asbwe-mn-alamtar/'],
      ['application/rss+xml', 'https://news.example.org/en/rss.xml'],
      ['application/atom+xml', 'https://news.example.org/en/atom.xml'],
      ['application/feed+json', 'https://news.example.org/en/feed.json'],
    ]);
    const other = page.select('section', (e) => page.attr(e, 'class') === 'translations')[0];
    const links = other ? page.within(other, 'a') : [];
    expect(links.map((a) => [page.attr(a, 'hreflang'), page.attr(a, 'dir')])).toEqual([
      ['uk', 'ltr'],
      ['ar', 'rtl'],
    ]);
  });

  test('describes itself as a NewsArticle and to social networks', async () => {
    const page = dom(await buildFixture('basic'), ARTICLE);
    const script = page.select('script', (e) => page.attr(e, 'type') === 'application/ld+json')[0];
    const data = JSON.parse(script ? page.text(script) : '{}') as Record<string, unknown>;
    expect(data).toMatchObject({
      '@type': 'NewsArticle',
      headline: 'River levels rise after a week of rain',
      inLanguage: 'en',
      datePublished: '2024-11-04T07:15:00+02:00',
      dateModified: '2024-11-04T12:40:00+02:00',
      author: [
        { '@type': 'Person', name: 'Olena Kovalenko' },
        { '@type': 'Person', name: 'Mark Weber' },
      ],
      image: {
        url: 'https://news.example.org/media/flood-warning/river.png',
        width: 1200,
        height: 800,
      },
      publisher: { '@type': 'NewsMediaOrganization', name: 'Dnipro Herald' },
    });
    const og = Object.fromEntries(
      page
        .select('meta', (e) => (page.attr(e, 'property') ?? '').startsWith('og:'))
        .map((m) => [page.attr(m, 'property'), page.attr(m, 'content')]),
    );
    expect(og).toMatchObject({
      'og:type': 'article',
      // basic/site.yaml gives no locale for English: the most likely region fills in.
      'og:locale': 'en_US',
      'og:image:width': '1200',
    });
  });

  test('shows its corrections with a localized label, and carries them in JSON-LD', async () => {
    const result = await buildFixture('basic');
    for (const kind of ['amp.html', '']) {
      const page = dom(
        result,
        `uk/articles/riven-vody-v-richtsi-zris-pislia-tyzhnia-doshchiv/${kind || 'index.html'}`,
      );
      const section = page.select(
        'section',
        (e) => page.attr(e, 'class') === 'reference corrections',
      )[0];
      if (!section) throw new Error('no corrections section');
      expect(page.text(page.within(section, 'h2')[0] as Element)).toBe('Виправлення');
      const [time] = page.within(section, 'time');
      expect(time && [page.attr(time, 'datetime'), page.text(time)]).toEqual([
        '2024-11-04T13:05:00+02:00',
        '13:05 4 листопада 2024',
      ]);
      expect(page.text(section).replace(/\s+/g, ' ')).toContain(
        'Раніше в статті було неправильно написано назву служби.',
      );
      const script = page.select(
        'script',
        (e) => page.attr(e, 'type') === 'application/ld+json',
      )[0];
      const data = JSON.parse(script ? page.text(script) : '{}') as Record<string, unknown>;
      expect(data.correction).toEqual([
        {
          '@type': 'CorrectionComment',
          text: 'Раніше в статті було неправильно написано назву служби.',
          datePublished: '2024-11-04T13:05:00+02:00',
        },
      ]);
    }
    // An article without corrections has neither.
    const english = dom(result, ARTICLE);
    expect(
      english.select('section', (e) => /corrections/.test(english.attr(e, 'class') ?? '')),
    ).toEqual([]);
  });

  test('a correction with an impossible date is an error at its line', async () => {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-corrections-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    const file = join(site, 'articles', 'museum-reopens', 'en.md');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'summary:',
        'corrections:\n  - date: 2024-02-30T10:00\n    note: Fixed.\n  - note: No date.\nsummary:',
      ),
    );
    const result = await build(site, { now: NOW, drafts: false, strict: false });
    expect(
      result.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => `${d.file}:${d.line}: ${d.field}: ${d.message}`),
    ).toEqual([
      'articles/museum-reopens/en.md:8: corrections.0.date: "2024-02-30T10:00" is not a real date and time: month 2 of 2024 has 29 days',
      'articles/museum-reopens/en.md:10: corrections.1.date: is required',
    ]);
  });

  test("names its Open Graph locales after site.yaml's languages[].locale", async () => {
    // partners/site.yaml: en-GB and uk-UA given, Arabic without a locale.
    const page = dom(await buildFixture('partners'), ARTICLE);
    const og = page
      .select('meta', (e) => (page.attr(e, 'property') ?? '').startsWith('og:locale'))
      .map((m) => [page.attr(m, 'property'), page.attr(m, 'content')]);
    expect(og).toEqual([
      ['og:locale', 'en_GB'],
      ['og:locale:alternate', 'uk_UA'],
      ['og:locale:alternate', 'ar_EG'],
    ]);
  });

  test('right-to-left languages get dir="rtl"', async () => {
    const page = dom(
      await buildFixture('basic'),
      'ar/articles/artfae-mnswb-alnhr-bed-asbwe-mn-alamtar/amp.html',
    );
    const html = page.select('html')[0];
    expect(html && [page.attr(html, 'lang'), page.attr(html, 'dir')]).toEqual(['ar', 'rtl']);
  });
});

describe('index pages', () => {
  async function buildWith(extra: string) {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-pages-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    writeFileSync(
      join(site, 'site.yaml'),
      `${readFileSync(join(site, 'site.yaml'), 'utf8')}${extra}`,
    );
    return build(site, { now: NOW, drafts: false, strict: false });
  }

  test('a long list is split into pages that link to each other', async () => {
    const result = await buildWith('pages:\n  perPage: 1\n');
    const first = dom(result, 'en/index.html');
    const second = dom(result, 'en/page/2/index.html');
    const rel = (page: ReturnType<typeof dom>) =>
      page
        .select('a', (a) => page.attr(a, 'rel') !== undefined)
        .map((a) => [page.attr(a, 'rel'), page.attr(a, 'href')]);
    expect(rel(first)).toEqual([['next', 'https://news.example.org/en/page/2/']]);
    expect(rel(second)).toEqual([['prev', 'https://news.example.org/en/']]);
    expect(result.files.some((f) => f.path === 'en/page/3/index.html')).toBe(false);
  });

  test('canonicalBaseUrl points AMP pages at the newsroom main site', async () => {
    const result = await buildWith('canonicalBaseUrl: https://www.example.org\n');
    const page = dom(result, ARTICLE);
    const canonical = page.select('link', (e) => page.attr(e, 'rel') === 'canonical')[0];
    expect(canonical && page.attr(canonical, 'href')).toBe(
      'https://www.example.org/en/articles/river-levels-rise-after-a-week-of-rain/',
    );
  });

  test('the root page lists the languages with hreflang and x-default', async () => {
    const page = dom(await buildFixture('basic'), 'index.html');
    const alternates = page.select('link', (e) => page.attr(e, 'rel') === 'alternate');
    expect(alternates.map((l) => [page.attr(l, 'hreflang'), page.attr(l, 'href')])).toEqual([
      ['en', 'https://news.example.org/en/'],
      ['uk', 'https://news.example.org/uk/'],
      ['ar', 'https://news.example.org/ar/'],
      ['x-default', 'https://news.example.org/'],
    ]);
  });
});

describe('drafts', () => {
  test('a draft shown (polyfeed dev, --drafts) is marked, in its language, on its page and its cards', async () => {
    const result = await buildFixture('basic', { drafts: true });
    const marks = (path: string) => {
      const page = dom(result, path);
      return page
        .select('mark', (e) => page.attr(e, 'class') === 'draft-mark')
        .map((e) => page.text(e));
    };
    // The Ukrainian draft, on its own pages and in the lists it is in.
    for (const path of [
      'uk/articles/chernetka/index.html',
      'uk/articles/chernetka/amp.html',
      'uk/index.html',
      'uk/sections/politics/index.html',
    ])
      expect(marks(path), path).toEqual(['Чернетка']);
    // Published articles carry none.
    expect(marks('en/index.html')).toEqual([]);
    expect(marks(ARTICLE)).toEqual([]);
  });

  test('a build without drafts has no draft mark anywhere', async () => {
    const result = await buildFixture('basic');
    expect(result.files.filter((f) => String(f.contents).includes('class="draft-mark"'))).toEqual(
      [],
    );
  });
});
