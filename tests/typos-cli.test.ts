/**
 * `polyfeed typos`: what editors see of the reports, from a real database, through the CLI.
 * (Ids have gaps: a report folded into an earlier one still draws a number, as sequences do.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openStore } from '../src/typo/store.js';
import { REPO } from './helpers.js';

let folder: string;
let database: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'polyfeed-typos-'));
  database = join(folder, 'reports.sqlite');
  const store = await openStore(database);
  const base = {
    contextBefore: 'The river in ',
    contextAfter: ' rose.',
    url: 'https://herald.example.org/en/articles/river/',
    lang: 'en',
    storyId: 'flood-warning',
  };
  await store.add({ ...base, selection: 'Dnirpo', comment: '' }, new Date('2025-01-01T10:00:00Z'));
  await store.add({ ...base, selection: 'Dnirpo', comment: '' }, new Date('2025-01-01T11:00:00Z'));
  await store.add(
    {
      ...base,
      lang: 'uk',
      storyId: 'other',
      selection: 'Київ',
      comment: '=HYPERLINK("x"), "quoted"',
    },
    new Date('2025-01-02T10:00:00Z'),
  );
  await store.close();
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function typos(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(REPO, 'bin', 'polyfeed.js'), 'typos', ...args, '--site', REPO, '--database', database],
    { encoding: 'utf8' },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('list, filters, show, resolve', () => {
  expect(typos('list').out).toBe(
    [
      '#1 open ×2 flood-warning/en: …The river in [Dnirpo] rose.…',
      '#3 open ×1 other/uk: …The river in [Київ] rose.… — =HYPERLINK("x"), "quoted"',
      '2 reports',
      '',
    ].join('\n'),
  );
  expect(typos('list', '--lang', 'uk').out).toContain('1 report\n');
  expect(typos('list', '--story', 'flood-warning').out).toContain('#1 ');
  const shown = typos('show', '1');
  expect(shown.code).toBe(0);
  expect(shown.out).toContain('Report #1 (open, reported 2 times)');
  expect(shown.out).toContain('Text:     …The river in [Dnirpo] rose.…');
  expect(typos('resolve', '1')).toMatchObject({ code: 0, out: 'Report 1 resolved\n' });
  expect(typos('list').out).not.toContain('#1 ');
  expect(typos('list', '--status', 'resolved').out).toContain('#1 resolved ×2');
  expect(typos('resolve', '99')).toMatchObject({ code: 1, err: 'polyfeed: no report 99\n' });
});

test('export as CSV (safe for spreadsheets) and JSON', () => {
  const csv = typos('export', '--format', 'csv').out.split('\r\n');
  expect(csv[0]).toBe(
    'id,status,count,lang,storyId,url,contextBefore,selection,contextAfter,comment,createdAt,updatedAt,resolvedAt',
  );
  // A formula is neutralized and quotes are doubled (RFC 4180).
  expect(csv[2]).toContain(`,"'=HYPERLINK(""x""), ""quoted""",`);
  const json = JSON.parse(typos('export', '--format', 'json', '--lang', 'uk').out);
  expect(json).toMatchObject([{ id: 3, selection: 'Київ', lang: 'uk', count: 1 }]);
});

test('wrong usage is exit code 2', () => {
  expect(typos('frobnicate').code).toBe(2);
  expect(typos('show').code).toBe(2);
  expect(typos('export', '--format', 'xml').code).toBe(2);
});
