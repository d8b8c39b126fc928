/**
 * A small editing layer over fast-xml-parser's ordered tree, for what partner profiles add
 * to a whole feed (partner-extensions.ts) and for the documents we write whole (sitemaps,
 * OPML); RSS and Atom items are edited as text instead (xml-text.ts). Also the feed in
 * parts, which every format shares. The only module that imports fast-xml-parser at run time.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { stripXmlInvalid } from '../content/sanitize.js';
import { escapeHtml as escapeXml } from '../escape.js';

/** An element or text node in fast-xml-parser's `preserveOrder` form. */
export type XmlNode = Record<string, unknown>;

const ATTRIBUTES = ':@';
const OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  cdataPropName: '#cdata',
  // Keep text exactly as written (already escaped): we only add to the tree.
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
} as const;

const parser = new XMLParser(OPTIONS);
// No re-formatting: the `feed` package's indentation is kept as parsed, and insertAfter()
// indents what it adds the same way. (format: true would also put a newline inside CDATA.)
const builder = new XMLBuilder({ ...OPTIONS, format: false, suppressEmptyNode: true });
/** For documents we write whole (OPML), which have no CDATA to protect. */
const prettyBuilder = new XMLBuilder({
  ...OPTIONS,
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

export function parseXml(xml: string): XmlNode[] {
  return parser.parse(xml) as XmlNode[];
}

/**
 * Serializes a tree with an XML declaration. Characters XML 1.0 cannot carry are removed
 * here too: the `feed` package passes them through (see tests/feed-package.test.ts).
 */
export function buildXml(tree: XmlNode[], { indent = false } = {}): string {
  const nodes = tree.filter((node) => !('?xml' in node));
  const body = ((indent ? prettyBuilder : builder).build(nodes) as string).trim();
  return stripXmlInvalid(`<?xml version="1.0" encoding="utf-8"?>\n${body}\n`);
}

/**
 * A feed in parts: the document around its items, and each item's UTF-8 bytes, made once
 * and shared by every feed that lists the article (up to a dozen). Joining bytes instead of
 * strings spares encoding each item again for every feed it is in.
 */
export interface FeedParts {
  head: string;
  items: readonly Uint8Array[];
  /** Between two items (JSON Feed's comma); none for XML. */
  separator?: string;
  tail: string;
}

export function feedBytes(parts: FeedParts): Buffer {
  const separator = parts.separator ? Buffer.from(parts.separator) : undefined;
  const chunks: Uint8Array[] = [Buffer.from(parts.head)];
  for (const [i, item] of parts.items.entries()) {
    if (separator && i > 0) chunks.push(separator);
    chunks.push(item);
  }
  chunks.push(Buffer.from(parts.tail));
  return Buffer.concat(chunks);
}

export function feedText(parts: FeedParts): string {
  return feedBytes(parts).toString('utf8');
}

/**
 * Splits an XML document at the closing tag of its root's child (`</channel>`, `</feed>`),
 * where the items go; `itemBytes` indents them as the element's other children are.
 */
export function aroundItems(
  xml: string,
  closingTag: string,
  items: readonly Uint8Array[],
): FeedParts {
  const at = xml.lastIndexOf(closingTag);
  if (at < 0) throw new Error(`no ${closingTag} to add items before`);
  const head = xml.slice(0, at).trimEnd();
  const outer = /\n([ \t]*)$/.exec(xml.slice(0, at))?.[1] ?? '';
  return { head, items, tail: `\n${outer}${xml.slice(at)}` };
}

/** An item's bytes, on its own line with `indent`, for aroundItems. */
export function itemBytes(fragment: string, indent: string): Uint8Array {
  return Buffer.from(`\n${indent}${fragment}`);
}

export function nameOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ATTRIBUTES);
}

/** The child nodes of an element. */
export function childrenOf(node: XmlNode): XmlNode[] {
  const name = nameOf(node);
  return name ? ((node[name] as XmlNode[] | undefined) ?? []) : [];
}

/** Child elements named `name`. */
export function elements(parent: XmlNode | XmlNode[], name: string): XmlNode[] {
  const nodes = Array.isArray(parent) ? parent : childrenOf(parent);
  return nodes.filter((node) => nameOf(node) === name);
}

export function element(
  name: string,
  attributes: Record<string, string | number | undefined> = {},
  children: XmlNode[] = [],
): XmlNode {
  const node: XmlNode = { [name]: children };
  const attrs = Object.entries(attributes).filter(([, value]) => value !== undefined);
  if (attrs.length)
    node[ATTRIBUTES] = Object.fromEntries(
      attrs.map(([key, value]) => [key, escapeXml(String(value))]),
    );
  return node;
}

export function text(value: string): XmlNode {
  return { '#text': escapeXml(value) };
}

/**
 * Markup already written as text (rss.ts's media:content), as a node: the builder writes
 * a text node as it is, since text nodes hold XML text already escaped.
 */
export function markup(xml: string): XmlNode {
  return { '#text': xml };
}

/** An element holding only text, e.g. `<dc:creator>Name</dc:creator>`. */
export function textElement(
  name: string,
  value: string,
  attributes: Record<string, string | undefined> = {},
): XmlNode {
  return element(name, attributes, [text(value)]);
}

export function setAttributes(node: XmlNode, attributes: Record<string, string>): void {
  const current = (node[ATTRIBUTES] as Record<string, string> | undefined) ?? {};
  node[ATTRIBUTES] = {
    ...current,
    ...Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, escapeXml(v)])),
  };
}

/** Replaces the text of the first child element `name` of `parent`. */
export function setText(parent: XmlNode, name: string, value: string): void {
  const target = elements(parent, name)[0];
  const key = target && nameOf(target);
  if (target && key) target[key] = [text(value)];
}

/**
 * Inserts `nodes` after the last child named `after` (or after the last element), each
 * on its own line with the indentation of its new siblings.
 */
export function insertAfter(parent: XmlNode, after: string, nodes: XmlNode[]): void {
  const children = childrenOf(parent);
  let index = -1;
  children.forEach((child, i) => {
    if (nameOf(child) === after || (index < 0 && i === children.length - 1)) index = i;
  });
  if (!nodes.length) return;
  const before = children[index - 1];
  const indent =
    before && '#text' in before && /^\s+$/.test(String(before['#text']))
      ? String(before['#text'])
      : '';
  children.splice(
    index + 1,
    0,
    ...nodes.flatMap((node) => (indent ? [{ '#text': indent }, node] : [node])),
  );
}

/** Removes `child` from `parent`, with the indentation before it. */
export function removeChild(parent: XmlNode, child: XmlNode): void {
  const children = childrenOf(parent);
  const at = children.indexOf(child);
  if (at < 0) return;
  const before = children[at - 1];
  const indented = before && '#text' in before && /^\s+$/.test(String(before['#text']));
  children.splice(indented ? at - 1 : at, indented ? 2 : 1);
}
