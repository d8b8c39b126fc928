/**
 * Every link of the site to itself leads to a file the build wrote, read back with parse5
 * (pages), fast-xml-parser (feeds, sitemaps) and JSON.parse: with the default config, and
 * with section and tag lists and feed archives turned off, when nothing may link to them.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import { FIXTURES, NOW } from './helpers.js';

const BASE = 'https://news.example.org/';
/** The typo-report endpoint is a server's, not a file. */
const ENDPOINT = `${BASE}api/typo`;

async function buildBasic(edit: (yaml: string) => string): Promise<BuildResult> {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-links-'));
  cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
  const file = join(site, 'site.yaml');
  // One item per main feed, so that every language has archives to link to.
  writeFileSync(file, edit(readFileSync(file, 'utf8').replace('  items: 10', '  items: 1')));
  const result = await build(site, { now: NOW, drafts: false, strict: false });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result;
}

/** Every string in a parsed XML or JSON document, attributes included. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The site's own URLs each file links to, by file. */
function linksOf(result: BuildResult): Map<string, string[]> {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  const links = new Map<string, string[]>();
  for (const file of result.files) {
    const text = Buffer.from(file.contents).toString('utf8');
    let found: string[] = [];
    if (file.path.endsWith('.html')) {
      const walk = (node: DefaultTreeAdapterMap['node']): void => {
        if ('attrs' in node)
          for (const a of node.attrs)
            if (a.name === 'href' || a.name === 'src') found.push(a.value);
        if ('childNodes' in node) for (const child of node.childNodes) walk(child);
      };
      walk(parse(text));
    } else if (file.path.endsWith('.xml') || file.path.endsWith('.opml')) {
      found = strings(xml.parse(text));
    } else if (file.path.endsWith('.json')) {
      found = strings(JSON.parse(text));
    }
    links.set(
      file.path,
      found.filter((url) => url.startsWith(BASE) && !url.startsWith(ENDPOINT)),
    );
  }
  return links;
}

/** Links that lead to no written file, as `file → url`. */
function brokenLinks(result: BuildResult, links: Map<string, string[]>): string[] {
  const written = new Set([...result.files, ...result.assets].map((f) => f.path));
  const leads = (url: string) => {
    const path = decodeURI(url.slice(BASE.length).replace(/[?#].*$/, ''));
    return (
      written.has(path) ||
      written.has(`${path}index.html`) ||
      (path === '' && written.has('index.html'))
    );
  };
  return [...links].flatMap(([file, urls]) =>
    urls.filter((url) => !leads(url)).map((url) => `${file} → ${url}`),
  );
}

test('with the default config, every link of the site to itself leads to a file', async () => {
  const result = await buildBasic((yaml) => yaml);
  const links = linksOf(result);
  const all = [...links.values()].flat();
  // The check sees the lists and archives it is about.
  expect(all.some((url) => url.includes('/sections/'))).toBe(true);
  expect(all.some((url) => url.includes('/tags/'))).toBe(true);
  expect(all.some((url) => url.includes('/archive/'))).toBe(true);
  expect(all.length).toBeGreaterThan(500);
  expect(brokenLinks(result, links)).toEqual([]);
});

test('section and tag lists and feed archives can be turned off, and then nothing links to them', async () => {
  const full = await buildBasic((yaml) => yaml);
  const result = await buildBasic(
    (yaml) =>
      `${yaml.replace('  items: 1', '  items: 1\n  archives: false')}listings:\n  sections: false\n  tags: false\n`,
  );
  const lists = /\/(sections|tags|archive)\//;
  // The rest is written as before.
  expect(result.files.map((f) => f.path)).toEqual(
    full.files.map((f) => f.path).filter((path) => !lists.test(path)),
  );
  const links = linksOf(result);
  const all = [...links.values()].flat();
  expect(all.filter((url) => lists.test(url))).toEqual([]);
  expect(all.length).toBeGreaterThan(300);
  expect(brokenLinks(result, links)).toEqual([]);
  // An article still names its section and tags, as text.
  const page = result.files.find(
    (f) => f.path === 'en/articles/river-levels-rise-after-a-week-of-rain/index.html',
  );
  const html = Buffer.from(page?.contents ?? '').toString('utf8');
  expect(html).toMatch(/<p class="kicker">Politics<\/p>/);
  expect(html).toMatch(/<li>[^<]+<\/li>/);
});
