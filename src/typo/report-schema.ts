/** What a typo report must look like when it reaches the service. */
import { z } from 'zod';

export const LIMITS = { selection: 256, context: 140, comment: 1000 } as const;

// Control characters (but tab and newline) never reach the database.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
const text = (max: number) =>
  z
    .string()
    .transform((value) => value.replace(CONTROL, ''))
    .pipe(z.string().max(max, `must be at most ${max} characters`));

/** `origins`: where the reported page may live (the site's own origins). */
export function reportSchema(languages: readonly string[], origins: readonly string[]) {
  return z.object({
    selection: text(LIMITS.selection)
      .transform((value) => value.trim())
      .pipe(z.string().min(1, 'is empty: select the text with the error')),
    contextBefore: text(LIMITS.context).default(''),
    contextAfter: text(LIMITS.context).default(''),
    comment: text(LIMITS.comment)
      .transform((value) => value.trim())
      .default(''),
    url: z
      // abort: zod runs the refinement below on a value that failed, and new URL() throws.
      .url({ protocol: /^https?$/, error: 'must be the absolute URL of the article', abort: true })
      .refine((url) => origins.includes(new URL(url).origin), {
        error: 'is not a page of this site',
      })
      // One page, however it was reached: no query (tracking parameters) and no fragment.
      .transform((url) => {
        const page = new URL(url);
        page.search = '';
        page.hash = '';
        return page.href;
      }),
    lang: z.enum(languages as [string, ...string[]], {
      error: `must be one of the site's languages (${languages.join(', ')})`,
    }),
    storyId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'must be the story folder name'),
  });
}
