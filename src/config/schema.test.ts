import { expect, test } from 'vitest';
import { siteConfigSchema } from './schema.js';

const minimal = {
  baseUrl: 'https://news.example.org',
  defaultLanguage: 'en',
  languages: [{ code: 'en', name: 'English' }],
  sections: ['news'],
  timeZone: 'Europe/Kyiv',
  copyright: '© News',
};

test('defaults are applied once, here, and URLs end with a slash', () => {
  expect(siteConfigSchema.parse(minimal)).toEqual({
    ...minimal,
    baseUrl: 'https://news.example.org/',
    languages: [{ code: 'en', name: 'English', dir: 'ltr' }],
    feeds: { items: 50, sectionItems: 50, tagItems: 20 },
    pages: { perPage: 20 },
  });
});

test.each([
  [{ languages: [{ code: 'en', name: 'English', direction: 'ltr' }] }, 'unrecognized_keys'],
  [{ sections: ['News'] }, 'invalid_format'],
  [{ timeZone: 'Kyiv' }, 'custom'],
  [{ baseUrl: 'ftp://news.example.org' }, 'invalid_format'],
  [{ feeds: { items: 1.5 } }, 'invalid_type'],
  [{ logo: '../secret.png' }, 'invalid_format'],
])('%j is rejected', (change, code) => {
  const result = siteConfigSchema.safeParse({ ...minimal, ...change });
  expect(result.success).toBe(false);
  expect(result.error?.issues.map((i) => i.code)).toContain(code);
});
