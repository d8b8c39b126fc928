/** The text of a new article file, for `polyfeed new`. */
import { Document, isSeq } from 'yaml';

export interface NewArticle {
  title: string;
  /** Wall-clock time in the site's time zone, `2024-05-14T09:57`. */
  published: string;
  authors: string[];
  section: string;
}

export function scaffoldArticle(article: NewArticle): string {
  const doc = new Document({ ...article, tags: [], draft: true });
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
