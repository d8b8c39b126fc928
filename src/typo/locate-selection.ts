/**
 * Where in an article's Markdown a reader's selection is. The reader selected rendered
 * text, with the words around it (the context); the Markdown has markup between those
 * words (`**`, `[text](url)`, line breaks). So the body is read as a page shows it, keeping
 * for each character where it came from, and the selection is looked for there with its
 * context. Only an occurrence whose nearby context still matches is taken: the same word
 * elsewhere, or the same word after the paragraph was rewritten, is not.
 */

/** How many characters of context on each side must match, at most (less at a paragraph's edge). */
const NEAR = 32;

export interface Selection {
  selection: string;
  contextBefore: string;
  contextAfter: string;
}

export type Located =
  | { ok: true; start: number; end: number }
  | {
      ok: false;
      /** notFound: nowhere; ambiguous: several equally good; moved: only out of context; markup: spans formatting. */
      reason: 'notFound' | 'ambiguous' | 'moved' | 'markup';
      /** 1-based lines of `text` where the selection was seen. */
      lines: number[];
    };

/** Characters that are formatting in Markdown and never text on the page (when not escaped). */
const MARKUP_CHARS = /[*_~`]/g;
const MARKUP_CHAR = /[*_~`]/;

/** Text as compared: no formatting characters, whitespace runs as one space. */
export function normalize(text: string): string {
  return text.replace(MARKUP_CHARS, '').replace(/\s+/g, ' ');
}

/**
 * The text of a Markdown body as a reader sees it, with `from[i]`, the offset in `body` of
 * plain character i. Approximate by design: it only has to find the reader's words again.
 */
export function plainText(body: string): { text: string; from: number[] } {
  let text = '';
  const from: number[] = [];
  const emit = (char: string, at: number) => {
    if (/\s/.test(char)) {
      if (text.length && !text.endsWith(' ')) {
        text += ' ';
        from.push(at);
      }
      return;
    }
    text += char;
    from.push(at);
  };
  let i = 0;
  let lineStart = true;
  while (i < body.length) {
    if (lineStart) {
      lineStart = false;
      const rest = body.slice(i);
      const skipLine = /^[ \t]*(:::|\[[^\]]+\]:\s)[^\n]*/.exec(rest);
      if (skipLine) {
        i += skipLine[0].length;
        continue;
      }
      const marker = /^[ \t]*(?:(?:>[ \t]?)+|#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+)*/.exec(rest);
      if (marker?.[0]) {
        emit(' ', i);
        i += marker[0].length;
        continue;
      }
    }
    const char = body[i] as string;
    if (char === '\n') {
      emit(' ', i);
      i++;
      lineStart = true;
      continue;
    }
    if (char === '\\' && /[!-/:-@[-`{-~]/.test(body[i + 1] ?? '')) {
      if (!MARKUP_CHAR.test(body[i + 1] as string)) emit(body[i + 1] as string, i + 1);
      i += 2;
      continue;
    }
    // An image shows no text; a link shows its text, not its target.
    const image = /^!\[[^\]]*\]\([^)]*\)/.exec(body.slice(i, i + 2000));
    if (image) {
      i += image[0].length;
      continue;
    }
    if (char === '[' || char === ']') {
      const target =
        char === ']' ? /^\]\([^)]*\)|^\]\[[^\]]*\]/.exec(body.slice(i, i + 2000)) : null;
      i += target ? target[0].length : 1;
      continue;
    }
    if (char === '<') {
      const tag = /^<\/?[A-Za-z][^<>]*>|^<!--[\s\S]*?-->/.exec(body.slice(i, i + 2000));
      if (tag) {
        i += tag[0].length;
        continue;
      }
    }
    if (MARKUP_CHAR.test(char)) {
      i++;
      continue;
    }
    emit(char, i);
    i++;
  }
  return { text, from };
}

/** Finds the one occurrence of the reader's selection that sits in its context. */
export function locateSelection(body: string, report: Selection): Located {
  const plain = plainText(body);
  const wanted = normalize(report.selection).trim();
  const before = normalize(report.contextBefore);
  const after = normalize(report.contextAfter);
  if (!wanted) return { ok: false, reason: 'notFound', lines: [] };
  const found: { at: number; before: number; after: number }[] = [];
  for (let at = plain.text.indexOf(wanted); at >= 0; at = plain.text.indexOf(wanted, at + 1)) {
    found.push({
      at,
      before: commonSuffix(plain.text.slice(0, at), before),
      after: commonPrefix(plain.text.slice(at + wanted.length), after),
    });
  }
  const lineOf = (at: number) => lineAt(body, plain.from[at] ?? 0);
  if (!found.length) return { ok: false, reason: 'notFound', lines: [] };
  const needBefore = Math.min(before.trimStart().length, NEAR);
  const needAfter = Math.min(after.trimEnd().length, NEAR);
  const near = found.filter((f) => f.before >= needBefore && f.after >= needAfter);
  if (!near.length) return { ok: false, reason: 'moved', lines: found.map((f) => lineOf(f.at)) };
  // Several in their near context: the one that matches more of it, if only one does.
  const score = (f: (typeof near)[number]) => f.before + f.after;
  const best = Math.max(...near.map(score));
  const top = near.filter((f) => score(f) === best);
  if (top.length > 1)
    return { ok: false, reason: 'ambiguous', lines: top.map((f) => lineOf(f.at)) };
  const chosen = top[0] as (typeof near)[number];
  const start = plain.from[chosen.at] as number;
  const end = (plain.from[chosen.at + wanted.length - 1] as number) + 1;
  // Only plain words are replaced: formatting inside would be lost.
  const source = body.slice(start, end);
  if (source.replace(/\s+/g, ' ') !== wanted)
    return { ok: false, reason: 'markup', lines: [lineOf(chosen.at)] };
  return { ok: true, start, end };
}

function commonSuffix(text: string, context: string): number {
  let n = 0;
  while (
    n < context.length &&
    n < text.length &&
    text[text.length - 1 - n] === context[context.length - 1 - n]
  )
    n++;
  return n;
}

function commonPrefix(text: string, context: string): number {
  let n = 0;
  while (n < context.length && n < text.length && text[n] === context[n]) n++;
  return n;
}

/** The 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
