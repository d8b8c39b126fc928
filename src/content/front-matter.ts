/**
 * Splits an article file into its YAML front matter and Markdown body, keeping the line
 * numbers that diagnostics need.
 */

export interface SplitArticle {
  /** The YAML between the fences, or undefined when the file has no front matter. */
  yaml?: string;
  /** 1-based line of the file where `yaml` starts. */
  yamlLine: number;
  /** The Markdown after the closing fence. */
  body: string;
  /** 1-based line of the file where `body` starts. */
  bodyLine: number;
}

const FENCE = /^---[ \t]*$/;

export function splitFrontMatter(text: string): SplitArticle {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = source.split(/\r?\n/);
  if (!FENCE.test(lines[0] ?? '')) return { yamlLine: 1, body: source, bodyLine: 1 };
  const end = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (end < 0) return { yamlLine: 2, body: source, bodyLine: 1 };
  return {
    yaml: lines.slice(1, end).join('\n'),
    yamlLine: 2,
    body: lines.slice(end + 1).join('\n'),
    bodyLine: end + 2,
  };
}
