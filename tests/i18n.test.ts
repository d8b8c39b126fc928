/**
 * Localization across whole builds: a pseudo-locale proves that no UI text is hard-coded,
 * --strict turns missing translations into errors, and i18n-check reports coverage.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRssFeed } from 'feedsmith';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, test } from 'vitest';
import { build } from '../src/build.js';
import { formatDiagnostics } from '../src/diagnostics.js';
import { checkI18n } from '../src/i18n/check-i18n.js';
import { buildFixture, FIXTURES, NOW, REPO } from './helpers.js';

type Node = DefaultTreeAdapterMap['node'];

const ACCENTS: Record<string, string> = Object.fromEntries(
  [...'abcdeghiklnorstuwyzABCDEGHIKLNORSTUWYZ'].map((c, i) => [
    c,
    [...'àƀçđéĝĥîķļñöŕšţûŵýžÀƁÇĐÉĜĤÎĶĻÑÖŔŠŢÛŴÝŽ'][i] ?? c,
  ]),
);

/** "Latest news" → "[Ļàţéšţ ñéŵš]"; `{{placeholders}}` are kept; date patterns are quoted. */
function pseudo(value: string, key: string): string {
  if (key.startsWith('format.')) return `'['${value}']'`;
  const accented = value
    .split(/(\{\{[^}]*\}\})/)
    .map((part) =>
      part.startsWith('{{') ? part : part.replace(/[a-zA-Z]/g, (c) => ACCENTS[c] ?? c),
    );
  return `[${accented.join('')}]`;
}

function pseudoTree(tree: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).map(([key, value]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      return [
        key,
        typeof value === 'string'
          ? pseudo(value, path)
          : pseudoTree(value as Record<string, unknown>, path),
      ];
    }),
  );
}

/** Text a reader sees: text nodes and the attributes browsers show, minus mustache tags. */
function visibleText(html: string): string[] {
  const out: string[] = [];
  // Text nodes run together: a pseudo string may be split by markup, "[<a>X</a> reports this.]".
  let text = '';
  const walk = (node: Node) => {
    if ('value' in node && node.nodeName === '#text') text += node.value;
    if (!('tagName' in node)) {
      if ('childNodes' in node) for (const c of node.childNodes) walk(c as Node);
      return;
    }
    if (node.tagName === 'script' || node.tagName === 'style' || node.tagName === 'noscript')
      return;
    for (const { name, value } of node.attrs)
      if (['alt', 'title', 'placeholder', 'aria-label'].includes(name)) out.push(value);
    if (
      node.tagName === 'meta' &&
      node.attrs.some((a) => a.name === 'name' && a.value === 'description')
    ) {
      out.push(node.attrs.find((a) => a.name === 'content')?.value ?? '');
    }
    const children =
      node.tagName === 'template' && 'content' in node ? node.content.childNodes : node.childNodes;
    for (const c of children) walk(c as Node);
  };
  walk(parse(html) as unknown as Node);
  return [text, ...out].map((t) => t.replace(/\{\{[^}]*\}\}/g, ''));
}

/** Latin letters outside [pseudo-localized] brackets: text that did not go through t(). */
function leaks(texts: string[]): string[] {
  const unwrap = (text: string): string => {
    // Innermost first: a pseudo string may hold another, "[[Site] is a newsroom]".
    const next = text.replace(/\[[^[\]]*\]/g, '');
    return next === text ? text : unwrap(next);
  };
  return texts.map(unwrap).filter((text) => /[A-Za-z]/.test(text));
}

describe('pseudo-localization', () => {
  test('every UI string in every page and feed comes from the locale files', async () => {
    // The fixture's articles are Cyrillic, so any Latin letter left after removing the
    // pseudo-localized [brackets] is UI text that bypassed the locale files.
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-pseudo-'));
    cpSync(join(FIXTURES, 'pseudo-locale'), site, { recursive: true });
    for (const ns of ['common', 'typo', 'rights']) {
      const english = JSON.parse(
        readFileSync(join(REPO, 'locales', 'en', `${ns}.json`), 'utf8'),
      ) as Record<string, unknown>;
      mkdirSync(join(site, 'locales', 'en'), { recursive: true });
      writeFileSync(
        join(site, 'locales', 'en', `${ns}.json`),
        JSON.stringify(pseudoTree(english), null, 2),
      );
    }
    const result = await build(site, { now: NOW, drafts: false, strict: true });
    expect(formatDiagnostics(result.diagnostics)).toBe('');

    const pages = result.files.filter((f) => f.path.endsWith('.html'));
    expect(pages.map((p) => p.path)).toEqual(
      expect.arrayContaining(['index.html', 'en/index.html']),
    );
    const article = pages.find((p) => p.path.includes('/articles/'));
    expect(visibleText(String(article?.contents))[0]).toContain(
      pseudo('Report a typo', 'typo:button'),
    );
    // The "Republish this story" dialog, and the HTML it offers (in its <template>).
    const canonical = pages.find((p) => /\/articles\/[^/]+\/index\.html$/.test(p.path));
    expect(visibleText(String(canonical?.contents))[0]).toContain(
      pseudo('Republish this story', 'rights:title'),
    );
    expect(String(canonical?.contents)).toContain('<template id="republish-html">');
    for (const page of pages)
      expect(leaks(visibleText(String(page.contents))), page.path).toEqual([]);

    for (const file of result.files.filter((f) => f.path.endsWith('rss.xml'))) {
      const feed = parseRssFeed(String(file.contents));
      const texts = [feed.title ?? '', feed.description ?? ''];
      for (const item of feed.items ?? []) {
        texts.push(...(item.categories ?? []).map((c) => c.name ?? ''));
        texts.push(...visibleText(item.content?.encoded ?? ''));
      }
      expect(leaks(texts), file.path).toEqual([]);
    }
  });
});

describe('missing translations', () => {
  test('fall back to the default language with a warning', async () => {
    const result = await buildFixture('missing-translation');
    expect(formatDiagnostics(result.diagnostics)).toBe(
      'locales/uk/common.json: warning: footer.note: is missing; the English text is used [i18n/missing-key]\n',
    );
    const page = String(result.files.find((f) => f.path === 'uk/index.html')?.contents);
    expect(page).toContain('<p>Corrections: corrections@news.example.org</p>');
  });

  test('are errors with --strict, and nothing is built', async () => {
    const result = await buildFixture('missing-translation', { strict: true });
    expect(formatDiagnostics(result.diagnostics)).toBe(
      'locales/uk/common.json: error: footer.note: is missing; the English text is used [i18n/missing-key]\n',
    );
    expect(result.files).toEqual([]);
  });
});

describe('i18n-check', () => {
  test('the sample site is clean', async () => {
    const report = await checkI18n(REPO);
    expect(report.clean).toBe(true);
    expect(report.text).toContain('  uk     complete');
    expect(report.text).toContain('  2024-09-02-school-year               ·   ✓   ·   ·');
    expect(report.text).toContain('24 stories: en 23, uk 21, de 10, ar 7');
  });

  test('lists what a locale lacks', async () => {
    const report = await checkI18n(join(FIXTURES, 'missing-translation'));
    expect(report.clean).toBe(false);
    expect(report.text).toContain('  uk     1 missing, 0 extra, 0 empty');
    expect(report.text).toContain('locales/uk/common.json: warning: footer.note: is missing');
  });
});
