/**
 * Translated sentences with links in them ("Breaking Defense reports this.", "… under the
 * CC BY-ND 4.0 licence."): the sentence is text and each link is markup, so the sentence
 * is translated with placeholders, escaped, and the links put in their place.
 */
import { escapeHtml } from '../escape.js';
import type { Article } from '../model/model.js';

/** Private-use characters that stand for the links while the sentence is escaped. */
export const SLOTS = ['\uE000', '\uE001'] as const;

/**
 * A translated sentence escaped as text, its slots (SLOTS, in order) replaced by ready-made
 * HTML. A replacer function, not a string: `$&` or `$'` in a link (a source's name, a
 * licence URL) would otherwise be read as a replacement pattern.
 */
export function withLinks(sentence: string, links: readonly string[]): string {
  let html = escapeHtml(sentence);
  links.forEach((link, i) => {
    html = html.replace(SLOTS[i] as string, () => link);
  });
  return html;
}

/**
 * "Breaking Defense reports this." with the outlet linked when it has a URL, as HTML; `rel`
 * on the link where given (the site's own pages say `nofollow`).
 */
export function sourceSentence(
  source: NonNullable<Article['source']>,
  t: (key: string, options?: Record<string, unknown>) => string,
  rel?: string,
): string {
  const name = escapeHtml(source.name);
  const link = source.url
    ? `<a href="${escapeHtml(source.url)}"${rel ? ` rel="${escapeHtml(rel)}"` : ''}>${name}</a>`
    : name;
  return withLinks(t('label.sourceReports', { source: SLOTS[0] }), [link]);
}
