import { expect, test } from 'vitest';
import { offersRepublishing, republishProblems, siteConfigSchema } from './schema.js';

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
    feeds: { items: 50, sectionItems: 50, tagItems: 20, archives: true },
    listings: { sections: true, tags: true },
    pages: { perPage: 20, amp: true, ninjs: true },
    partners: [],
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

test('a partner profile must name what the site has, and its options must agree', () => {
  const result = siteConfigSchema.safeParse({
    ...minimal,
    partners: [
      {
        id: 'p',
        name: 'P',
        languages: ['fr'],
        sections: ['sport'],
        extensions: ['snf'],
        utm: { source: 'p' },
        allowedTags: ['p', 'script'],
      },
      { id: 'q', name: 'Q', languageWithRegion: true },
    ],
  });
  expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
    'partners.0.allowedTags.1: is never allowed in a partner feed (script, style, iframe, object, embed, form)',
    'partners.0.utm: SmartNews rejects tracking parameters in item links; use snf.analytics instead',
    'partners.0.languages.0: "fr" is not one of the site\'s languages (en)',
    'partners.0.sections.0: "sport" is not one of the site\'s sections (news)',
    'partners.0.extensions: SmartNews (snf) shows the site logo: set logo',
    'languages.0.locale: partner "q" wants a language with its region: add one, e.g. "en-XX"',
  ]);
});

test('republishing needs a licence to offer and a tracking image to count with', () => {
  const issues = (rights: object, more: object = {}) =>
    siteConfigSchema
      .safeParse({ ...minimal, ...more, rights: { holder: 'News', ...rights } })
      .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  expect(issues({ republish: true })).toEqual([
    'rights.republish: republishing is offered under a licence: set rights.licence (name and url)',
    'rights.republish: republished copies load a tracking image: set typoReport.endpoint (polyfeed typo-server serves it) or rights.trackingUrl',
  ]);
  const licence = { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' };
  expect(
    issues({ republish: true, licence, trackingUrl: 'https://stats.example.org/p.gif' }),
  ).toBeUndefined();
  expect(
    issues(
      { republish: true, licence },
      { typoReport: { endpoint: 'https://n.example/api/typo' } },
    ),
  ).toBeUndefined();
  // Without republishing, a holder alone is enough: all rights reserved.
  expect(issues({})).toBeUndefined();
});

test('republishing on a site without canonical pages is an error: its dialog would be nowhere', () => {
  const rights = {
    holder: 'News',
    licence: { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
    republish: true,
    trackingUrl: 'https://news.example.org/pixel.gif',
  };
  const issues = (change: object) =>
    siteConfigSchema
      .safeParse({ ...minimal, rights, ...change })
      .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  expect(issues({})).toBeUndefined();
  expect(issues({ canonicalBaseUrl: 'https://www.example.org/' })).toEqual([
    'rights.republish: the "Republish this story" dialog is on canonical article pages, which this site does not write (canonicalBaseUrl is set): leave republish out',
  ]);
  expect(issues({ pages: { canonical: false } })).toEqual([
    'rights.republish: the "Republish this story" dialog is on canonical article pages, which this site does not write (pages.canonical is false): leave republish out',
  ]);
});

test('the republish rule is one: what site.yaml is told, an article is told in its words', () => {
  const config = { pages: { canonical: false } };
  expect(republishProblems(config, undefined, true)).toEqual([
    'republishing is offered under a licence: set rights.licence (name and url) here or in site.yaml',
    'republished copies load a tracking image: set typoReport.endpoint (polyfeed typo-server serves it) or rights.trackingUrl in site.yaml',
    'the "Republish this story" dialog is on canonical article pages, which this site does not write (pages.canonical is false in site.yaml): leave republish out',
  ]);
  const licence = { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' };
  const tracked = { ...config, typoReport: { endpoint: 'https://news.example.org/typo' } };
  expect(offersRepublishing(tracked, { republish: true, licence })).toBe(false);
  expect(offersRepublishing({ ...tracked, pages: {} }, { republish: true, licence })).toBe(true);
  expect(offersRepublishing({ ...tracked, pages: {} }, { republish: false, licence })).toBe(false);
});
