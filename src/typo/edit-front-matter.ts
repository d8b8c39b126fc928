/**
 * The two front-matter changes a correction makes (`updated` set, an entry added to
 * `corrections`), made as text edits at the positions the YAML parser gives, so that the
 * rest of the file stays as the newsroom wrote it, byte for byte: comments, quoting, key
 * order, blank lines and line ends. (Re-serializing the document with the `yaml` package
 * would reflow long lines and re-quote values.)
 */
import { isMap, isScalar, isSeq, type Node, parseDocument, stringify } from 'yaml';

export interface FrontMatterEdit {
  /** The new `updated` value, RFC 3339 with the site zone's offset. */
  updated: string;
  /** An entry to append to `corrections`. */
  correction?: { date: string; note: string };
}

/** The front matter of an article file: where its YAML starts and ends, and its line end. */
export function frontMatterBounds(
  text: string,
): { start: number; end: number; eol: string } | undefined {
  const open = /^\uFEFF?---[ \t]*(\r?\n)/.exec(text);
  if (!open) return undefined;
  const start = open[0].length;
  const close = /^---[ \t]*$/m;
  // The closing fence is the first line of just `---` after the opening one.
  let lineStart = start;
  while (lineStart <= text.length) {
    const next = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, next < 0 ? text.length : next).replace(/\r$/, '');
    if (close.test(line)) return { start, end: lineStart, eol: open[1] as string };
    if (next < 0) return undefined;
    lineStart = next + 1;
  }
  return undefined;
}

/** `text` with the edit made, or why it cannot be made. */
export function editFrontMatter(
  text: string,
  edit: FrontMatterEdit,
): { text: string } | { error: string } {
  const bounds = frontMatterBounds(text);
  if (!bounds) return { error: 'the file has no front matter' };
  const yaml = text.slice(bounds.start, bounds.end);
  const doc = parseDocument(yaml);
  if (doc.errors.length || !isMap(doc.contents))
    return { error: 'its front matter is not valid YAML fields' };
  const { eol } = bounds;
  const pairOf = (name: string) =>
    (doc.contents as { items: { key: unknown; value: unknown }[] }).items.find(
      (p) => isScalar(p.key) && p.key.value === name,
    );
  /** Edits as [offset in yaml, characters removed, text inserted], in the order they are made. */
  const edits: [number, number, string][] = [];
  const lineEndAfter = (offset: number) => {
    // The end of the line holding the last non-space character before `offset`.
    let at = offset;
    while (at > 0 && /\s/.test(yaml[at - 1] as string)) at--;
    const newline = yaml.indexOf('\n', at);
    return newline < 0 ? yaml.length : newline + 1;
  };
  const ensureEol = (offset: number) =>
    offset === yaml.length && yaml.length && !yaml.endsWith('\n') ? eol : '';

  const updated = pairOf('updated');
  if (updated && isScalar(updated.value) && updated.value.range) {
    const [from, to] = updated.value.range;
    edits.push([from, to - from, `${yaml[from - 1] === ':' ? ' ' : ''}${edit.updated}`]);
  } else if (updated) {
    return { error: '`updated` is not a date' };
  } else {
    const published = pairOf('published')?.value as Node | undefined;
    const at = published?.range ? lineEndAfter(published.range[1]) : lineEndAfter(yaml.length);
    edits.push([at, 0, `${ensureEol(at)}updated: ${edit.updated}${eol}`]);
  }

  if (edit.correction) {
    const { date, note } = edit.correction;
    const oneLine = note.replace(/\s+/g, ' ').trim();
    const block = (indent: string) =>
      `${indent}- date: ${date}${eol}${indent}  note: ${stringify(oneLine, { lineWidth: 0 }).trimEnd()}${eol}`;
    const corrections = pairOf('corrections');
    const value = corrections?.value as Node | null | undefined;
    if (!corrections) {
      const at = lineEndAfter(yaml.length);
      edits.push([at, 0, `${ensureEol(at)}corrections:${eol}${block('  ')}`]);
    } else if (value == null || (isScalar(value) && value.value == null)) {
      const key = corrections.key as Node;
      const at = lineEndAfter((key.range as [number, number, number])[1] + 1);
      edits.push([at, 0, `${ensureEol(at)}${block('  ')}`]);
    } else if (isSeq(value) && value.range && !value.flow) {
      const first = value.items[0] as Node | undefined;
      const lineStart = yaml.lastIndexOf('\n', first?.range?.[0] ?? value.range[0]) + 1;
      const indent = /^[ \t]*/.exec(yaml.slice(lineStart))?.[0] ?? '';
      const at = lineEndAfter(value.range[1]);
      edits.push([at, 0, `${ensureEol(at)}${block(indent)}`]);
    } else if (isSeq(value) && value.range) {
      const close = yaml.lastIndexOf(']', value.range[1]);
      const entry = `{ date: ${date}, note: ${JSON.stringify(oneLine)} }`;
      edits.push([close, 0, value.items.length ? `, ${entry}` : entry]);
    } else {
      return { error: '`corrections` is not a list' };
    }
  }

  let result = '';
  let done = 0;
  // Stable: two insertions at one place keep the order they were made in.
  for (const [at, remove, insert] of [...edits].sort((a, b) => a[0] - b[0])) {
    result += yaml.slice(done, at) + insert;
    done = at + remove;
  }
  result += yaml.slice(done);
  return { text: text.slice(0, bounds.start) + result + text.slice(bounds.end) };
}
