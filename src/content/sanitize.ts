/**
 * The HTML allowlist every article body passes through, and the check that turns hostile
 * markup in a Markdown source into an error the newsroom sees (sanitizing alone would
 * drop it silently). Only this module imports sanitize-html and htmlparser2.
 */
import { Parser } from 'htmlparser2';
import sanitize from 'sanitize-html';

/** Elements whose presence in an article is an attack or a broken embed, never news text. */
const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'base',
  'link',
  'meta',
  'svg',
  'math',
  'template',
  'noscript',
]);
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'poster',
  'cite',
  'background',
]);
const SAFE_SCHEMES = ['http', 'https', 'mailto', 'tel'];
const SCRIPT_URL = /^\s*(?:javascript|vbscript|data)\s*:/i;

/** One problem in a raw HTML fragment; `line` counts from 0 within the fragment. */
export interface HtmlProblem {
  line: number;
  message: string;
}

/** Finds script elements, event handlers, inline styles and script URLs in raw HTML. */
export function findForbiddenHtml(html: string): HtmlProblem[] {
  const problems: HtmlProblem[] = [];
  const parser: Parser = new Parser(
    {
      onopentag(name, attributes) {
        const line = countLines(html, parser.startIndex);
        if (FORBIDDEN_ELEMENTS.has(name)) {
          problems.push({
            line,
            message: `<${name}> is not allowed in an article (it would run code or break feeds and AMP pages)`,
          });
        }
        if (name === 'img' && !(attributes.width && attributes.height)) {
          problems.push({
            line,
            message:
              '<img> needs width and height attributes (pages reserve its space before it loads)',
          });
        }
        for (const [attribute, value] of Object.entries(attributes)) {
          if (attribute.startsWith('on')) {
            problems.push({
              line,
              message: `the ${attribute} attribute of <${name}> is not allowed (event handlers run code)`,
            });
          } else if (attribute === 'style') {
            problems.push({
              line,
              message: `the style attribute of <${name}> is not allowed (AMP forbids inline styles)`,
            });
          } else if (URL_ATTRIBUTES.has(attribute) && SCRIPT_URL.test(value)) {
            problems.push({
              line,
              message: `<${name} ${attribute}="${value.trim().slice(0, 40)}"> is not allowed: only http, https, mailto and tel links`,
            });
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return problems;
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Returns true when `url` uses a scheme we never emit, such as `javascript:`. */
export function isScriptUrl(url: string): boolean {
  return SCRIPT_URL.test(url);
}

const OPTIONS: sanitize.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'strong',
    'em',
    'b',
    'i',
    'u',
    's',
    'del',
    'ins',
    'mark',
    'small',
    'sub',
    'sup',
    'code',
    'pre',
    'kbd',
    'q',
    'cite',
    'abbr',
    'dfn',
    'time',
    'span',
    'a',
    'img',
    'figure',
    'figcaption',
    'aside',
    'table',
    'caption',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    '*': ['lang', 'dir'],
    a: ['href', 'title', 'hreflang'],
    img: ['src', 'alt', 'width', 'height', 'title'],
    abbr: ['title'],
    time: ['datetime'],
    ol: ['start', 'reversed'],
    blockquote: ['cite'],
    q: ['cite'],
    th: ['colspan', 'rowspan', 'scope'],
    td: ['colspan', 'rowspan'],
    aside: ['class'],
    p: ['class'],
  },
  allowedClasses: { aside: ['reference'], p: ['reference-label'] },
  allowedSchemes: SAFE_SCHEMES,
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Content of these goes with the element; text inside other unknown tags is kept.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'iframe',
    'object',
    'embed',
    'template',
    'svg',
    'math',
    'select',
    'button',
  ],
  // The page's <h1> is the headline, so body headings start at <h2>.
  transformTags: { h1: 'h2' },
};

/** Applies the article allowlist: what is not listed is removed. */
export function sanitizeBody(html: string): string {
  return sanitize(html, OPTIONS);
}

/**
 * A sanitized body cut down to the elements a partner accepts (it can only narrow the
 * article allowlist): the text of a dropped element stays, its markup goes.
 */
export function narrowBody(html: string, allowedTags: readonly string[]): string {
  const allowed = new Set(allowedTags);
  return sanitize(html, {
    ...OPTIONS,
    allowedTags: (OPTIONS.allowedTags || []).filter((tag) => allowed.has(tag)),
    transformTags: {},
  });
}

/**
 * Article HTML as AMP wants it: <img> becomes <amp-img layout="responsive"> with its size.
 * Everything else the allowlist lets through is valid AMP as it is. The input is the
 * allowlist's own output (attributes quoted and escaped, `<img … />`), so its images can be
 * rewritten without parsing the page again, which saved a second sanitizing pass per page.
 */
export function toAmpHtml(html: string): string {
  return html.replace(SANITIZED_IMG, (_img, attributes: string) =>
    // Every image has a size by now (the loader insists); one without could not be laid out.
    / width="/.test(attributes) && / height="/.test(attributes)
      ? `<amp-img${attributes} layout="responsive"></amp-img>`
      : '',
  );
}

const SANITIZED_IMG = /<img((?: [a-z-]+="[^"]*")*) \/>/g;

/**
 * A sanitized body without the images at `urls` (given as the body writes them, escaped),
 * and without the paragraph or figure each leaves empty; a figure keeps nothing of a
 * caption that described the image. Like toAmpHtml, it reads the allowlist's own output.
 */
export function withoutImages(html: string, urls: ReadonlySet<string>): string {
  if (!urls.size) return html;
  return html
    .replace(SANITIZED_IMG, (img, attributes: string) => {
      const src = / src="([^"]*)"/.exec(attributes)?.[1];
      return src !== undefined && urls.has(src) ? '' : img;
    })
    .replace(
      /<figure>\s*(?:<figcaption>(?:(?!<\/?figure)[\s\S])*<\/figcaption>\s*)?<\/figure>\n?/g,
      '',
    )
    .replace(/<p>\s*<\/p>\n?/g, '');
}

/**
 * XML 1.0 forbids these code points even escaped (C0 controls but tab and newlines, DEL,
 * U+FFFE/U+FFFF and unpaired surrogates); they never reach an output. Written as a string
 * because a regex literal with control characters reads as a mistake to linters and people.
 */
const XML_INVALID = new RegExp(
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F\\uFFFE\\uFFFF]' +
    '|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  'g',
);

export function findXmlInvalid(text: string): RegExpMatchArray[] {
  if (isXmlClean(text)) return [];
  return [...text.matchAll(XML_INVALID)];
}

// The common case (nothing to remove) is decided by two cheap scans instead of the
// lookaround-heavy pattern, which costs seconds over a site's worth of feeds.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const XML_INVALID_FAST = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/;

export function stripXmlInvalid(text: string): string {
  return isXmlClean(text) ? text : text.replace(XML_INVALID, '');
}

function isXmlClean(text: string): boolean {
  // isWellFormed (no lone surrogates) is in Node 20, though not in TypeScript's ES2023 lib.
  return (
    !XML_INVALID_FAST.test(text) && (text as string & { isWellFormed(): boolean }).isWellFormed()
  );
}
