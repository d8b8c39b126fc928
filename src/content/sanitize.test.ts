import { expect, test } from 'vitest';
import {
  findXmlInvalid,
  narrowBody,
  sanitizeBody,
  stripXmlInvalid,
  toAmpHtml,
  withoutImages,
} from './sanitize.js';

test('the allowlist keeps news markup and drops everything that runs code', () => {
  const dirty = [
    '<h1>Title</h1><p class="x" style="color:red" onmouseover="x()">Text <a href="https://a.example/" onclick="y()">link</a></p>',
    '<script>alert(1)</script><style>p{}</style><iframe src="https://x.example"></iframe>',
    '<a href="javascript:alert(1)">js</a><a href="//evil.example/">proto</a><img src="data:image/png;base64,AAAA" alt="d">',
    '<aside class="reference evil"><p class="reference-label">For reference</p></aside><font color="red">kept text</font>',
  ].join('');
  expect(sanitizeBody(dirty)).toBe(
    '<h2>Title</h2><p>Text <a href="https://a.example/">link</a></p><a>js</a><a>proto</a><img alt="d" />' +
      '<aside class="reference"><p class="reference-label">For reference</p></aside>kept text',
  );
});

test('XML-invalid characters are found and removed; tabs, newlines and emoji stay', () => {
  const text = 'a\u0000b\u0007c\u001Fd\tе\n😀\uFFFE\uD800';
  expect(findXmlInvalid(text).map((m) => m.index)).toEqual([1, 3, 5, 12, 13]);
  expect(stripXmlInvalid(text)).toBe('abcd\tе\n😀');
});

test('AMP pages get amp-img for every sized image of the sanitized body, and no <img>', () => {
  const body = sanitizeBody(
    '<p>a <img src="https://x.example/a.png" alt="A &quot;map&quot;" width="800" height="600"> b</p>' +
      '<figure><img src="https://x.example/b.png" alt="no size"></figure>',
  );
  expect(toAmpHtml(body)).toBe(
    '<p>a <amp-img src="https://x.example/a.png" alt="A &quot;map&quot;" width="800" height="600" layout="responsive"></amp-img> b</p>' +
      '<figure></figure>',
  );
});

test('a partner allowlist narrows the body: markup outside it goes, its text stays', () => {
  const body = sanitizeBody(
    '<h2>Heading</h2><p>A <strong>bold</strong> <a href="https://x.example/">link</a>.</p><figure><img src="https://x.example/a.png" width="600" height="400" alt="A"></figure>',
  );
  expect(narrowBody(body, ['p', 'a'])).toBe(
    'Heading<p>A bold <a href="https://x.example/">link</a>.</p>',
  );
  // Nothing the article allowlist refuses comes back through a partner's list.
  expect(narrowBody('<p onclick="x()">a</p><script>alert(1)</script>', ['p', 'script'])).toBe(
    '<p>a</p>',
  );
});

test('images without syndication rights leave the body, with the paragraph or figure they filled', () => {
  const body = sanitizeBody(
    [
      '<p>Before.</p>',
      '<p><img src="https://n.example/media/s/agency.jpg?a=1&amp;b=2" alt="Agency" width="4" height="3" /></p>',
      '<figure><img src="https://n.example/media/s/agency.jpg?a=1&amp;b=2" alt="A" /><figcaption>Photo: Agency</figcaption></figure>',
      '<p>Text <img src="https://n.example/media/s/own.png" alt="Own" /> kept.</p>',
    ].join('\n'),
  );
  expect(withoutImages(body, new Set(['https://n.example/media/s/agency.jpg?a=1&amp;b=2']))).toBe(
    '<p>Before.</p>\n<p>Text <img src="https://n.example/media/s/own.png" alt="Own" /> kept.</p>',
  );
  expect(withoutImages(body, new Set())).toBe(body);
});
