/**
 * The front matter of `articles/<story-id>/<lang>.md`. This format is a contract with
 * newsrooms (documented in the README): fields are added, never renamed.
 */
import { z } from 'zod';
import { urlSegment } from '../config/schema.js';

const text = z.string().trim().min(1);
const dimension = z.int().positive();

export function articleSchema(sections: readonly string[]) {
  return z
    .object({
      title: text.max(300),
      /** ISO 8601; resolved in the site time zone when it has no offset. */
      published: z.string(),
      updated: z.string().optional(),
      authors: z.array(text).min(1),
      section: z.enum(sections as [string, ...string[]]),
      tags: z.array(text.max(100)).default([]),
      summary: text.optional(),
      image: z
        .object({
          /** Relative to the story folder, or an absolute http(s) URL. */
          src: text,
          alt: text,
          caption: text.optional(),
          credit: text.optional(),
          width: dimension.optional(),
          height: dimension.optional(),
        })
        .strict()
        .optional(),
      source: z
        .object({
          name: text,
          url: z
            .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' })
            .optional(),
        })
        .strict()
        .optional(),
      slug: urlSegment.optional(),
      draft: z.boolean().default(false),
      /** Instant before which the article is not published. */
      embargo: z.string().optional(),
    })
    .strict();
}

export type FrontMatter = z.output<ReturnType<typeof articleSchema>>;
