/**
 * Every page of the sample site and of the fixtures, parsed with a real HTML parser
 * (parse5) and checked against the AMP HTML rules that our templates and article bodies
 * can break (https://amp.dev/documentation/guides-and-tutorials/learn/spec/amphtml/).
 * The official validator needs the network (`npm run validate:amp` runs it where it can).
 */
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { beforeAll, describe, expect, test } from 'vitest';
import { type BuildResult, build } from '../src/build.js';
import { attributeProblem } from './amp-rules.js';
import { buildFixture, REPO } from './helpers.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const RUNTIME = 'https://cdn.ampproject.org/v0.js';
const BOILERPLATE =
  'body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;-moz-animation:-amp-start 8s steps(1,end) 0s 1 normal both;-ms-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}@-webkit-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@-moz-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@-ms-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@-o-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}';
const NOSCRIPT_BOILERPLATE =
  'body{-webkit-animation:none;-moz-animation:none;-ms-animation:none;animation:none}';

/** HTML elements AMP allows as they are (the subset our pages and article bodies may use). */
const ALLOWED = new Set(
  (
    'html head body title meta link style script noscript template main header footer nav section article aside ' +
    'h1 h2 h3 h4 h5 h6 p br hr blockquote ul ol li dl dt dd strong em b i u s del ins mark small sub sup code pre kbd ' +
    'q cite abbr dfn time span div a figure figcaption table caption thead tbody tfoot tr th td label textarea input ' +
    'button form'
  ).split(' '),
);
/** Built into the AMP runtime: no extension script. */
const BUILT_IN = new Set(['amp-img', 'amp-pixel', 'amp-layout']);
const FORBIDDEN_INPUT_TYPES = new Set(['button', 'file', 'image', 'password']);

interface Page {
  path: string;
  html: string;
}
const pages: Page[] = [];
const canonical: Page[] = [];
/** Stylesheets the builds wrote, by `prefix|path`. */
const stylesheets = new Map<string, string>();

beforeAll(async () => {
  const collect = (prefix: string, result: BuildResult) => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const file of result.files) {
      if (file.path.endsWith('.css'))
        stylesheets.set(`${prefix.replace(':', '')}|${file.path}`, String(file.contents));
      if (!file.path.endsWith('.html')) continue;
      const page = { path: `${prefix}${file.path}`, html: String(file.contents) };
      // Canonical article pages are plain HTML; the AMP pages are everything else.
      if (/^<html ⚡/m.test(page.html)) pages.push(page);
      else canonical.push(page);
    }
  };
  collect(
    '',
    await build(REPO, { now: new Date('2026-01-01T00:00:00Z'), drafts: false, strict: false }),
  );
  collect('basic:', await buildFixture('basic'));
  collect('hostile-content:', await buildFixture('hostile-content'));
});

function elements(node: Node): Element[] {
  const out: Element[] = [];
  const walk = (n: Node) => {
    if ('tagName' in n) out.push(n);
    const children =
      'content' in n && n.tagName === 'template'
        ? n.content.childNodes
        : 'childNodes' in n
          ? n.childNodes
          : [];
    for (const child of children) walk(child as Node);
  };
  walk(node);
  return out;
}

function ancestorsOf(element: Element): string[] {
  const names: string[] = [];
  for (let node = element.parentNode; node && 'tagName' in node; node = node.parentNode)
    names.push(node.tagName);
  return names;
}

const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
const textOf = (element: Element) =>
  element.childNodes.map((c) => ('value' in c ? c.value : '')).join('');

