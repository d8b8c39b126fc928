import { XMLParser } from 'fast-xml-parser';
import { Feed } from 'feed';
import { expect, test } from 'vitest';
import {
  attributeOf,
  escapeAngleBrackets,
  insertAfter,
  packageElement,
  removeChildren,
  setText,
  withAttributes,
  writeElement,
  xmlTextElement,
} from './xml-text.js';

/** The `feed` package's RSS for one item whose title and body hold markup of its own output. */
function packageRss(content: string): string {
  const feed = new Feed({ id: 'https://x.example/', title: 'T', copyright: 'c' });
  feed.addItem({
    title: 'A </title> <item> title',
    id: 'tag:x.example,2024:story/en',
    link: 'https://x.example/a',
    date: new Date(0),
    content,
    category: [{ name: 'Politics' }],
    image: { url: 'https://x.example/photo.jpg' },
  });
  return feed.rss2();
}

test('CDATA that holds tags, the item end tag and "]]>" is content, not a boundary', () => {
  // The package splits this body's first "]]>" across two CDATA sections.
  const body = '<p>]]></p>\n            <category>fake</category>\n        </item>\n</channel>';
  const item = packageElement(packageRss(body), 'item');
  expect(item.children.map((child) => child.name)).toEqual([
    'title',
    'link',
    'guid',
    'pubDate',
    'content:encoded',
    'category',
    'enclosure',
  ]);
  setText(item, 'title', 'Plain <b> & text');
  removeChildren(item, 'enclosure');
  insertAfter(item, 'category', [xmlTextElement('dc:creator', 'A & B')]);
  const parsed = new XMLParser().parse(writeElement(item)).item;
  expect(parsed).toEqual({
    title: 'Plain <b> & text',
    link: 'https://x.example/a',
    guid: 'tag:x.example,2024:story/en',
    pubDate: 'Thu, 01 Jan 1970 00:00:00 GMT',
    'content:encoded': body,
    category: 'Politics',
    'dc:creator': 'A & B',
  });
});

test('inserted elements take the line and indentation of the one they follow', () => {
  const item = packageElement(packageRss('<p>x</p>'), 'item');
  insertAfter(item, 'category', ['<a/>', '<b/>']);
  expect(writeElement(item)).toContain(
    '\n            <category>Politics</category>\n            <a/>\n            <b/>\n            <enclosure ',
  );
});

test('attribute values with raw "<", ">" and "/>" are read and escaped in place', () => {
  const category = '<category label="<i>a/>b</i>" term="x&quot;y"/>';
  expect(attributeOf(category, 'label')).toBe('<i>a/>b</i>');
  expect(attributeOf(category, 'term')).toBe('x&quot;y');
  expect(escapeAngleBrackets(category, 'label')).toBe(
    '<category label="&lt;i&gt;a/&gt;b&lt;/i&gt;" term="x&quot;y"/>',
  );
  expect(withAttributes(category, { term: 'a"b', scheme: 'https://x.example/?a=1&b=2' })).toBe(
    '<category label="<i>a/>b</i>" term="a&quot;b" scheme="https://x.example/?a=1&amp;b=2"/>',
  );
});

test('line ends are read as an XML parser reads them, and an empty element is written <name/>', () => {
  const item = packageElement('<rss><item>\r\n  <a>x\ry</a>\r\n  <b></b>\r\n</item></rss>', 'item');
  setText(item, 'a', '');
  expect(writeElement(item)).toBe('<item>\n  <a/>\n  <b/>\n</item>');
});
