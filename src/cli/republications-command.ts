/**
 * `polyfeed republications list`: which pages show republished copies of the site's
 * stories, counted by `polyfeed typo-server` from their tracking image (see
 * typo/republications.ts), in the same database as the typo reports.
 */
import type { Republication } from '../typo/store.js';
import { type Command, ExitCode, siteFolder, UsageError } from './command.js';
import { loadTypoConfig, openEditorsStore } from './typo-commands.js';

export const republicationsCommand: Command = {
  name: 'republications',
  summary: 'list the pages that republished stories, with their views',
  help: `Usage: polyfeed republications list [options]

  list               per story and language, the pages showing a republished copy and
                     how often each was viewed (their tracking image was loaded)

Options:
  --site <folder>      the site folder (default .)
  --database <where>   SQLite file or postgres:// URL (default typoReport.database)
  --story <id>         only this story
  --lang <code>        only copies of this language version
  --format <f>         text (default) or json
`,
  options: {
    site: { type: 'string' },
    database: { type: 'string' },
    story: { type: 'string' },
    lang: { type: 'string' },
    format: { type: 'string' },
  },
  maxPositionals: 1,
  async run(values, positionals) {
    if (positionals[0] !== 'list') throw new UsageError('say what to do: list');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new UsageError('--format must be text or json');
    const root = siteFolder(values, []);
    const loaded = await loadTypoConfig(root);
    if (!loaded) return ExitCode.ContentErrors;
    const store = await openEditorsStore(root, values, loaded.typo);
    try {
      const rows = await store.listRepublications({
        storyId: values.story as string | undefined,
        lang: values.lang as string | undefined,
      });
      process.stdout.write(
        format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : formatRepublications(rows),
      );
      return ExitCode.Ok;
    } finally {
      await store.close();
    }
  },
};

/** Per story and language, its pages by views (most first), then one line of totals. */
export function formatRepublications(rows: readonly Republication[]): string {
  const groups = new Map<string, Republication[]>();
  for (const row of rows) {
    const key = `${row.storyId}/${row.lang}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const lines: string[] = [];
  let pages = 0;
  let views = 0;
  for (const [key, group] of groups) {
    const known = group.filter((r) => r.page !== '');
    const total = group.reduce((sum, r) => sum + r.views, 0);
    pages += known.length;
    views += total;
    lines.push(`${key}: ${plural(known.length, 'page')}, ${plural(total, 'view')}`);
    const width = String(Math.max(...group.map((r) => r.views))).length;
    for (const row of [...group].sort((a, b) => b.views - a.views || (a.page < b.page ? -1 : 1)))
      lines.push(
        `  ${String(row.views).padStart(width)}  ${row.page || '(no Referer)'}  first ${row.firstSeen}, last ${row.lastSeen}`,
      );
  }
  lines.push(
    groups.size
      ? `${plural(groups.size, 'story version')}, ${plural(pages, 'page')}, ${plural(views, 'view')}`
      : 'No republications counted yet',
  );
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
