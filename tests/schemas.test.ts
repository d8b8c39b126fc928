import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { jsonSchemas } from '../src/json-schemas.js';
import { REPO } from './helpers.js';

test('the shipped JSON Schemas are the ones the build validates with (run npm run schemas)', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    expect(JSON.parse(readFileSync(join(REPO, 'schemas', name), 'utf8')), name).toEqual(schema);
  }
});

test('the article schema lists every front-matter field and rejects unknown ones', () => {
  const schema = jsonSchemas()['article.schema.json'] as {
    properties: Record<string, unknown>;
    required: string[];
    additionalProperties: boolean;
  };
  expect(Object.keys(schema.properties)).toEqual([
    'title',
    'published',
    'updated',
    'authors',
    'section',
    'tags',
    'summary',
    'image',
    'images',
    'source',
    'slug',
    'draft',
    'embargo',
    'corrections',
    'rights',
  ]);
  expect(schema.required).toEqual(['title', 'published', 'authors', 'section']);
  expect(schema.additionalProperties).toBe(false);
});
