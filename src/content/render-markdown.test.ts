import { describe, expect, test } from 'vitest';
import { type MarkdownContext, renderMarkdown } from './render-markdown.js';

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
