/**
 * What may travel, in the rights fixture: the agency photo (the lead image of one story)
 * and the agency picture in its body stay on the site's own pages and feeds, and are left
 * out of everything handed to others: partner feeds (where MSN's format can say so, the
 * photo is named with mi:hasSyndicationRights 0) and the HTML offered for republication.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import { buildFixture, FIXTURES, NOW } from './helpers.js';

const HARVEST = 'https://herald.example.org/media/grain-exports/harvest.png';
const PORT = 'https://herald.example.org/media/grain-exports/port.png';
const MAP = 'https://herald.example.org/media/grain-exports/route-map.png';
const GRAIN_EN =
  'en/articles/grain-exports-through-black-sea-ports-reach-a-two-year-high-as-new-routes-open/';

let result: BuildResult;
beforeAll(async () => {
  result = await buildFixture('rights');
});

const text = (path: string) => {
  const file = result.files.find((f) => f.path === path);
  if (!file) throw new Error(`${path} was not written`);
  return String(file.contents);
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['item', 'entry', 'media:content', 'enclosure'].includes(name),
});

// biome-ignore lint/suspicious/noExplicitAny: parsed XML
type Node = Record<string, any>;

describe('partner feeds', () => {
  test('carry neither agency image, in any partner format', () => {
    const feeds = result.files.filter((f) => f.path.startsWith('partners/'));
    expect(feeds.length).toBe(8);
    for (const feed of feeds) {
      const xml = String(feed.contents);
      expect(xml, feed.path).not.toContain(PORT);
      const parsed = parser.parse(xml) as Node;
      const items: Node[] = parsed.rss?.channel.item ?? parsed.feed?.entry ?? [];
      for (const item of items) {
        // No enclosure, no body image and no Media RSS image of the agency photo that a
        // partner would show.
        expect(JSON.stringify(item.enclosure ?? []), feed.path).not.toContain(HARVEST);
        const body = String(
          item['content:encoded'] ?? item.content?.['#text'] ?? item.content ?? '',
        );
        expect(body, feed.path).not.toContain(HARVEST);
        for (const media of item['media:content'] ?? []) {
          if (media['@url'] !== HARVEST) continue;
          // Only MSN's format names it, to say it may not be shown.
          expect(media['mi:hasSyndicationRights'], feed.path).toBe(0);
        }
      }
    }
  });

  test("MSN's format names the photo with mi:hasSyndicationRights 0; the others leave it out", () => {
    const msn = parser.parse(text('partners/msn/en.xml')) as Node;
    const grain = (msn.rss.channel.item as Node[])[0] as Node;
    expect(grain.title).toContain('Grain exports');
    expect(grain['media:content']).toEqual([
      {
        '@url': HARVEST,
        '@type': 'image/png',
        '@medium': 'image',
        'mi:hasSyndicationRights': 0,
      },
    ]);
    expect(grain['mi:hasSyndicationRights']).toBe(1);
    expect(grain['content:encoded']).toContain(MAP);
    const flipboard = text('partners/flipboard/en.xml');
    expect(flipboard).not.toContain(HARVEST);
    expect(flipboard).toContain(MAP);
  });

  test("the site's own feeds keep both images: the rights are about passing them on", () => {
    const own = text('en/rss.xml');
    expect(own).toContain(HARVEST);
    expect(own).toContain(PORT);
  });
});

describe('the republish dialog', () => {
  const templateOf = (path: string) => {
    const match = /<template id="republish-html">([\s\S]*?)<\/template>/.exec(text(path));
    return match?.[1];
  };

  test('offers the story without the agency images, with the credit line and the tracking image', () => {
    const html = templateOf(`${GRAIN_EN}index.html`) as string;
    expect(html).toBeDefined();
    expect(html).not.toContain(HARVEST);
    expect(html).not.toContain(PORT);
    expect(html).toContain(MAP);
    expect(html).toContain(
      `<a href="https://herald.example.org/${GRAIN_EN}">Dnipro Herald</a> on 2 December 2024`,
    );
    expect(html).toContain(
      '<img src="https://herald.example.org/api/typo-reports/republished.gif?story=grain-exports&amp;lang=en" width="1" height="1" alt=""',
    );
    expect(html).toContain(
      '<a href="https://creativecommons.org/licenses/by-nd/4.0/" rel="license">CC BY-ND 4.0</a>',
    );
    expect(text(`${GRAIN_EN}index.html`)).toContain('Images we may not pass on are left out.');
  });

  test('the Arabic version is offered in Arabic, right to left', () => {
    const html = templateOf(
      'ar/articles/sadrat-alhbwb-ebr-mwany-albhr-alaswd-tblgh-aela-mstwa-lha-mndh-eamyn/index.html',
    ) as string;
    expect(html).toContain('<article lang="ar" dir="rtl">');
    expect(html).toContain('نُشرت هذه القصة أولًا في');
    expect(html).toContain('story=grain-exports&amp;lang=ar');
  });

  test('an article that opts out has no dialog on its page, and no link on its AMP page', () => {
    const path = 'en/articles/council-approves-the-2025-budget/';
    expect(templateOf(`${path}index.html`)).toBeUndefined();
    expect(text(`${path}index.html`)).not.toContain('data-republish-open');
    expect(text(`${path}amp.html`)).not.toContain('#republish');
    expect(text(`${GRAIN_EN}amp.html`)).toContain(
      `href="https://herald.example.org/${GRAIN_EN}#republish"`,
    );
  });
});

describe('the warning about an image that may not be passed on', () => {
  /** The rights fixture, its site.yaml without partners, ninjs or republishing, plus `more`. */
  async function warnings(more: string): Promise<string[]> {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-unsyndicated-'));
    cpSync(join(FIXTURES, 'rights'), site, { recursive: true });
    const config = join(site, 'site.yaml');
    const yaml = readFileSync(config, 'utf8');
    writeFileSync(
      config,
      `${yaml.slice(0, yaml.indexOf('partners:')).replace('  republish: true\n', '')}pages:\n  ninjs: false\n${more}`,
    );
    const built = await build(site, { now: NOW, drafts: false, strict: false });
    return built.diagnostics
      .filter((d) => d.code === 'rights/image-not-syndicated')
      .map((d) => `${d.file}:${d.line}: ${d.field}: ${d.message}`);
  }

  test('is not made where nothing would pass the image on', async () => {
    expect(await warnings('')).toEqual([]);
  });

  test('names what would, at the first file (by name) of a language something passes on', async () => {
    // A partner of English summaries: the lead photo would travel as its enclosure, the
    // body's picture not at all.
    const partner = 'partners:\n  - { id: p, name: P, languages: [en], content: summary }\n';
    expect(await warnings(partner)).toEqual([
      'articles/grain-exports/en.md:14: image.rights.syndication: harvest.png may not be passed on: it is left out of partner feeds',
    ]);
  });
});
