/**
 * JSON Schemas for editors, generated from the very schemas the build validates with, so
 * an editor's red squiggle and a build error always agree. `npm run schemas` writes them
 * to schemas/; a test fails when the committed files are out of date.
 */
import { z } from 'zod';
import { siteConfigSchema } from './config/schema.js';
import { articleSchema } from './content/article-schema.js';

export function jsonSchemas(): Record<string, unknown> {
  // `input`: what people write (defaults optional), not what the build holds after parsing.
  const options = { io: 'input', unrepresentable: 'any' } as const;
  return {
    'site.schema.json': {
      ...z.toJSONSchema(siteConfigSchema, options),
      title: 'Polyfeed site.yaml',
    },
    'article.schema.json': {
      ...z.toJSONSchema(articleSchema(), options),
      title: 'Polyfeed article front matter',
    },
  };
}