/** The AMP rules a page breaks; empty when it passes. */
function ampProblems(html: string): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(message);
  if (!/^<!doctype html>/i.test(html)) fail('no <!doctype html> first');
  const document = parse(html);
  const all = elements(document);
  const root = all.find((e) => e.tagName === 'html');
  if (!root || !(attr(root, '⚡') !== undefined || attr(root, 'amp') !== undefined))
    fail('<html> lacks ⚡');
  if (!root || !attr(root, 'lang')) fail('<html> lacks lang');
  if (!root || !['ltr', 'rtl'].includes(attr(root, 'dir') ?? '')) fail('<html> lacks dir');
  const head = all.find((e) => e.tagName === 'head');
  const headChildren = head ? head.childNodes.filter((n): n is Element => 'tagName' in n) : [];
  if (
    headChildren[0]?.tagName !== 'meta' ||
    attr(headChildren[0], 'charset')?.toLowerCase() !== 'utf-8'
  )
    fail('<meta charset="utf-8"> is not first in <head>');
  const inHead = new Set(head ? elements(head) : []);

  const scripts = all.filter((e) => e.tagName === 'script');
  const runtime = scripts.filter((s) => attr(s, 'src') === RUNTIME);
  if (runtime.length !== 1 || attr(runtime[0] as Element, 'async') === undefined)
    fail('needs one async AMP runtime script');
  const extensions = new Map<string, Element>();
  for (const script of scripts) {
    const src = attr(script, 'src');
    const type = attr(script, 'type');
    if (src === RUNTIME) continue;
    if (type === 'application/ld+json') {
      JSON.parse(textOf(script));
      continue;
    }
    const name = attr(script, 'custom-element') ?? attr(script, 'custom-template');
    const expected = new RegExp(`^https://cdn\\.ampproject\\.org/v0/${name}-\\d+\\.\\d+\\.js$`);
    if (!name || !src || !expected.test(src) || attr(script, 'async') === undefined) {
      fail(`author script not allowed: ${src ?? textOf(script).slice(0, 40)}`);
    } else if (!inHead.has(script)) {
      fail(`extension script for ${name} outside <head>`);
    } else {
      extensions.set(name, script);
    }
  }
  if (
    !all.some(
      (e) =>
        e.tagName === 'link' &&
        attr(e, 'rel') === 'canonical' &&
        /^https?:\/\//.test(attr(e, 'href') ?? ''),
    )
  )
    fail('no absolute <link rel="canonical">');
  if (
    !all.some(
      (e) =>
        e.tagName === 'meta' &&
        attr(e, 'name') === 'viewport' &&
        /width=device-width/.test(attr(e, 'content') ?? ''),
    )
  )
    fail('no viewport meta');

  const styles = all.filter((e) => e.tagName === 'style');
  const boilerplate = styles
    .filter((s) => attr(s, 'amp-boilerplate') !== undefined)
    .map((s) => textOf(s).trim());
  if (!boilerplate.includes(BOILERPLATE)) fail('the amp-boilerplate style is missing or altered');
  if (!html.includes(`<noscript><style amp-boilerplate>${NOSCRIPT_BOILERPLATE}</style></noscript>`))
    fail('the noscript boilerplate is missing or altered');
  const custom = styles.filter((s) => attr(s, 'amp-custom') !== undefined);
  if (custom.length > 1) fail('more than one <style amp-custom>');
  for (const style of custom) {
    const css = textOf(style);
    if (!inHead.has(style)) fail('<style amp-custom> outside <head>');
    if (Buffer.byteLength(css) > 75_000) fail('<style amp-custom> over 75,000 bytes');
    if (/!important|@import|i-amphtml-|behavior\s*:|-moz-binding/i.test(css))
      fail('CSS uses something AMP forbids');
  }
  for (const style of styles)
    if (attr(style, 'amp-custom') === undefined && attr(style, 'amp-boilerplate') === undefined)
      fail('a <style> that is neither amp-custom nor amp-boilerplate');

  const ids = new Set<string>();
  const usedComponents = new Set<string>();
  for (const element of all) {
    const tag = element.tagName;
    if (tag.startsWith('amp-')) {
      if (!BUILT_IN.has(tag)) {
        usedComponents.add(tag);
        if (!extensions.has(tag)) fail(`<${tag}> without its extension script`);
      }
    } else if (!ALLOWED.has(tag)) {
      fail(`<${tag}> is not allowed in AMP`);
    }
    for (const { name, value } of element.attrs) {
      const ruleProblem = attributeProblem(tag, name, value);
      if (ruleProblem) fail(ruleProblem);
      if (name.startsWith('on') && name !== 'on') fail(`<${tag} ${name}>: event handler attribute`);
      if (name === 'style') fail(`<${tag} style>: inline style`);
      if (name.startsWith('i-amphtml-') || (name === 'class' && /(^|\s)-?i-amphtml-/.test(value)))
        fail(`<${tag}>: i-amphtml- is reserved`);
      if (
        ['href', 'src', 'action-xhr'].includes(name) &&
        /^\s*(javascript|vbscript|data):/i.test(value)
      )
        fail(`<${tag} ${name}="${value}">`);
      if (name === 'id') {
        if (ids.has(value)) fail(`duplicate id "${value}"`);
        ids.add(value);
      }
    }
    if (tag === 'amp-img') {
      const width = Number(attr(element, 'width'));
      const height = Number(attr(element, 'height'));
      if (!(width > 0 && height > 0)) fail('<amp-img> without width and height');
      if (attr(element, 'layout') !== 'responsive') fail('<amp-img> is not layout="responsive"');
      if (!attr(element, 'src')) fail('<amp-img> without src');
      if (attr(element, 'alt') === undefined) fail('<amp-img> without alt');
    }
    if (tag === 'link' && attr(element, 'rel') === 'stylesheet') fail('external stylesheet');
    if (tag === 'input' && FORBIDDEN_INPUT_TYPES.has(attr(element, 'type') ?? ''))
      fail(`<input type="${attr(element, 'type')}">`);
    if (tag === 'form') {
      usedComponents.add('amp-form');
      if (!extensions.has('amp-form')) fail('<form> without the amp-form extension');
      if ((attr(element, 'method') ?? 'get').toLowerCase() === 'post') {
        if (!/^https:\/\//.test(attr(element, 'action-xhr') ?? ''))
          fail('POST <form> needs an https action-xhr');
        if (attr(element, 'action') !== undefined) fail('POST <form> must not have action');
      }
      if (!['_blank', '_top'].includes(attr(element, 'target') ?? ''))
        fail('<form> target must be _blank or _top');
    }
    if (tag === 'template' && attr(element, 'type') === 'amp-mustache')
      usedComponents.add('amp-mustache');
    // The tag specs' ancestor rules and the global `on` trigger (see tests/amp-rules.ts).
    const ancestors = ancestorsOf(element);
    if (
      ['submit-success', 'submit-error', 'submitting'].some(
        (a) => attr(element, a) !== undefined,
      ) &&
      !ancestors.includes('form')
    )
      fail(`<${tag} submit-…> outside a <form>`);
    if (tag === 'template' && !ancestors.includes('body')) fail('<template> outside <body>');
    if (/^tap:/.test(attr(element, 'on') ?? '') && !['a', 'button'].includes(tag))
      if (attr(element, 'role') === undefined || attr(element, 'tabindex') === undefined)
        fail(`<${tag} on="tap:…"> needs role and tabindex`);
    if (
      tag === 'link' &&
      attr(element, 'rel')?.toLowerCase() === 'canonical' &&
      !inHead.has(element)
    )
      fail('<link rel="canonical"> outside <head>');
  }
  for (const name of extensions.keys())
    if (!usedComponents.has(name)) fail(`extension ${name} is loaded but not used`);
  return problems;
}

