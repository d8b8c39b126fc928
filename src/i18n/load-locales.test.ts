import { describe, expect, test } from 'vitest';
import { siteConfigSchema } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics.js';
import { PACKAGE_ROOT } from '../paths.js';
import { type Localizer, loadLocales } from './load-locales.js';

const config = siteConfigSchema.parse({
  baseUrl: 'https://news.example.org/',
  defaultLanguage: 'en',
  languages: [
    { code: 'en', name: 'English' },
    { code: 'uk', name: 'Українська' },
    { code: 'de', name: 'Deutsch' },
    { code: 'ar', name: 'العربية', dir: 'rtl' },
  ],
  sections: ['politics'],
  timeZone: 'Europe/Kyiv',
  copyright: '©',
});

async function localizers(): Promise<Map<string, Localizer>> {
  const diagnostics: Diagnostic[] = [];
  const { localizers } = await loadLocales([PACKAGE_ROOT], PACKAGE_ROOT, config, diagnostics);
  expect(diagnostics).toEqual([]);
  return localizers;
}

function get(map: Map<string, Localizer>, lang: string): Localizer {
  const localizer = map.get(lang);
  if (!localizer) throw new Error(lang);
  return localizer;
}

describe('plural forms (CLDR, through i18next)', () => {
  test('Ukrainian one / few / many', async () => {
    const uk = get(await localizers(), 'uk');
    const minutes = [1, 2, 5, 11, 21, 22, 25, 101].map((count) =>
      uk.t('label.readingTime', { count }),
    );
    expect(minutes).toEqual([
      '1 хвилина читання',
      '2 хвилини читання',
      '5 хвилин читання',
      '11 хвилин читання',
      '21 хвилина читання',
      '22 хвилини читання',
      '25 хвилин читання',
      '101 хвилина читання',
    ]);
  });

  test('Arabic zero / one / two / few / many / other', async () => {
    const ar = get(await localizers(), 'ar');
    const counts = [0, 1, 2, 3, 10, 11, 99, 100].map((count) =>
      ar.t('label.articleCount', { count }),
    );
    expect(counts).toEqual([
      'لا توجد مقالات',
      'مقال واحد',
      'مقالان',
      '3 مقالات',
      '10 مقالات',
      '11 مقالًا',
      '99 مقالًا',
      '100 مقال',
    ]);
  });

  test('English and German one / other', async () => {
    const all = await localizers();
    expect([1, 2].map((count) => get(all, 'en').t('label.readingTime', { count }))).toEqual([
      '1 minute read',
      '2 minutes read',
    ]);
    expect([1, 7].map((count) => get(all, 'de').t('label.articleCount', { count }))).toEqual([
      '1 Artikel',
      '7 Artikel',
    ]);
  });
});

describe('dates in the site time zone and each language', () => {
  const may = new Date('2024-05-14T06:57:00Z');
  test('time, then day, month name and year; Ukrainian months in the genitive', async () => {
    const all = await localizers();
    expect(['en', 'uk', 'de', 'ar'].map((lang) => get(all, lang).formatDate(may))).toEqual([
      '09:57 14 May 2024',
      '09:57 14 травня 2024',
      '09:57 14. Mai 2024',
      '09:57 14 مايو 2024',
    ]);
  });

  test('across the autumn DST change the offset follows the instant', async () => {
    const uk = get(await localizers(), 'uk');
    const first = new Date('2024-10-27T00:30:00Z');
    const second = new Date('2024-10-27T01:30:00Z');
    expect([uk.formatDate(first), uk.isoDate(first)]).toEqual([
      '03:30 27 жовтня 2024',
      '2024-10-27T03:30:00+03:00',
    ]);
    expect([uk.formatDate(second), uk.isoDate(second)]).toEqual([
      '03:30 27 жовтня 2024',
      '2024-10-27T03:30:00+02:00',
    ]);
  });

  // CLDR gives plain `ar` Latin digits; a site that wants Arabic-Indic ones uses `ar-EG`.
  test('numbers use Intl with the language tag', async () => {
    const all = await localizers();
    expect(['en', 'uk', 'de', 'ar'].map((lang) => get(all, lang).formatNumber(12345.5))).toEqual([
      '12,345.5',
      '12\u00a0345,5',
      '12.345,5',
      '12,345.5',
    ]);
  });
});

describe('reused across the dev server’s rebuilds', () => {
  test('unchanged strings and config: the same localizers, an unknown key reported every time', async () => {
    const first = await loadLocales([PACKAGE_ROOT], PACKAGE_ROOT, config, []);
    const en = get(first.localizers, 'en');
    expect(en.t('no.such.key')).toBe('no.such.key');
    expect([...first.unknownKeys]).toEqual(['no.such.key']);

    const second = await loadLocales([PACKAGE_ROOT], PACKAGE_ROOT, config, [], false, first);
    expect(second.localizers).toBe(first.localizers);
    expect([...second.unknownKeys]).toEqual([]);
    expect(en.t('no.such.key')).toBe('no.such.key');
    expect(en.t('site.title')).toBe(get(first.localizers, 'en').t('site.title'));
    expect([...second.unknownKeys]).toEqual(['no.such.key']);
  });

  test('another config (here the time zone) makes new localizers', async () => {
    const first = await loadLocales([PACKAGE_ROOT], PACKAGE_ROOT, config, []);
    const moved = { ...config, timeZone: 'America/New_York' };
    const second = await loadLocales([PACKAGE_ROOT], PACKAGE_ROOT, moved, [], false, first);
    expect(second.localizers).not.toBe(first.localizers);
    const instant = new Date('2024-06-01T12:00:00Z');
    expect(get(second.localizers, 'en').isoDate(instant)).toBe('2024-06-01T08:00:00-04:00');
    expect(get(first.localizers, 'en').isoDate(instant)).toBe('2024-06-01T15:00:00+03:00');
  });
});
