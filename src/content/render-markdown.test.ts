import { describe, expect, test } from 'vitest';
import { countWords, type MarkdownContext, renderMarkdown } from './render-markdown.js';
import { sanitizeBody } from './sanitize.js';

const context: MarkdownContext = {
  referenceLabel: 'Довідка',
  baseUrl: 'https://news.example.org/',
  asset: (path) =>
    path === 'map.png'
      ? { url: 'https://news.example.org/media/s/map.png', width: 800, height: 600 }
      : undefined,
};

describe('renderMarkdown', () => {
  test('story-folder images become absolute media URLs with their size', () => {
    const result = renderMarkdown('![Map of the route](map.png)', context);
    expect(result.html).toBe(
      '<p><img src="https://news.example.org/media/s/map.png" alt="Map of the route" width="800" height="600" /></p>\n',
    );
    expect(result.assets).toEqual(['map.png']);
  });

  test('root-relative links go under the base URL; a missing file is a problem on its line', () => {
    const result = renderMarkdown('[home](/uk/)\n\nline two\n\n[gone](nothing.pdf)', context);
    expect(result.html).toContain('<a href="https://news.example.org/uk/">home</a>');
    expect(result.problems).toEqual([
      {
        line: 4,
        message:
          '"nothing.pdf" is not a file in the story folder (use an absolute URL for other pages)',
      },
    ]);
  });

  test('a reference block gets its localized label', () => {
    const result = renderMarkdown(
      '::: reference\nMost bridges were built in the 1950s.\n:::',
      context,
    );
    expect(result.html).toBe(
      '<aside class="reference"><p class="reference-label">Довідка</p>\n<p>Most bridges were built in the 1950s.</p>\n</aside>\n',
    );
  });

  test('first paragraph and word count come from the text, not the markup', () => {
    const result = renderMarkdown(
      '## Heading\n\nThe **city** council met\nyesterday.\n\nSecond one.',
      context,
    );
    expect(result.firstParagraph).toBe('The city council met yesterday.');
    expect(result.wordCount).toBe(8);
  });

  test('counts words as the Unicode regular expression it replaces does, in every script', () => {
    const reference = (text: string) =>
      text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
    // Letters of five scripts, digits, joiners, spaces, punctuation, a combining mark, an
    // emoji, letters outside the BMP (𝐀, 𠀀) and lone surrogates, mixed at random.
    const alphabet = [..."aZ9ïКїё٣ب中ـ'’- ,.—«»\u0301😀𝐀𠀀", '\ud800', '\udc00', '--', "''"];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const length = Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(countWords(text), JSON.stringify(text)).toBe(reference(text));
    }
    expect(countWords("Don't stop in Ivano-Frankivsk: п’ять-шість слів")).toBe(6);
  });

  test.each([
    [
      '<script>alert(1)</script>',
      0,
      '<script> is not allowed in an article (it would run code or break feeds and AMP pages)',
    ],
    [
      'Text\n\n<p onclick="steal()">hi</p>',
      2,
      'the onclick attribute of <p> is not allowed (event handlers run code)',
    ],
    [
      'Text <a href="javascript:alert(1)">x</a>',
      0,
      '<a href="javascript:alert(1)"> is not allowed: only http, https, mailto and tel links',
    ],
    [
      '[x](javascript:alert(1))',
      0,
      'a link to a javascript:, vbscript: or data: URL is not allowed',
    ],
    [
      '<div style="color:red">x</div>',
      0,
      'the style attribute of <div> is not allowed (AMP forbids inline styles)',
    ],
    [
      '<iframe src="https://evil.example"></iframe>',
      0,
      '<iframe> is not allowed in an article (it would run code or break feeds and AMP pages)',
    ],
  ])('%j is reported', (markdown, line, message) => {
    const result = renderMarkdown(markdown, context);
    expect(result.problems).toContainEqual({ line, message });
    expect(result.html).not.toMatch(/<script|onclick=|href="javascript:|style=|<iframe/i);
  });
});

test('every body comes out as the sanitizer would leave it, whether or not it went through it', () => {
  // Bodies of Markdown alone skip the sanitizer (it costs more than the parse); this pins
  // that nothing it would change gets through that way.
  const samples = [
    '# Top heading\n\n## Second\n\n### Third\n\ntext',
    'Para with *em*, **strong**, `code`, ~~gone~~ and a [link](https://a.example/x?y=1&z=2 "Title").',
    '![Map of the route](map.png)\n\n![remote](https://img.example/a.png)',
    '```js\nconst a = 1 < 2;\n```\n\n```\nplain fence\n```\n\n    indented code',
    '| a | b |\n|:--|--:|\n| 1 | 2 |',
    '1. one\n2. two\n\n3) three\n\n5. five\n6. six\n\n- x\n- y\n\n> quote\n> more',
    'Line  \nbreak and a rule\n\n---\n\nafter',
    'Entities: &amp; &copy; &#169; "quotes" \'single\' < > & and a\u00a0nbsp',
    '[mail](mailto:desk@example.org) [tel](tel:+380) [ftp](ftp://x.example/) [frag](#top) [rel](/uk/)',
    '<p class="x">raw</p>\n\n<span style="color:red">inline</span> html',
    '::: reference\nA note with a [link](https://a.example/).\n:::',
    'Autolink <https://a.example/> and <desk@example.org>',
  ];
  for (const markdown of samples) {
    const { html } = renderMarkdown(markdown, context);
    expect(sanitizeBody(html), markdown).toBe(html);
  }
});
