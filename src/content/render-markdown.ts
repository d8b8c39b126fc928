/**
 * Markdown → sanitized HTML for one article body. Only this module imports markdown-it.
 * It also gathers what the model needs from the body (first paragraph, word count, the
 * story-folder files it references) and reports hostile markup with its line.
 */
import MarkdownIt, { type PluginWithParams } from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import container from 'markdown-it-container';
import { findForbiddenHtml, isScriptUrl, sanitizeBody } from './sanitize.js';

/** A file of the story folder, as the body may reference it (`![Map](map.png)`). */
export interface StoryAsset {
  /** Absolute URL it is published at. */
  url: string;
  width?: number;
  height?: number;
}

export interface MarkdownContext {
  /** Localized heading of `::: reference` blocks ("For reference"). */
  referenceLabel: string;
  /** The site's base URL, for root-relative links. */
  baseUrl: string;
  /** Looks up a relative path in the story folder. */
  asset(path: string): StoryAsset | undefined;
}

export interface RenderedBody {
  html: string;
  /** Plain text of the first paragraph, for a summary the author did not write. */
  firstParagraph?: string;
  wordCount: number;
  /** Relative paths of the story-folder files the body uses. */
  assets: string[];
  /** Problems, with 0-based lines relative to the body's first line. */
  problems: { line: number; message: string }[];
}

// xhtmlOut: `<img … />`, `<br />`, as the sanitizer writes them (see keepsAsIs).
const md = new MarkdownIt({ html: true, xhtmlOut: true, linkify: false, typographer: false });
// The plugin's types are written against markdown-it's CommonJS typings; the runtime is the same.
md.use(container as unknown as PluginWithParams, 'reference', {
  render(tokens: Token[], index: number, _options: unknown, env: MarkdownContext) {
    return tokens[index]?.nesting === 1
      ? `<aside class="reference"><p class="reference-label">${md.utils.escapeHtml(env.referenceLabel)}</p>\n`
      : '</aside>\n';
  },
});

// Text escaped as the sanitizer writes it (a `"` in text stays a `"`), so that bodies
// which skip it come out the same.
md.renderer.rules.text = (tokens, index) => escapeText(tokens[index]?.content ?? '');
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

