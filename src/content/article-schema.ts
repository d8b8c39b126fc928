/**
 * The front matter of `articles/<story-id>/<lang>.md`. This format is a contract with
 * newsrooms (documented in docs/articles.md): fields are added, never renamed. The descriptions
 * are what editors see in their editor, through the generated JSON Schema.
 */
import { z } from 'zod';
import { articleRightsSchema, imageRightsSchema } from '../config/rights-schema.js';
import { urlSegment } from '../config/schema.js';

const text = z.string().trim().min(1);
const dimension = z.int().positive();
const dateTime = z
  .string()
  .describe('ISO 8601: 2024-05-14T09:57 is site time; 2024-05-14T09:57:00+03:00 is that instant');

/** With the site's sections, `section` is checked against them; without, any id passes. */
export function articleSchema(sections?: readonly string[]) {
  return z
    .object({
      title: text.max(300).describe('The headline, plain text'),
      published: dateTime.describe(
        'When it was published. ISO 8601: 2024-05-14T09:57 is site time',
      ),
      updated: dateTime.optional().describe('When it was last changed, if after publication'),
      authors: z.array(text).min(1).describe('Authors, e.g. [Olena Kovalenko, Mark Weber]'),
      section: (sections?.length ? z.enum(sections as [string, ...string[]]) : urlSegment).describe(
        'One of the sections in site.yaml',
      ),
      tags: z.array(text.max(100)).default([]).describe('Free-text tags in the article’s language'),
      summary: text.optional().describe('Plain-text summary; without it, the first paragraph'),
      image: z
        .object({
          src: text.describe('A file in the story folder, or an absolute https:// URL'),
          alt: text.describe('What the image shows, for readers who cannot see it'),
          caption: text.optional(),
          credit: text.optional().describe('Photographer or agency'),
          width: dimension
            .optional()
            .describe('Pixels; read from the file when it is in the story folder'),
          height: dimension
            .optional()
            .describe('Pixels; read from the file when it is in the story folder'),
          rights: imageRightsSchema
            .optional()
            .describe('May it be passed on (syndication), and its own licence'),
        })
        .strict()
        .optional()
        .describe('The lead photo'),
      images: z
        .record(
          text,
          z
            .object({ syndication: z.boolean().describe('false: never passed on to others') })
            .strict(),
        )
        .optional()
        .describe(
          'Rights of the images the body shows, by file name: { map.png: { syndication: false } }',
        ),
      source: z
        .object({
          name: text.describe('The outlet or document the report cites'),
          url: z
            .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' })
            .optional(),
        })
        .strict()
        .optional(),
      slug: urlSegment.optional().describe('URL segment; without it, made from the title'),
      draft: z.boolean().default(false).describe('true keeps it out of builds without --drafts'),
      embargo: dateTime.optional().describe('Not published before this instant'),
      corrections: z
        .array(
          z
            .object({
              date: dateTime.describe('When the correction was made'),
              note: text.max(1000).describe('What was corrected, as readers see it'),
            })
            .strict(),
        )
        .default([])
        .describe(
          'Corrections made since publication, oldest first; `polyfeed typos fix --note` adds one',
        ),
      rights: articleRightsSchema
        .optional()
        .describe('Copyright holder, licence and republication of this article, if not the site’s'),
    })
    .strict();
}

export type FrontMatter = z.output<ReturnType<typeof articleSchema>>;
