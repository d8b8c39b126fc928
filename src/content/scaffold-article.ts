/** The text of a new article file, for `polyfeed new`. */
import { Document, isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { BasisImage } from './story-basis.js';

export interface NewArticle {
  title: string;
  /**
   * The URL segment, written out so that the URL stays when the headline is edited later
   * (published URLs should never change; see published-urls.ts).
   */
  slug: string;
  /** Wall-clock time in the site's time zone, `2024-05-14T09:57`, or as another version has it. */
  published: string;
  /** Another version's, for a new language version of a story (see story-basis.ts). */
  updated?: string;
  embargo?: string;
  authors: string[];
  section: string;
  image?: BasisImage;
}

export function scaffoldArticle(article: NewArticle): string {
  const { title, slug, published, updated, embargo, authors, section, image } = article;
  // Fields in the order the sample's articles write them; the optional ones only when set.
  const fields = { title, slug, published, updated, embargo, authors, section, tags: [], image };
  const doc = new Document({
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    draft: true,
  });
  const slugKey = findKey(doc, 'slug');
  if (slugKey)
    slugKey.commentBefore =
      " The article's URL: change it before publishing if you like, never after";
  // Lists on one line, as people write them by hand: `authors: [Olena Kovalenko]`.
  for (const key of ['authors', 'tags']) {
    const node = doc.get(key, true);
    if (isSeq(node)) node.flow = true;
  }
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return `---\n${yaml}---\nWrite the first paragraph here: it becomes the summary unless you add \`summary:\` above.\n`;
}

/** `2024-05-14-bridge-repairs` → `Bridge repairs`: a placeholder until the real headline. */
export function titleFromStoryId(storyId: string): string {
  const words =
    storyId
      .replace(/^\d{4}-\d{2}-\d{2}[-_]?/, '')
      .replace(/[-_]+/g, ' ')
      .trim() || storyId;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The key node of a top-level field, to hang a comment on. */
function findKey(doc: Document, key: string): Scalar | undefined {
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}
