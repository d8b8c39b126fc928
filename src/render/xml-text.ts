/**
 * Editing the `feed` package's RSS and Atom as text, for what the package cannot write
 * (rss.ts, atom.ts, to-feed.ts). An item is made once per article version and reused by
 * every feed that lists it; parsing the package's output into a tree and building it back
 * took a third of that time, for edits to a handful of elements.
 *
 * Edits are made only at element boundaries, found by a scanner that knows the four things
 * the package writes (feed 6.0.0 through xml-js; tests/feed-package.test.ts pins them):
 * - start tags, whose attribute values are in double quotes with every `"` escaped: a `<`
 *   or `>` inside a value (an Atom category label keeps them raw) is passed over by
 *   matching the quotes;
 * - end tags;
 * - text, in which the package escapes `<`, so that any `<` outside CDATA starts markup;
 * - CDATA sections (titles, summaries, bodies), passed over whole: a section ends at the
 *   first `]]>`, so a `</title>` or `<item>` written inside one is content, never a
 *   boundary. The package splits the first `]]>` of a text across two sections, which
 *   scan as two; a second one would end its section early, but none reaches the package:
 *   to-feed.ts escapes titles and summaries, and bodies are sanitized HTML, in whose text
 *   and attribute values `>` is escaped.
 * The package writes each child of an item or channel on its own line, and an element
 * inserted here takes the line break and indentation of the one it follows.
 *
 * Three details keep the output what it was when items went through fast-xml-parser's
 * tree (the goldens pin it): line ends are normalized as an XML parser reads them, an
 * empty child is written `<name/>`, and the characters XML 1.0 cannot carry are removed.
 */
import { stripXmlInvalid } from '../content/sanitize.js';
import { escapeHtml as escapeXml } from '../escape.js';

/** An element the package wrote, split into the parts an edit touches. */
export interface ElementText {
  /** Its start tag, e.g. `<item>` or `<rss version="2.0" …>`. */
  startTag: string;
  children: ChildText[];
  /** What follows the last child: the line break and indentation, and the end tag. */
  end: string;
}

