/**
 * The shape of `published-urls.json`, the manifest of where each article is published
 * (see published-urls.ts). Apart, so that the model can name it without importing the
 * code that tracks URLs.
 */
import { z } from 'zod';

/** Where the manifest is written, relative to the output folder. */
export const URL_MANIFEST_PATH = 'published-urls.json';

export const urlManifestSchema = z
  .object({
    /** Bumped if the shape changes; a manifest of another version is read as none. */
    version: z.literal(1),
    /** By `<story-id>/<lang>`. */
    articles: z.record(
      z.string(),
      z
        .object({
          /** The folder the article is published at, e.g. `en/articles/new-bridge/`. */
          folder: z.string(),
          /** Folders it was published at before, oldest first. */
          moved: z.array(z.string()),
        })
        .strict(),
    ),
  })
  .strict();

export type UrlManifest = z.infer<typeof urlManifestSchema>;

export function emptyUrlManifest(): UrlManifest {
  return { version: 1, articles: {} };
}
