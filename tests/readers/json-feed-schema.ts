/**
 * JSON Feed 1.1 as its specification describes it (https://www.jsonfeed.org/version/1.1/),
 * written from the spec's text for the tests: required and optional members, their types,
 * "content_html or content_text", "an author has at least one of name, url, avatar", dates
 * in RFC 3339, and no member outside the spec except extensions, which start with "_".
 */
import { z } from 'zod';

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

const url = z.url();
const date = z.string().regex(RFC_3339, 'must be an RFC 3339 date-time');

/** An object with `shape`, plus extension members ("_name") and nothing else. */
function extensible<T extends z.ZodRawShape>(shape: T) {
  return z
    .object(shape)
    .catchall(z.unknown())
    .superRefine((value, context) => {
      for (const key of Object.keys(value)) {
        if (!(key in shape) && !key.startsWith('_'))
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `"${key}" is not a JSON Feed 1.1 member (extensions start with "_")`,
          });
      }
    });
}

const author = extensible({
  name: z.string().optional(),
  url: url.optional(),
  avatar: url.optional(),
}).refine((a) => a.name !== undefined || a.url !== undefined || a.avatar !== undefined, {
  message: 'an author has at least one of name, url, avatar',
});

const attachment = extensible({
  url,
  mime_type: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/),
  title: z.string().optional(),
  size_in_bytes: z.number().nonnegative().optional(),
  duration_in_seconds: z.number().nonnegative().optional(),
});

const item = extensible({
  id: z.string().min(1),
  url: url.optional(),
  external_url: url.optional(),
  title: z.string().optional(),
  content_html: z.string().optional(),
  content_text: z.string().optional(),
  summary: z.string().optional(),
  image: url.optional(),
  banner_image: url.optional(),
  date_published: date.optional(),
  date_modified: date.optional(),
  authors: z.array(author).optional(),
  tags: z.array(z.string()).optional(),
  language: z.string().regex(LANGUAGE_TAG).optional(),
  attachments: z.array(attachment).optional(),
}).refine((i) => i.content_html !== undefined || i.content_text !== undefined, {
  message: 'an item has content_html or content_text, or both',
});

export const jsonFeed11 = extensible({
  version: z.literal('https://jsonfeed.org/version/1.1'),
  title: z.string(),
  home_page_url: url.optional(),
  feed_url: url.optional(),
  description: z.string().optional(),
  user_comment: z.string().optional(),
  next_url: url.optional(),
  icon: url.optional(),
  favicon: url.optional(),
  authors: z.array(author).optional(),
  language: z.string().regex(LANGUAGE_TAG).optional(),
  expired: z.boolean().optional(),
  hubs: z.array(extensible({ type: z.string(), url })).optional(),
  items: z.array(item),
});

export type JsonFeed = z.infer<typeof jsonFeed11>;
