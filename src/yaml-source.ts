/**
 * YAML with positions: the site config and every article's front matter are parsed here,
 * and schema problems are reported at the line of the field at fault (taken from the
 * parser's nodes, not guessed with a regex).
 */
import { closest, distance } from 'fastest-levenshtein';
import { CORE_SCHEMA, load } from 'js-yaml';
import { isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { findXmlInvalid, stripXmlInvalid } from './content/sanitize.js';
import { FileReport, type Position } from './diagnostics.js';

export interface YamlSource {
  /** The parsed value, or undefined when the YAML itself is broken. */
  data: unknown;
  /** Position of the value at `path`, or of the nearest ancestor that exists. */
  positionOf(path: readonly PropertyKey[], key?: boolean): Position;
}

/**
 * Parses `text`, whose first line is line `firstLine` of the file (front matter starts
 * after its `---` fence). Syntax errors go to `report`.
 *
 * Most front matter is fine, and positions are needed only to report a problem: it is
 * parsed first with js-yaml, about six times faster than the `yaml` package's documents
 * with their positions, which are made only when a position is asked for. Anything
 * js-yaml cannot read, or text holding control characters (a warning with a position),
 * goes straight to the `yaml` package, whose errors are the ones reported.
 */
export function parseYamlSource(text: string, report: FileReport, firstLine = 1): YamlSource {
  const quick = quickParse(text);
  if (!quick) return parsePositioned(text, report, firstLine);
  let positioned: YamlSource | undefined;
  return {
    data: quick.data,
    positionOf(path, key) {
      positioned ??= parsePositioned(text, new FileReport('', []), firstLine);
      return positioned.positionOf(path, key);
    },
  };
}

/**
 * The data as js-yaml reads it with the YAML 1.2 core schema (no dates made from
 * timestamps, as with the `yaml` package); undefined where the `yaml` package must say
 * more: an error, an empty document, a control character.
 */
function quickParse(text: string): { data: unknown } | undefined {
  let data: unknown;
  try {
    data = load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (data === undefined || hasControlCharacters(data)) return undefined;
  return { data };
}

function hasControlCharacters(value: unknown): boolean {
  if (typeof value === 'string') return findXmlInvalid(value).length > 0;
  if (value && typeof value === 'object')
    return Object.values(value).some((item) => hasControlCharacters(item));
  return false;
}

/** The `yaml` package's document, with every position and every error. */
function parsePositioned(text: string, report: FileReport, firstLine: number): YamlSource {
  const lineCounter = new LineCounter();
  // The core schema keeps `2024-05-14T09:57` a string: dates are resolved by us, in the
  // site's time zone, not by the YAML parser in the machine's.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + firstLine - 1, column: col };
  };
  for (const error of doc.errors) {
    report.error('yaml/syntax', yamlMessage(error.message), undefined, at(error.pos[0]));
  }
  const positionOf = (path: readonly PropertyKey[], key = false): Position => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = nodeAt(doc.contents, path.slice(0, depth), key && depth === path.length);
      if (node?.range) return at(node.range[0]);
    }
    return { line: firstLine, column: 1 };
  };
  if (doc.errors.length) return { data: undefined, positionOf };
  const data = removeControlCharacters(doc.toJS(), [], (path, code) =>
    report.warning(
      'content/control-character',
      `removed the invisible control character U+${code}, which feeds and pages cannot carry`,
      path.join('.') || undefined,
      positionOf(path),
    ),
  );
  return { data, positionOf };
}

/**
 * `value` without the characters XML cannot carry, each reported with the path of the
 * string that held it. A raw one in the file is reported before parsing; these come from
 * YAML escapes such as "\u0001" or "\v", which reach every field of every output otherwise.
 */
function removeControlCharacters(
  value: unknown,
  path: PropertyKey[],
  report: (path: PropertyKey[], code: string) => void,
): unknown {
  if (typeof value === 'string') {
    const found = findXmlInvalid(value);
    for (const match of found)
      report(path, (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0'));
    return found.length ? stripXmlInvalid(value) : value;
  }
  // toJS() made these objects for us alone: clean them in place.
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const step = Array.isArray(value) ? Number(key) : key;
      record[key] = removeControlCharacters(record[key], [...path, step], report);
    }
  }
  return value;
}

/** Walks maps and sequences; with `key`, returns the key node of the last step. */
function nodeAt(node: unknown, path: readonly PropertyKey[], key: boolean): Node | undefined {
  let current = node as Node | undefined;
  for (const [i, step] of path.entries()) {
    if (!current || !('items' in current)) return undefined;
    const items = (current as { items: unknown[] }).items;
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === step);
      if (!pair) return undefined;
      if (key && i === path.length - 1) return pair.key as Node;
      current = pair.value as Node | undefined;
    } else {
      current = items[Number(step)] as Node | undefined;
    }
  }
  return current;
}

function yamlMessage(message: string): string {
  // The yaml package appends " at line L, column C" and a code excerpt: our position says it.
  return `broken YAML: ${message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`;
}

/**
 * Checks `source.data` against `schema`, reporting each issue at its field. Returns the
 * parsed value only when there was no issue.
 */
export function validateYaml<S extends z.ZodType>(
  schema: S,
  source: YamlSource,
  report: FileReport,
  code: string,
): z.output<S> | undefined {
  const result = schema.safeParse(source.data ?? {}, { error: describeIssue });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = [...issue.path, key].join('.');
        report.error(
          `${code}/unknown-field`,
          `unknown field${suggestion(key, fieldsAt(schema, issue.path))}`,
          field,
          source.positionOf([...issue.path, key], true),
        );
      }
      continue;
    }
    report.error(
      code,
      issue.message,
      issue.path.join('.') || undefined,
      source.positionOf(issue.path),
    );
  }
  return undefined;
}

/** Messages in a newsroom's words rather than zod's defaults. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (got ${describeValue(issue.input)})`;
    case 'too_small':
      if (issue.origin === 'array')
        return `must list at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return issue.inclusive
        ? `must be at least ${issue.minimum}`
        : `must be more than ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'text',
    array: 'a list',
    object: 'a mapping of fields',
    int: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
  };
  return names[type] ?? type;
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** Suggests the known field nearest to a misspelt one (`publised` → `published`). */
function suggestion(key: string, known: readonly string[]): string {
  const best = known.length ? closest(key, [...known]) : undefined;
  if (best && distance(key, best) <= Math.max(2, key.length / 3))
    return `; did you mean "${best}"?`;
  return known.length ? ` (known fields: ${known.join(', ')})` : '';
}

/** The field names a (possibly wrapped) object schema accepts at `path`. */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  for (let i = 0; current; ) {
    const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      if (i === path.length) return Object.keys(shape);
      current = shape[String(path[i++])];
    } else if (def.type === 'array') {
      current = def.element as z.core.$ZodType;
      i++;
    } else if (def.type === 'pipe') {
      current = def.in as z.core.$ZodType;
    } else if ('innerType' in def) {
      current = def.innerType as z.core.$ZodType;
    } else {
      return [];
    }
  }
  return [];
}
