/**
 * `polyfeed typos fix`: from a stored report to the corrected Markdown, through the real
 * CLI on a copy of a fixture site: the right occurrence replaced, `updated` set from
 * `--now` in the site's zone, a correction note added, the rest of the file byte for byte,
 * the report resolved with the change; and every refusal changing nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeEach, expect, test, vi } from 'vitest';
import { type NewReport, openStore } from '../src/typo/store.js';
import { FIXTURES, REPO } from './helpers.js';

/** The files written in this process (the in-process fix below), to see their names. */
const written = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    writeFile: ((file: string, ...rest: never[]) => {
      written.push(String(file));
      return (fs.writeFile as (...args: unknown[]) => Promise<void>)(file, ...rest);
    }) as typeof fs.writeFile,
  };
});

const ARTICLE = [
  '---',
  '# The story of the week',
  'title: "Bridge repairs: two lanes close"   # quoted, with a colon',
  'published: 2024-03-12T08:30',
  'authors: [Olena Kovalenko]',
  'section: politics',
  'tags:',
  '  - transport    # keep this comment',
  '---',
  'The city closed two lanes of the bridge on Monday. The bridge',
  'carries 60,000 vehicles a day, and the brigde will reopen in June.',
  '',
  'The mayor said the brigde repairs were overdue, citing a **2019 report**',
  'on the bridge.',
  '',
].join('\n');

const URL = 'https://news.example.org/en/articles/bridge-repairs-two-lanes-close/';
let site: string;
let file: string;
let database: string;

beforeEach(() => {
  site = mkdtempSync(join(tmpdir(), 'polyfeed-fix-'));
  cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
  file = join(site, 'articles', 'bridge', 'en.md');
  cpSync(join(site, 'articles', 'museum-reopens'), join(site, 'articles', 'bridge'), {
    recursive: true,
  });
  writeFileSync(file, ARTICLE);
  database = join(site, 'reports.sqlite');
});

async function report(change: Partial<NewReport>): Promise<number> {
  const store = await openStore(database);
  try {
    const { id } = await store.add(
      {
        selection: 'brigde',
        contextBefore: '',
        contextAfter: '',
        comment: '',
        url: URL,
        lang: 'en',
        storyId: 'bridge',
        ...change,
      },
      new Date('2024-03-13T10:00:00Z'),
    );
    return id;
  } finally {
    await store.close();
  }
}

function typos(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(REPO, 'bin', 'polyfeed.js'), 'typos', ...args, '--site', site, '--database', database],
    { encoding: 'utf8' },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('the occurrence the reader saw is fixed, updated is set, a note is added, the report resolved', async () => {
  const second = await report({
    contextBefore: 'The mayor said the ',
    contextAfter: ' repairs were overdue, citing a 2019 report on the bridge.',
  });
  const fixed = typos(
    'fix',
    String(second),
    '--text',
    'bridge',
    '--note',
    'An earlier version misspelt “bridge”.',
    '--now',
    '2024-03-14T10:00:00Z',
  );
  expect(fixed).toMatchObject({ code: 0, err: '' });
  expect(fixed.out).toBe(
    `Report ${second} fixed: articles/bridge/en.md:13: “brigde” → “bridge”; updated 2024-03-14T12:00:00+02:00, with a correction note. Build the site to publish it.\n`,
  );
  const lines = ARTICLE.split('\n');
  expect(readFileSync(file, 'utf8')).toBe(
    [
      ...lines.slice(0, 4),
      'updated: 2024-03-14T12:00:00+02:00',
      ...lines.slice(4, 8),
      'corrections:',
      '  - date: 2024-03-14T12:00:00+02:00',
      '    note: An earlier version misspelt “bridge”.',
      ...lines.slice(8, 12),
      'The mayor said the bridge repairs were overdue, citing a **2019 report**',
      ...lines.slice(13),
    ].join('\n'),
  );
  const shown = typos('show', String(second)).out;
  expect(shown).toContain('(resolved, reported 1 time)');
  expect(shown).toContain(
    'Fixed:    articles/bridge/en.md:13: “brigde” → “bridge” (updated 2024-03-14T12:00:00+02:00)',
  );
  expect(shown).toContain('Note:     An earlier version misspelt “bridge”.');

  // The other occurrence, reported later: the same selection on the same page reopens the
  // report with this reader's context. Updated is replaced in place, the note appended.
  const first = await report({
    contextBefore: 'The bridge carries 60,000 vehicles a day, and the ',
    contextAfter: ' will reopen in June.',
  });
  expect(
    typos(
      'fix',
      String(first),
      '--text',
      'bridge',
      '--note',
      'Again.',
      '--now',
      '2024-03-15T08:00:00Z',
    ).code,
  ).toBe(0);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(
    [
      'updated: 2024-03-15T10:00:00+02:00',
      'authors: [Olena Kovalenko]',
      'section: politics',
      'tags:',
      '  - transport    # keep this comment',
      'corrections:',
      '  - date: 2024-03-14T12:00:00+02:00',
      '    note: An earlier version misspelt “bridge”.',
      '  - date: 2024-03-15T10:00:00+02:00',
      '    note: Again.',
      '---',
      'The city closed two lanes of the bridge on Monday. The bridge',
      'carries 60,000 vehicles a day, and the bridge will reopen in June.',
    ].join('\n'),
  );
  expect(text).not.toContain('brigde');
  expect(first).toBe(second);
  expect(typos('list', '--status', 'resolved').out).toContain(`#${first} resolved ×2 `);
});

