/**
 * Rights: who holds the copyright, under which licence a story may travel, and whether
 * readers' outlets are offered its republication; and, per image, whether it may be passed
 * on at all (an agency photo usually may not). The site sets the defaults (`rights:` in
 * site.yaml), an article may override them, an image has its own. See docs/rights.md.
 */
import { z } from 'zod';
import { httpUrl } from './fields.js';

/** A licence as people and machines know it: "CC BY-ND 4.0" and its deed. */
export const licenceSchema = z
  .object({
    /** Its short name, shown to readers ("CC BY-ND 4.0"). */
    name: z.string().trim().min(1),
    /** The licence's text or deed: ninjs `rightsInfo.linkedRights` and the attribution link. */
    url: httpUrl,
  })
  .strict();

export type Licence = z.output<typeof licenceSchema>;

/** The site's defaults (`rights:` in site.yaml). */
export const siteRightsSchema = z
  .object({
    /** The person or organisation holding the copyright (ninjs `copyrightHolder`). */
    holder: z.string().trim().min(1),
    /** The licence stories are published under; without one, all rights are reserved. */
    licence: licenceSchema.optional(),
    /** Offer "Republish this story" on canonical article pages (needs a licence). */
    republish: z.boolean().default(false),
    /**
     * The 1×1 image republished copies load, counting republications. Default: the typo
     * service's endpoint followed by `/republished.gif`, which `polyfeed typo-server` serves.
     */
    trackingUrl: httpUrl.optional(),
  })
  .strict();

/** What an article may change of the site's rights (an agency story, a partner's column). */
export const articleRightsSchema = z
  .object({
    holder: z.string().trim().min(1).optional().describe('Copyright holder of this article'),
    licence: licenceSchema.optional().describe('Licence of this article: name and url'),
    republish: z.boolean().optional().describe('Offer "Republish this story" for this article'),
  })
  .strict();

/** An image's own rights: may it be passed on (syndicated), and under which licence. */
export const imageRightsSchema = z
  .object({
    syndication: z
      .boolean()
      .default(true)
      .describe('false: leave it out of ninjs, partner feeds and republished copies'),
    licence: licenceSchema.optional().describe('Licence of the image, if not the article’s'),
    holder: z.string().trim().min(1).optional().describe('Copyright holder of the image'),
  })
  .strict();

export type ImageRights = z.output<typeof imageRightsSchema>;