/** A child element, as text. */
export interface ChildText {
  name: string;
  /** The line break and indentation before it. */
  before: string;
  /** The element, from its start tag to the end of its end tag. */
  xml: string;
}

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const CDATA = '<![CDATA[';
/** A start tag, at lastIndex: its name, attributes in double quotes, and `/` if empty. */
const START_TAG = /<([^\s/>]+)(?:\s+[^\s="/>]+="[^"]*")*\s*(\/?)>/y;
/** One attribute of a start tag; a value holds no `"`, so they cannot overlap. */
const ATTRIBUTE = /\s([^\s="/>]+)="([^"]*)"/g;

/**
 * The first element `name` of a document the package wrote, split into its children. Only
 * the XML declaration and, for an item, its channel's own elements come before it, and
 * those hold text without CDATA (the package writes CDATA in items only): their every `<`
 * is markup. Line ends are normalized first, as an XML parser reads them (XML 1.0 §2.11).
 */
export function packageElement(xml: string, name: string): ElementText {
  const text = xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml;
  for (let at = text.indexOf(`<${name}`); at >= 0; at = text.indexOf(`<${name}`, at + 1)) {
    const next = text[at + name.length + 1];
    if (next === '>' || next === ' ' || next === '/') return splitElement(text, at);
  }
  throw new Error(`the feed package wrote no <${name}>`);
}

/** The element whose start tag is at `at` of `xml`, split into its children. */
export function splitElement(xml: string, at = 0): ElementText {
  const start = startTagAt(xml, at);
  const children: ChildText[] = [];
  if (start.empty) return { startTag: start.tag, children, end: '' };
  let from = at + start.tag.length;
  for (;;) {
    const next = find(xml, '<', from);
    if (xml.startsWith('</', next))
      return { startTag: start.tag, children, end: xml.slice(from, find(xml, '>', next) + 1) };
    const child = startTagAt(xml, next);
    const to = elementEnd(xml, next);
    // An empty child written `<c></c>` (xml-js does so for RSS text that is empty) becomes
    // `<c/>`, as fast-xml-parser's builder wrote it.
    const xmlOf =
      to - next === child.tag.length + child.name.length + 3
        ? `${child.tag.slice(0, -1)}/>`
        : xml.slice(next, to);
    children.push({ name: child.name, before: xml.slice(from, next), xml: xmlOf });
    from = to;
  }
}

/** The element as text, without the characters XML 1.0 cannot carry (the package keeps them). */
export function writeElement(element: ElementText): string {
  let xml = element.startTag;
  for (const child of element.children) xml += child.before + child.xml;
  return stripXmlInvalid(xml + element.end);
}

/** A whole document whose root is `root`. */
export function writeDocument(root: ElementText): string {
  return `${DECLARATION}\n${writeElement(root)}\n`;
}

/** The children named `name`. */
export function childrenNamed(element: ElementText, name: string): ChildText[] {
  return element.children.filter((child) => child.name === name);
}

/** Makes the first child `name` hold the text `value` and nothing else. */
export function setText(element: ElementText, name: string, value: string): void {
  const child = element.children.find((c) => c.name === name);
  if (!child) return;
  const { tag, name: tagName, empty } = startTagAt(child.xml, 0);
  const open = tag.slice(0, empty ? -2 : -1);
  const content = escapeXml(value);
  child.xml = content ? `${open}>${content}</${tagName}>` : `${open}/>`;
}

/**
 * Inserts `elements` after the last child `name` (or the last child), each on its own
 * line, indented as that child is.
 */
export function insertAfter(element: ElementText, name: string, elements: readonly string[]): void {
  if (!elements.length) return;
  const { children } = element;
  const last = children.findLastIndex((child) => child.name === name);
  const at = last < 0 ? children.length - 1 : last;
  const before = children[at]?.before ?? '';
  const added = elements.map((xml) => ({ name: startTagAt(xml, 0).name, before, xml }));
  children.splice(at + 1, 0, ...added);
}

/** Removes the children named `name`, with the line break and indentation before each. */
export function removeChildren(element: ElementText, name: string): void {
  element.children = element.children.filter((child) => child.name !== name);
}

/** The attribute `name` of the start tag `xml` begins with, escaped as it is written. */
export function attributeOf(xml: string, name: string): string | undefined {
  return attributesOf(startTagAt(xml, 0).tag).get(name);
}

/**
 * `xml` (an element or a start tag) with `attributes` set on its start tag: one it has
 * keeps its place, a new one goes last.
 */
export function withAttributes(xml: string, attributes: Record<string, string>): string {
  return editAttributes(xml, (values) => {
    for (const [key, value] of Object.entries(attributes)) values.set(key, escapeXml(value));
  });
}

/** `xml` with a "<" or ">" left raw in its start tag's attribute `name` escaped. */
export function escapeAngleBrackets(xml: string, name: string): string {
  const value = attributeOf(xml, name);
  if (!value || !/[<>]/.test(value)) return xml;
  return editAttributes(xml, (values) =>
    values.set(name, value.replaceAll('<', '&lt;').replaceAll('>', '&gt;')),
  );
}

/** A new element holding `content` (XML text, already escaped), or empty: `<name/>`. */
export function xmlElement(
  name: string,
  attributes: Record<string, string | number | undefined> = {},
  content = '',
): string {
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(attributes))
    if (value !== undefined) values.set(key, escapeXml(String(value)));
  const attrs = attributesText(values);
  return content ? `<${name}${attrs}>${content}</${name}>` : `<${name}${attrs}/>`;
}

/** A new element holding only the text `value`, e.g. `<dc:creator>Name</dc:creator>`. */
export function xmlTextElement(
  name: string,
  value: string,
  attributes: Record<string, string | undefined> = {},
): string {
  return xmlElement(name, attributes, escapeXml(value));
}

function startTagAt(xml: string, at: number): { tag: string; name: string; empty: boolean } {
  START_TAG.lastIndex = at;
  const match = START_TAG.exec(xml);
  if (!match?.[1]) throw new Error(`no start tag at "${xml.slice(at, at + 40)}"`);
  return { tag: match[0], name: match[1], empty: match[2] === '/' };
}

/** Where the element whose start tag is at `at` ends: just after its end tag. */
function elementEnd(xml: string, at: number): number {
  let depth = 0;
  let from = at;
  do {
    const next = find(xml, '<', from);
    if (xml.startsWith(CDATA, next)) {
      from = find(xml, ']]>', next) + 3;
    } else if (xml.startsWith('</', next)) {
      depth--;
      from = find(xml, '>', next) + 1;
    } else {
      const start = startTagAt(xml, next);
      if (!start.empty) depth++;
      from = next + start.tag.length;
    }
  } while (depth > 0);
  return from;
}

/** Where the next `text` from `from` is; the package's XML is well-formed, so it is there. */
function find(xml: string, text: string, from: number): number {
  const at = xml.indexOf(text, from);
  if (at < 0) throw new Error(`no "${text}" after "${xml.slice(from, from + 40)}"`);
  return at;
}

function attributesOf(tag: string): Map<string, string> {
  return new Map(
    Array.from(tag.matchAll(ATTRIBUTE), ([, key, value]) => [key as string, value as string]),
  );
}

/** Attributes as a start tag holds them: ` name="value"`, values already escaped. */
function attributesText(values: Map<string, string>): string {
  let text = '';
  for (const [key, value] of values) text += ` ${key}="${value}"`;
  return text;
}

/** `xml` with its start tag written again from its attributes, as `edit` leaves them. */
function editAttributes(xml: string, edit: (values: Map<string, string>) => void): string {
  const { tag, name, empty } = startTagAt(xml, 0);
  const values = attributesOf(tag);
  edit(values);
  return `<${name}${attributesText(values)}${empty ? '/>' : '>'}${xml.slice(tag.length)}`;
}
