/**
 * What a new language version of a story takes from a version that exists (`polyfeed new
 * <story-id> --lang uk` in a story folder that has en.md): the section, the dates and the
 * lead photo. A translation is the same story: it keeps the story's published time (and
 * its update and embargo, so that it can never break the embargo), not the day it was
 * translated. The photo's file, size and credit carry over; its alt text and caption are
 * words to translate, so they come over in the source language, marked TODO.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { splitFrontMatter } from './front-matter.js';

export interface StoryBasis {
  /** The language of the version it was taken from. */
  from: string;
  section?: string;
  /** As written there (wall-clock time in the site's time zone, or with an offset). */
  published?: string;
  updated?: string;
  embargo?: string;
  image?: BasisImage;
}

export interface BasisImage {
  src: string;
  alt?: string;
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
}

/**
 * The basis from the first of `languages` (the default language first, then the site's
 * order) whose version the story folder has and whose front matter reads; undefined when
 * there is none.
 */
export function readStoryBasis(
  folder: string,
  languages: readonly string[],
): StoryBasis | undefined {
  for (const lang of languages) {
    let text: string;
    try {
      text = readFileSync(join(folder, `${lang}.md`), 'utf8');
    } catch {
      continue;
    }
    const basis = storyBasis(text, lang);
    if (basis) return basis;
  }
  return undefined;
}

/** What one article file gives: the fields of the right type (the build checks the rest). */
export function storyBasis(text: string, from: string): StoryBasis | undefined {
  const yaml = splitFrontMatter(text).yaml;
  if (yaml === undefined) return undefined;
  let data: unknown;
  try {
    data = parse(yaml);
  } catch {
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  const basis: StoryBasis = { from };
  for (const field of ['section', 'published', 'updated', 'embargo'] as const) {
    const value = data[field];
    if (typeof value === 'string') basis[field] = value;
  }
  const image = data.image;
  if (isRecord(image) && typeof image.src === 'string') {
    basis.image = { src: image.src };
    for (const field of ['alt', 'caption', 'credit'] as const)
      if (typeof image[field] === 'string') basis.image[field] = image[field];
    for (const field of ['width', 'height'] as const)
      if (typeof image[field] === 'number') basis.image[field] = image[field];
  }
  return basis;
}

/** The photo for the new version: alt text and caption marked for translation from `language`. */
export function imageToTranslate(image: BasisImage, language: string): BasisImage {
  const mark = (text: string | undefined) =>
    text === undefined ? undefined : `TODO (translate from ${language}): ${text}`;
  return { ...image, alt: mark(image.alt), caption: mark(image.caption) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
