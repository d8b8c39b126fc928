/**
 * A reported typo corrected in the article's Markdown: the selection found in its context
 * (locate-selection.ts) and replaced, `updated` set to now in the site's time zone, and with
 * a note, an entry added to the article's `corrections` (edit-front-matter.ts). Planned
 * first, so that `--dry-run` can show the diff and a refusal changes nothing; the CLI
 * (`polyfeed typos fix`) and the editors' page both use it.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { SiteConfig } from '../config/schema.js';
import { articleSchema } from '../content/article-schema.js';
import { splitFrontMatter } from '../content/front-matter.js';
import { type Diagnostic, FileReport, formatDiagnostic } from '../diagnostics.js';
import { resolveDateTime, toRfc3339 } from '../i18n/dates.js';
import { ARTICLES_FOLDER } from '../load/load-stories.js';
import { parseYamlSource, validateYaml } from '../yaml-source.js';
import { editFrontMatter, frontMatterBounds } from './edit-front-matter.js';
import { lineAt, locateSelection } from './locate-selection.js';
import type { Correction, StoredReport, TypoStore } from './store.js';

/** Why a fix was refused; each has a message in locales/<lang>/editors.json, `fix.<code>`. */
export type RefusalCode =
  | 'notOpen'
  | 'noArticle'
  | 'notFound'
  | 'ambiguous'
  | 'moved'
  | 'markup'
  | 'emptyText'
  | 'unchanged'
  | 'invalid'
  | 'changed'
  | 'unwritable';

export class FixRefusal {
  constructor(
    readonly code: RefusalCode,
    readonly params: Record<string, string | number> = {},
  ) {}
}

export interface FixPlan {
  /** The article file, relative to the site folder. */
  file: string;
  original: string;
  edited: string;
  correction: Correction;
}

export interface FixRequest {
  /** The corrected words, in place of the selection. */
  text: string;
  /** A note for the article's `corrections` list. */
  note?: string;
  now: Date;
}

/** Where a story's article in one language is, relative to the site folder. */
export function articleFile(storyId: string, lang: string): string {
  return `${ARTICLES_FOLDER}/${storyId}/${lang}.md`;
}

export async function planFix(
  root: string,
  config: SiteConfig,
  report: StoredReport,
  request: FixRequest,
): Promise<FixPlan | FixRefusal> {
  const file = articleFile(report.storyId, report.lang);
  const shown = { selection: report.selection, file };
  if (report.status !== 'open') return new FixRefusal('notOpen', { status: report.status });
  const text = request.text.trim();
  if (!text) return new FixRefusal('emptyText');
  if (text === report.selection) return new FixRefusal('unchanged');
  let original: string;
  try {
    original = await readFile(join(root, file), 'utf8');
  } catch {
    return new FixRefusal('noArticle', { file });
  }
  const bounds = frontMatterBounds(original);
  if (!bounds) return new FixRefusal('invalid', { problem: `${file} has no front matter` });
  const fenceEnd = original.indexOf('\n', bounds.end);
  const bodyStart = fenceEnd < 0 ? original.length : fenceEnd + 1;
  const found = locateSelection(original.slice(bodyStart), report);
  const bodyLine = lineAt(original, bodyStart) - 1;
  if (!found.ok)
    return new FixRefusal(found.reason, {
      ...shown,
      count: found.lines.length,
      lines: found.lines.map((line) => line + bodyLine).join(', '),
    });
  const start = bodyStart + found.start;
  const replaced = original.slice(0, start) + text + original.slice(bodyStart + found.end);
  const updated = toRfc3339(request.now, config.timeZone);
  const note = request.note?.trim();
  const edited = editFrontMatter(replaced, {
    updated,
    correction: note ? { date: updated, note } : undefined,
  });
  if ('error' in edited) return new FixRefusal('invalid', { problem: `${file}: ${edited.error}` });
  const problem = checkArticle(file, edited.text, config, request.now);
  if (problem) return new FixRefusal('invalid', { problem });
  return {
    file,
    original,
    edited: edited.text,
    correction: {
      file,
      line: lineAt(original, start),
      before: report.selection,
      after: text,
      ...(note ? { note } : {}),
      updated,
    },
  };
}

/** The first problem the edited file's front matter would have in a build, if any. */
function checkArticle(
  file: string,
  text: string,
  config: SiteConfig,
  now: Date,
): string | undefined {
  const diagnostics: Diagnostic[] = [];
  const report = new FileReport(file, diagnostics);
  const split = splitFrontMatter(text);
  const source = parseYamlSource(split.yaml ?? '', report, split.yamlLine);
  if (source.data !== undefined)
    validateYaml(articleSchema(config.sections), source, report, 'front-matter/invalid');
  const published = (source.data as { published?: unknown } | undefined)?.published;
  const resolved =
    typeof published === 'string' ? resolveDateTime(published, config.timeZone) : undefined;
  if (resolved && 'instant' in resolved && resolved.instant > now)
    return `${file}: updated (${toRfc3339(now, config.timeZone)}) would be before published (${published})`;
  const first = diagnostics.find((d) => d.severity === 'error');
  return first && formatDiagnostic(first);
}

/** The change as a unified diff, for `--dry-run`. */
export function diffOf(plan: FixPlan): string {
  return createTwoFilesPatch(
    `a/${plan.file}`,
    `b/${plan.file}`,
    plan.original,
    plan.edited,
    '',
    '',
    {
      context: 3,
    },
  );
}

/** The fix being applied to each article file, by path: the next one waits for it. */
const fixing = new Map<string, Promise<unknown>>();

/**
 * Writes the edited article (only if the file is still as planned, replacing it in one
 * rename) and marks the report resolved with what changed. Fixes of one file in this
 * process run one after the other: the check and the rename are apart by awaits, and two
 * fixes planned on the same text would otherwise both pass it, the first one lost. The
 * second is then refused as `changed`.
 */
export function applyFix(
  root: string,
  plan: FixPlan,
  store: TypoStore,
  reportId: number,
  now: Date,
): Promise<FixRefusal | undefined> {
  const path = resolve(root, plan.file);
  const work = () => writeFix(path, plan, store, reportId, now);
  const done = (fixing.get(path) ?? Promise.resolve()).then(work, work);
  const settled = done.catch(() => {});
  fixing.set(path, settled);
  void settled.then(() => {
    if (fixing.get(path) === settled) fixing.delete(path);
  });
  return done;
}

async function writeFix(
  path: string,
  plan: FixPlan,
  store: TypoStore,
  reportId: number,
  now: Date,
): Promise<FixRefusal | undefined> {
  if ((await readFile(path, 'utf8')) !== plan.original)
    return new FixRefusal('changed', { file: plan.file });
  // A dotfile, which a build running meanwhile skips rather than take for a media file.
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, plan.edited, { mode: (await stat(path)).mode });
    await rename(temporary, path);
  } catch (error) {
    // A read-only articles folder (a server under systemd's ProtectSystem=strict without
    // ReadWritePaths=) is the usual cause: the editor is told, and nothing is changed.
    await rm(temporary, { force: true }).catch(() => {});
    const problem = (error as Error).message.replace(/, \w+ '.*$/, '');
    return new FixRefusal('unwritable', { file: plan.file, problem });
  }
  await store.resolve(reportId, now, plan.correction);
  return undefined;
}
