/**
 * URL slugs from titles and tags, in the conventions of each language: Ukrainian and
 * Russian Cyrillic by their national romanization (Київ → kyiv, not kiev or kiyiv), German
 * umlauts as ae/oe/ue, other scripts by @sindresorhus/slugify's transliteration.
 */
import slugify from '@sindresorhus/slugify';
import CyrillicToTranslit from 'cyrillic-to-translit-js';

interface Romanizer {
  transform(text: string): string;
}
// The package is CommonJS and its typings declare an ES default export: under NodeNext,
// TypeScript sees the module object where Node hands us the factory function.
const makeRomanizer = CyrillicToTranslit as unknown as (config: {
  preset: 'uk' | 'ru';
}) => Romanizer;
const ROMANIZERS: Record<string, Romanizer> = {
  uk: makeRomanizer({ preset: 'uk' }),
  ru: makeRomanizer({ preset: 'ru' }),
};

const slugs = new Map<string, string>();

/** Slug for `text` in language `lang` (a BCP 47 code); may be empty for symbol-only text. */
export function slugFor(text: string, lang: string): string {
  // The same tags come back in thousands of articles.
  const key = `${lang}\u0000${text}`;
  let slug = slugs.get(key);
  if (slug === undefined) {
    slug = makeSlug(text, lang);
    slugs.set(key, slug);
  }
  return slug;
}

function makeSlug(text: string, lang: string): string {
  const base = lang.split('-')[0] ?? lang;
  const latin = ROMANIZERS[base]?.transform(text) ?? text;
  const slug = slugify(latin, { locale: base, decamelize: false });
  if (slug.length <= MAX_LENGTH) return slug;
  // Cut at a word boundary, so that a long headline does not end in half a word.
  const cut = slug.slice(0, MAX_LENGTH + 1);
  return cut.slice(0, cut.lastIndexOf('-') > 0 ? cut.lastIndexOf('-') : MAX_LENGTH);
}

const MAX_LENGTH = 80;