test('--dry-run shows the diff and changes nothing', async () => {
  const id = await report({ contextBefore: 'a day, and the ', contextAfter: ' will reopen' });
  const dry = typos(
    'fix',
    String(id),
    '--text',
    'bridge',
    '--dry-run',
    '--now',
    '2024-03-14T10:00:00Z',
  );
  expect(dry.code).toBe(0);
  expect(dry.out).toContain('--- a/articles/bridge/en.md');
  expect(dry.out).toContain('+++ b/articles/bridge/en.md');
  expect(dry.out).toContain('\n+updated: 2024-03-14T12:00:00+02:00\n');
  expect(dry.out).toContain(
    '\n-carries 60,000 vehicles a day, and the brigde will reopen in June.\n+carries 60,000 vehicles a day, and the bridge will reopen in June.\n',
  );
  expect(readFileSync(file, 'utf8')).toBe(ARTICLE);
  expect(typos('show', String(id)).out).toContain('(open, reported 1 time)');
});

test.each([
  [
    'not in the file',
    { selection: 'Dnirpo' },
    '“Dnirpo” is not in articles/bridge/en.md: it may have been corrected already.',
  ],
  [
    'only out of the context the reader saw',
    { contextBefore: 'and the old ', contextAfter: ' will reopen' },
    '“brigde” is in articles/bridge/en.md (line 11, 13), but not among the words the reader saw: the article changed since the report. Correct it by hand.',
  ],
  [
    'ambiguous',
    { selection: 'bridge', contextBefore: '', contextAfter: '' },
    '“bridge” appears 3 times in articles/bridge/en.md with the same words around it (lines 10, 10, 14); correct it by hand.',
  ],
  [
    'across formatting',
    { selection: 'citing a 2019', contextBefore: 'were overdue, ', contextAfter: ' report' },
    '“citing a 2019” spans formatting in articles/bridge/en.md (line 13); correct it by hand.',
  ],
])('refused, nothing changed: %s', async (_name, change, message) => {
  const id = await report(change);
  const result = typos('fix', String(id), '--text', 'x', '--now', '2024-03-14T10:00:00Z');
  expect(result).toMatchObject({
    code: 1,
    out: '',
    err: `polyfeed: report ${id} not fixed, nothing changed: ${message}\n`,
  });
  expect(readFileSync(file, 'utf8')).toBe(ARTICLE);
  expect(typos('show', String(id)).out).toContain('(open, ');
});

test('a fix before the article was published, or of a closed report, is refused', async () => {
  const id = await report({ contextBefore: 'a day, and the ', contextAfter: ' will reopen' });
  expect(typos('fix', String(id), '--text', 'bridge', '--now', '2024-03-01T00:00:00Z').err).toBe(
    `polyfeed: report ${id} not fixed, nothing changed: the corrected article would not build: articles/bridge/en.md: updated (2024-03-01T02:00:00+02:00) would be before published (2024-03-12T08:30)\n`,
  );
  expect(typos('dismiss', String(id)).out).toBe(`Report ${id} dismissed\n`);
  expect(typos('fix', String(id), '--text', 'bridge').err).toBe(
    `polyfeed: report ${id} not fixed, nothing changed: the report is dismissed already.\n`,
  );
  expect(readFileSync(file, 'utf8')).toBe(ARTICLE);
  expect(typos('fix', String(id)).code).toBe(2);
});

test('two fixes of one article at once: one is made, the other refused as changed, none lost', async () => {
  const { loadConfig } = await import('../src/load/load-config.js');
  const { applyFix, FixRefusal, planFix } = await import('../src/typo/fix-article.js');
  const ids = [
    await report({
      contextBefore: 'The mayor said the ',
      contextAfter: ' repairs were overdue',
    }),
    await report({
      selection: 'Monday',
      contextBefore: 'closed two lanes of the bridge on ',
      contextAfter: '. The bridge',
    }),
  ];
  const config = await loadConfig(site, []);
  if (!config) throw new Error('no config');
  const store = await openStore(database);
  try {
    const now = new Date('2024-03-14T10:00:00Z');
    const plans = await Promise.all(
      ids.map(async (id, i) => {
        const stored = await store.get(id);
        if (!stored) throw new Error(`no report ${id}`);
        const plan = await planFix(site, config, stored, {
          text: ['bridge', 'Tuesday'][i] ?? '',
          now,
        });
        if (plan instanceof FixRefusal) throw new Error(plan.code);
        return plan;
      }),
    );
    const results = await Promise.all(
      plans.map((plan, i) => applyFix(site, plan, store, ids[i] as number, now)),
    );
    expect(results[0]).toBeUndefined();
    expect(results[1]).toEqual(new FixRefusal('changed', { file: 'articles/bridge/en.md' }));
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('The mayor said the bridge repairs');
    expect(text).toContain('on Monday.');
    expect((await store.get(ids[0] as number))?.status).toBe('resolved');
    expect((await store.get(ids[1] as number))?.status).toBe('open');
    // The article is written beside it under a dotfile's name, which a build running then
    // skips (rather than take it for one of the story's media files), and none is left.
    const temporary = written.filter((path) => path.startsWith(join(site, 'articles')));
    expect(temporary).toHaveLength(1);
    expect(basename(temporary[0] ?? '')).toMatch(/^\.en\.md\.[0-9a-f]+\.tmp$/);
    expect(readdirSync(join(site, 'articles', 'bridge'))).toEqual(['en.md']);
  } finally {
    await store.close();
  }
});
