/**
 * The limits of the `feed` package (6.0.0) that Polyfeed works around. Each test pins one
 * limit as it is today; when a release fixes it, the test fails, and the workaround named
 * in it can go.
 */
import { XMLParser } from 'fast-xml-parser';
import { Feed, type FeedOptions } from 'feed';
import { describe, expect, test } from 'vitest';

function sampleFeed(options: Partial<FeedOptions> = {}): Feed {
  const feed = new Feed({
    title: 'T',
    id: 'https://x.example/',
    link: 'https://x.example/',
    copyright: 'c',
    updated: new Date(0),
    ...options,
  });
  feed.addItem({
    title: 'Item',
    id: 'tag:x.example,2024:story/en',
    link: 'https://x.example/a',
    date: new Date(0),
    content: 'bell\u0007',
    author: [{ name: 'A' }, { name: 'B' }],
    image: { url: 'https://x.example/photo.jpg' },
    enclosure: { url: 'https://x.example/audio.mp3', type: 'audio/mpeg', length: 10 },
  });
  return feed;
}

const xml = (text: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text) as Record<
    string,
    Record<string, unknown>
  >;

describe('feed 6.0.0 limits (workarounds in src/render/)', () => {
  test('JSON output is JSON Feed 1.0: singular author, no language (json-feed.ts upgrades it)', () => {
    const json = JSON.parse(sampleFeed({ language: 'uk' }).json1()) as Record<string, unknown> & {
      items: Record<string, unknown>[];
    };
    expect(json.version).toBe('https://jsonfeed.org/version/1');
    expect(json.language).toBeUndefined();
    expect(json.items[0]?.author).toEqual({ name: 'A' });
    expect(json.items[0]?.authors).toBeUndefined();
  });

  test('Atom has no xml:lang (#196; atom.ts adds it)', () => {
    expect(xml(sampleFeed({ language: 'uk' }).atom1()).feed?.['xml:lang']).toBeUndefined();
  });

  test('RSS has no dc:creator and no Media RSS (#130, #241, #157; rss.ts adds them)', () => {
    const rss = sampleFeed().rss2();
    expect(rss).not.toContain('dc:creator');
    expect(rss).not.toContain('xmlns:media');
    // Authors become <author>, which RSS 2.0 requires to be an e-mail address: to-feed.ts omits them.
    expect(rss).toContain('<author>A</author>');
  });

  test('atom1() throws on an item id that is not a URL (#254); tag: URIs parse as URLs', () => {
    const feed = sampleFeed();
    feed.addItem({ title: 'x', id: 'story-1', link: 'https://x.example/b', date: new Date(0) });
    expect(() => feed.atom1()).toThrow();
    expect(() => sampleFeed().atom1()).not.toThrow();
  });

  test('RSS keeps one enclosure and guesses the MIME type from the extension (rss.ts adds media:content)', () => {
    const item = xml(sampleFeed().rss2()).rss?.channel as { item: { enclosure: unknown } };
    expect(item.item.enclosure).toEqual({
      url: 'https://x.example/photo.jpg',
      length: '0',
      type: 'image/jpg',
    });
  });

  test('dates default to the clock and the generator to the library URL (to-feed.ts passes both)', () => {
    const feed = new Feed({
      title: 'T',
      id: 'https://x.example/',
      link: 'https://x.example/',
      copyright: 'c',
    });
    const rss = xml(feed.rss2()).rss?.channel as Record<string, string>;
    expect(Math.abs(Date.parse(rss.lastBuildDate ?? '') - Date.now())).toBeLessThan(60_000);
    expect(rss.generator).toBe('https://github.com/jpmonette/feed');
  });

  test('XML-invalid control characters pass through (xml-text.ts strips them)', () => {
    expect(sampleFeed().rss2()).toContain('bell\u0007');
    expect(sampleFeed().atom1()).toContain('bell\u0007');
  });

  test('Atom writes a category label with a raw "<", which is not XML (atom.ts escapes it)', () => {
    const feed = sampleFeed();
    feed.addCategory('x');
    feed.addItem({
      title: 'x',
      id: 'tag:x.example,2024:tags/en',
      link: 'https://x.example/c',
      date: new Date(0),
      category: [{ name: '<i>tag</i>', term: 'tag' }],
    });
    expect(feed.atom1()).toContain('label="<i>tag</i>"');
  });

  test('a feed-level atom:link extension replaces the self and hub links (to-feed.ts inserts the links after them instead)', () => {
    const feed = sampleFeed({
      feedLinks: { rss: 'https://x.example/rss.xml' },
      hub: 'https://hub.example/',
    });
    feed.addExtension({
      name: 'atom:link',
      objects: { _attributes: { rel: 'alternate', href: 'https://x.example/uk/rss.xml' } },
    });
    const links = xml(feed.rss2()).rss?.channel as Record<string, unknown>;
    expect(links['atom:link']).toEqual({ rel: 'alternate', href: 'https://x.example/uk/rss.xml' });
  });
});

/** What src/render/xml-text.ts needs of the package's output to find element boundaries in it. */
describe('feed 6.0.0 output as xml-text.ts scans it', () => {
  test('only the first "]]>" of a CDATA text is split: a second would end the section (to-feed.ts escapes titles and summaries; bodies are sanitized HTML)', () => {
    const feed = sampleFeed();
    feed.addItem({ title: 'a]]>b]]>c', link: 'https://x.example/d', date: new Date(0) });
    expect(feed.rss2()).toContain('<title><![CDATA[a]]]]><![CDATA[>b]]>c]]></title>');
  });

  test('attribute values are in double quotes with every \'"\' escaped, and "<" is escaped in text', () => {
    const feed = sampleFeed();
    feed.addItem({
      title: 'x',
      link: 'https://x.example/e',
      date: new Date(0),
      category: [{ name: 'a "b" <c>', domain: 'd "e" <f>' }],
    });
    expect(feed.rss2()).toContain(
      '<category domain="d &quot;e&quot; <f>">a "b" &lt;c&gt;</category>',
    );
  });
});
