import { expect, test } from 'vitest';
import { editFrontMatter } from './edit-front-matter.js';

const UPDATED = '2024-03-14T12:00:00+02:00';
const edit = (text: string, note?: string) => {
  const result = editFrontMatter(text, {
    updated: UPDATED,
    correction: note ? { date: UPDATED, note } : undefined,
  });
  if ('error' in result) throw new Error(result.error);
  return result.text;
};

test('adds updated after published and a corrections list, leaving every other byte alone', () => {
  const before = [
    '---',
    '# The story of the week',
    'title: "Bridge repairs: two lanes close"   # quoted, with a colon',
    'published: 2024-03-12T08:30',
    'authors: [Olena Kovalenko,   Mark Weber]',
    '',
    'tags:',
    '    - transport    # an odd indent',
    'summary: >-',
    '  A folded summary that is long enough to be wrapped by a serializer that reflows lines at eighty',
    '  columns.',
    '---',
    'Body.',
    '',
  ].join('\n');
  expect(edit(before, 'An earlier version misspelt “bridge”: sorry.')).toBe(
    [
      '---',
      '# The story of the week',
      'title: "Bridge repairs: two lanes close"   # quoted, with a colon',
      'published: 2024-03-12T08:30',
      `updated: ${UPDATED}`,
      'authors: [Olena Kovalenko,   Mark Weber]',
      '',
      'tags:',
      '    - transport    # an odd indent',
      'summary: >-',
      '  A folded summary that is long enough to be wrapped by a serializer that reflows lines at eighty',
      '  columns.',
      'corrections:',
      `  - date: ${UPDATED}`,
      '    note: "An earlier version misspelt “bridge”: sorry."',
      '---',
      'Body.',
      '',
    ].join('\n'),
  );
});

test('replaces updated in place (keeping its comment) and appends to a block list at its indent', () => {
  const before = [
    '---',
    'published: 2024-03-12T08:30',
    "updated: '2024-03-13T09:00'  # the last edit",
    'corrections:',
    '- date: 2024-03-13T09:00',
    '  note: First.',
    '# a comment after the list',
    'section: politics',
    '---',
    '',
  ].join('\n');
  expect(edit(before, 'Second.')).toBe(
    [
      '---',
      'published: 2024-03-12T08:30',
      `updated: ${UPDATED}  # the last edit`,
      'corrections:',
      '- date: 2024-03-13T09:00',
      '  note: First.',
      `- date: ${UPDATED}`,
      '  note: Second.',
      '# a comment after the list',
      'section: politics',
      '---',
      '',
    ].join('\n'),
  );
});

test('a flow list stays a flow list; an empty key gets its first item', () => {
  expect(edit('---\npublished: 2024-01-01\ncorrections: []\n---\n', 'A, b')).toBe(
    `---\npublished: 2024-01-01\nupdated: ${UPDATED}\ncorrections: [{ date: ${UPDATED}, note: "A, b" }]\n---\n`,
  );
  expect(edit('---\ncorrections:\npublished: 2024-01-01\n---\n', 'Note')).toBe(
    `---\ncorrections:\n  - date: ${UPDATED}\n    note: Note\npublished: 2024-01-01\nupdated: ${UPDATED}\n---\n`,
  );
});

test('CRLF files keep CRLF, and a byte-order mark stays', () => {
  const before = '\uFEFF---\r\ntitle: T\r\npublished: 2024-01-01\r\n---\r\nBody\r\n';
  expect(edit(before, 'N')).toBe(
    `\uFEFF---\r\ntitle: T\r\npublished: 2024-01-01\r\nupdated: ${UPDATED}\r\ncorrections:\r\n  - date: ${UPDATED}\r\n    note: N\r\n---\r\nBody\r\n`,
  );
});

test('no note: only updated changes', () => {
  expect(edit('---\npublished: 2024-01-01\nupdated: 2024-01-02\n---\n')).toBe(
    `---\npublished: 2024-01-01\nupdated: ${UPDATED}\n---\n`,
  );
});
