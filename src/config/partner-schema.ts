/**
 * A partner profile (`partners:` in site.yaml): one feed per language shaped the way one
 * aggregator or partner newsroom asks for it, and the requirements the build checks its
 * articles against. See docs/partners.md.
 */
import { z } from 'zod';
import { assetPath, urlSegment } from './fields.js';

/** The extra vocabularies a profile can ask for, each written by render/partner-extensions.ts. */
export const PARTNER_EXTENSIONS = ['media', 'dcterms', 'webfeeds', 'snf', 'mi'] as const;

/** Never allowed in a partner's body, whatever its allowlist says. */
const NEVER_ALLOWED = ['script', 'style', 'iframe', 'object', 'embed', 'form'];

const hexColour = z.string().regex(/^[0-9A-Fa-f]{6}$/, 'must be six hex digits, e.g. "1A5FB4"');

/** What the partner rejects; the build warns about every article that would be rejected. */
const requirements = z
  .object({
    /** Fewer items than this, and the partner rejects the whole feed. */
    minItems: z.int().positive().optional(),
    /** Every item needs a photo at least this many pixels on its smaller side. */
    minImageSide: z.int().positive().optional(),
    /** Length of an item's title, in characters. */
    titleLength: z
      .object({ min: z.int().nonnegative().default(0), max: z.int().positive().optional() })
      .strict()
      .optional(),
    /** Length of the channel's description, in characters. */
    descriptionMaxLength: z.int().positive().optional(),
  })
  .strict();

/**
 * How the partner's card shows an item, for the preview of `polyfeed partners`: where it
 * cuts the title and the description, and the shape it crops the photo to.
 */
const card = z
  .object({
    /** Characters of the title shown before it is cut with "…" (default: titleLength.max, or 100). */
    titleLength: z.int().positive().optional(),
    /** Characters of the description shown before it is cut. */
    descriptionLength: z.int().positive().default(160),
    /** Width:height of the photo as the card crops it. */
    imageRatio: z
      .string()
      .regex(/^[1-9]\d*:[1-9]\d*$/, 'must be width:height in whole numbers, e.g. "16:9"')
      .default('16:9'),
  })
  .strict();

export const partnerSchema = z
  .object({
    /** Used in the output path and in warnings. */
    id: urlSegment,
    /** The partner's name, as warnings show it. */
    name: z.string().min(1),
    format: z.enum(['rss', 'atom', 'json']).default('rss'),
    /** Language codes to include; all of the site's when left out. */
    languages: z.array(z.string()).optional(),
    /** Section ids to include (all when left out), and to leave out. */
    sections: z.array(z.string()).optional(),
    excludeSections: z.array(z.string()).default([]),
    /** Tags (as written, or their slugs): an article needs one of `tags` and none of `excludeTags`. */
    tags: z.array(z.string()).optional(),
    excludeTags: z.array(z.string()).default([]),
    /** The newest this many articles. */
    items: z.int().positive().default(50),
    /** Leave out articles published longer ago than this, counted from the build's time. */
    maxAgeDays: z.number().positive().optional(),
    /** The whole body, or the summary only. */
    content: z.enum(['full', 'summary']).default('full'),
    /** HTML elements the partner accepts in a body: narrows the article allowlist, never widens it. */
    allowedTags: z
      .array(
        z.string().refine((tag) => !NEVER_ALLOWED.includes(tag), {
          error: `is never allowed in a partner feed (${NEVER_ALLOWED.join(', ')})`,
        }),
      )
      .optional(),
    /** UTM parameters added to each item's link, e.g. `{source: flipboard, medium: referral}`. */
    utm: z
      .partialRecord(z.enum(['source', 'medium', 'campaign', 'term', 'content']), z.string())
      .optional(),
    /** The channel's description: the localized feed description, or the site's short tagline. */
    description: z.enum(['feed', 'tagline']).default('feed'),
    /** Write `<language>` with its region (`uk-UA`), from each language's `locale`. */
    languageWithRegion: z.boolean().default(false),
    extensions: z.array(z.enum(PARTNER_EXTENSIONS)).default([]),
    /** Feedly's webfeeds: a cover image (under assets/) and an accent colour. */
    webfeeds: z
      .object({ cover: assetPath.optional(), accentColor: hexColour.optional() })
      .strict()
      .optional(),
    /** SmartNews: the newsroom's tracking tag for each item (its own HTML, not an article's). */
    snf: z.object({ analytics: z.string().optional() }).strict().optional(),
    /** Output path, relative to the output folder: `{id}` and `{lang}` are filled in. */
    path: z
      .string()
      .regex(
        /^[a-z0-9{}._/-]+$/,
        'must be a relative path of lowercase letters, digits, -, _ and /',
      )
      .refine((path) => path.includes('{lang}'), {
        error: 'must contain {lang} (one file per language)',
      })
      .refine((path) => !path.split('/').includes('..') && !path.startsWith('/'), {
        error: 'must stay inside the output folder',
      })
      .optional(),
    requirements: requirements.default({}),
    card: card.default({ descriptionLength: 160, imageRatio: '16:9' }),
  })
  .strict()
  .superRefine((partner, ctx) => {
    if (partner.format === 'json' && partner.extensions.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['extensions'],
        message: 'XML extensions need format rss or atom',
      });
    }
    if (partner.extensions.includes('snf') && partner.utm) {
      ctx.addIssue({
        code: 'custom',
        path: ['utm'],
        message: 'SmartNews rejects tracking parameters in item links; use snf.analytics instead',
      });
    }
  });

export type PartnerConfig = z.output<typeof partnerSchema>;