// A CDATA section written in a body is text an author meant to show (HTML has no CDATA, and
// the sanitizer dropped it without a word): it comes through escaped, as written.
const CDATA = /^<!\[CDATA\[/;
const renderHtmlBlock = md.renderer.rules.html_block;
const renderHtmlInline = md.renderer.rules.html_inline;
md.renderer.rules.html_block = (tokens, index, options, env, self) => {
  const content = tokens[index]?.content ?? '';
  if (CDATA.test(content)) return `<p>${escapeText(content.trimEnd())}</p>\n`;
  return renderHtmlBlock ? renderHtmlBlock(tokens, index, options, env, self) : content;
};
md.renderer.rules.html_inline = (tokens, index, options, env, self) => {
  const content = tokens[index]?.content ?? '';
  if (CDATA.test(content)) return escapeText(content);
  return renderHtmlInline ? renderHtmlInline(tokens, index, options, env, self) : content;
};

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

export function renderMarkdown(body: string, context: MarkdownContext): RenderedBody {
  const tokens = md.parse(body, context);
  const result: RenderedBody = { html: '', wordCount: 0, assets: [], problems: [] };
  let blockLine = 0;
  // Markdown alone renders only markup the allowlist keeps as it is; raw HTML, an h1, a
  // class, a style or an unusual URL scheme sends the body through the sanitizer.
  let needsSanitizing = false;
  for (const [i, token] of tokens.entries()) {
    if (token.map) blockLine = token.map[0];
    if (!needsSanitizing && !keepsAsIs(token)) needsSanitizing = true;
    if (token.type === 'html_block') checkHtml(token.content, blockLine, result);
    if (token.type !== 'inline') continue;
    if (result.firstParagraph === undefined && tokens[i - 1]?.type === 'paragraph_open') {
      const text = plainText(token).trim();
      if (text) result.firstParagraph = text;
    }
    for (const child of token.children ?? []) {
      if (child.type === 'text') result.wordCount += countWords(child.content);
      if (child.type === 'html_inline') checkHtml(child.content, blockLine, result);
      if (child.type === 'link_open') rewriteUrl(child, 'href', blockLine, context, result);
      if (child.type === 'image') rewriteUrl(child, 'src', blockLine, context, result);
      if (!needsSanitizing && !keepsAsIs(child)) needsSanitizing = true;
    }
    // markdown-it refuses `[x](javascript:…)` and leaves it as text: say so instead.
    if (/\]\(\s*(?:javascript|vbscript|data)\s*:/i.test(token.content)) {
      result.problems.push({
        line: blockLine,
        message: 'a link to a javascript:, vbscript: or data: URL is not allowed',
      });
    }
  }
  const html = md.renderer.render(tokens, md.options, context);
  // The sanitizer costs more than parsing the Markdown; render-markdown.test.ts checks that what skips it is
  // exactly what it would have returned.
  result.html = needsSanitizing ? sanitizeBody(html) : html;
  return result;
}

/** Attributes markdown-it writes that the allowlist keeps on every element it writes them on. */
const KEPT_ATTRIBUTES = new Set(['href', 'src', 'alt', 'title', 'width', 'height', 'start']);
const SAFE_URL = /^(?:https?:|mailto:|tel:|#)/i;

/** Whether the sanitizer would leave this token's markup exactly as markdown-it writes it. */
function keepsAsIs(token: Token): boolean {
  if (token.type === 'html_block' || token.type === 'html_inline') return false;
  if (token.tag === 'h1') return false;
  if ((token.type === 'fence' || token.type === 'code_block') && token.info.trim()) return false;
  // Code is escaped by markdown-it's own rules, which write `"` as &quot;.
  if (token.type.startsWith('code') || token.type === 'fence')
    if (token.content.includes('"')) return false;
  for (const [name, value] of token.attrs ?? []) {
    if (!KEPT_ATTRIBUTES.has(name)) return false;
    if ((name === 'href' || name === 'src') && !SAFE_URL.test(value)) return false;
  }
  return true;
}

function checkHtml(html: string, line: number, result: RenderedBody): void {
  for (const problem of findForbiddenHtml(html)) {
    result.problems.push({ line: line + problem.line, message: problem.message });
  }
}

/** Makes a URL absolute: story-folder files become media URLs, `/x` goes under baseUrl. */
function rewriteUrl(
  token: Token,
  attribute: 'href' | 'src',
  line: number,
  context: MarkdownContext,
  result: RenderedBody,
): void {
  const url = token.attrGet(attribute);
  if (!url || url.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(url)) {
    if (url && isScriptUrl(url)) {
      result.problems.push({ line, message: `${attribute} ${url} is not allowed` });
    } else if (url && token.type === 'image') {
      result.problems.push({
        line,
        message: `the remote image ${url} has no size: save it in the story folder, or write <img src="…" width="…" height="…" alt="…">`,
      });
    }
    return;
  }
  if (url.startsWith('//')) {
    result.problems.push({ line, message: `"${url}" has no scheme: write https://…` });
    return;
  }
  if (url.startsWith('/')) {
    token.attrSet(attribute, context.baseUrl + url.slice(1));
    return;
  }
  const path = decodeURI(url.split(/[?#]/)[0] ?? '');
  const asset = context.asset(path);
  if (!asset) {
    result.problems.push({
      line,
      message: `"${url}" is not a file in the story folder (use an absolute URL for other pages)`,
    });
    return;
  }
  result.assets.push(path);
  token.attrSet(attribute, asset.url);
  if (token.type === 'image' && asset.width && asset.height && !token.attrGet('width')) {
    token.attrSet('width', String(asset.width));
    token.attrSet('height', String(asset.height));
  }
}

function plainText(inline: Token): string {
  return (inline.children ?? [])
    .map((child) => {
      if (child.type === 'text' || child.type === 'code_inline') return child.content;
      if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
      return '';
    })
    .join('');
}

/**
 * Words as /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*\/gu counts them (letters and digits of
 * any script; "don't", "Ivano-Frankivsk" and "п’ять" are one word each), in one pass over
 * the text with a table of the Basic Multilingual Plane: the regular expression took a
 * fifth of the Markdown phase.
 */
export function countWords(text: string): number {
  const word = wordTable();
  let count = 0;
  // 0: outside a word, 1: in a word, 2: just after a joiner that follows a word.
  let state = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    let isWord: boolean;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      code = text.codePointAt(i) ?? code;
      if (code > 0xffff) i++;
      isWord = LETTER_OR_DIGIT.test(String.fromCodePoint(code));
    } else {
      isWord = word[code] === 1;
    }
    if (isWord) {
      if (state === 0) count++;
      state = 1;
    } else if (state === 1 && (code === 0x27 || code === 0x2019 || code === 0x2d)) {
      state = 2;
    } else {
      state = 0;
    }
  }
  return count;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
let table: Uint8Array | undefined;

/** 1 for each BMP code unit that is a letter or a digit (surrogates are looked at in pairs). */
function wordTable(): Uint8Array {
  if (table) return table;
  table = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    if (LETTER_OR_DIGIT.test(String.fromCharCode(code))) table[code] = 1;
  }
  return table;
}