describe('AMP validity', () => {
  test('every page passes the AMP rules', () => {
    expect(pages.length).toBeGreaterThan(50);
    const failures = pages
      .map((page) => ({ page: page.path, problems: ampProblems(page.html) }))
      .filter((p) => p.problems.length);
    expect(failures).toEqual([]);
  });

  test('canonical and AMP article pages name each other', () => {
    expect(canonical.length).toBeGreaterThan(30);
    const byUrl = new Map(
      [...pages, ...canonical].map((p) => {
        const [prefix = '', path = ''] = p.path.includes(':') ? p.path.split(':') : ['', p.path];
        const base = prefix ? 'https://news.example.org/' : 'https://herald.example.org/';
        return [`${prefix}|${base}${path.replace(/index\.html$/, '')}`, p];
      }),
    );
    for (const page of canonical) {
      expect(page.path).toMatch(/\/articles\/[^/]+\/index\.html$/);
      const all = elements(parse(page.html));
      const link = (rel: string) => all.find((e) => e.tagName === 'link' && attr(e, 'rel') === rel);
      const prefix = page.path.includes(':') ? page.path.split(':')[0] : '';
      const amp = byUrl.get(`${prefix}|${attr(link('amphtml') as Element, 'href')}`);
      expect(amp, page.path).toBeDefined();
      // The AMP page's canonical link leads back to this page.
      const back = elements(parse(amp?.html ?? '')).find(
        (e) => e.tagName === 'link' && attr(e, 'rel') === 'canonical',
      );
      expect(byUrl.get(`${prefix}|${attr(back as Element, 'href')}`)).toBe(page);
      // Plain HTML: no AMP runtime, and no author script but the typo reporter and the
      // "Republish this story" dialog.
      const scripts = all
        .filter((e) => e.tagName === 'script' && attr(e, 'type') !== 'application/ld+json')
        .map((e) => attr(e, 'src'));
      expect(
        scripts.every((src) => /\/assets\/polyfeed\/(typo-report|republish)\.js$/.test(src ?? '')),
        page.path,
      ).toBe(true);
      // The stylesheet is a file of the build, with the AMP page's inline CSS in it.
      const sheets = all.filter((e) => e.tagName === 'link' && attr(e, 'rel') === 'stylesheet');
      expect(sheets, page.path).toHaveLength(1);
      expect(all.some((e) => e.tagName === 'style')).toBe(false);
      const href = new URL(attr(sheets[0] as Element, 'href') ?? '').pathname.slice(1);
      const inline = elements(parse(amp?.html ?? '')).find(
        (e) => e.tagName === 'style' && e.attrs.some((a) => a.name === 'amp-custom'),
      );
      expect(stylesheets.get(`${prefix}|${href}`), page.path).toBe(textOf(inline as Element));
    }
  });

  test('the checker itself catches what AMP forbids', () => {
    const page = pages.find((p) => p.path.includes('/articles/'));
    if (!page) throw new Error('no article page');
    const broken = (from: string, to: string) => {
      expect(page.html).toContain(from);
      return ampProblems(page.html.replace(from, to));
    };
    expect(broken('<amp-img ', '<img ')).toContain('<img> is not allowed in AMP');
    expect(broken('<p class="kicker">', '<p class="kicker" style="color:red">')).toContain(
      '<p style>: inline style',
    );
    expect(broken('<p class="kicker">', '<p class="kicker" onclick="x()">')).toContain(
      '<p onclick>: event handler attribute',
    );
    expect(broken('</main>', '<script>alert(1)</script></main>')).toContain(
      'author script not allowed: alert(1)',
    );
    expect(broken('<meta name="viewport" content="width=device-width">', '')).toContain(
      'no viewport meta',
    );
    expect(broken('layout="responsive"', 'layout="fixed"')).toContain(
      '<amp-img> is not layout="responsive"',
    );
    expect(broken('animation:-amp-start 8s', 'animation:-amp-start 9s')).toContain(
      'the amp-boilerplate style is missing or altered',
    );
    expect(broken('custom-element="amp-lightbox"', 'custom-element="amp-carousel"')).toContain(
      '<amp-lightbox> without its extension script',
    );
    // Attribute values, as the validator's rules give them (tests/amp-rules.ts).
    expect(broken('<a class="skip"', '<a type="application/atom+xml" class="skip"')).toContain(
      '<a type="application/atom+xml">: allowed values are "text/html", "application/rss+xml"',
    );
    expect(broken('<a class="skip"', '<a target="_parent" class="skip"')).toContain(
      '<a target="_parent">: allowed values are "_blank", "_self", "_top"',
    );
    expect(broken('layout="nodisplay"', 'layout="fixed"')).toContain(
      '<amp-lightbox layout="fixed">: allowed values are "nodisplay"',
    );
    expect(broken('<p class="kicker">', '<p class="kicker" frameborder="0">')).toContain(
      '<p frameborder>: the attribute is not allowed on <p>',
    );
    expect(broken('method="post"', 'method="post" action="https://x.example/"')).toContain(
      '<form action>: the attribute is not allowed on <form>',
    );
    expect(broken('<p class="kicker">', '<p class="kicker" id="innerHTML">')).toContain(
      '<p id="innerHTML">: a disallowed value',
    );
    expect(broken('<p class="kicker">', '<p class="kicker" on="tap:typo-dialog">')).toContain(
      '<p on="tap:…"> needs role and tabindex',
    );
  });
});
