/** Field types shared by the site config and its partner profiles. */
import { z } from 'zod';

/** A path segment we put in URLs: lowercase ASCII letters, digits and inner hyphens. */
export const urlSegment = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'must be lowercase letters, digits and hyphens, e.g. "world-news"',
  );

/** A site-wide file: everything under `<site>/assets/` is published at `/assets/`. */
export const assetPath = z
  .string()
  .regex(/^assets\/[^\\]+$/, 'must be a path under assets/, e.g. "assets/logo.png"')
  .refine((path) => !path.split('/').includes('..'), { error: 'must stay inside assets/' });

export const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an absolute http:// or https:// URL',
});
