import { expect, test } from 'vitest';
import { locateSelection, plainText } from './locate-selection.js';

const BODY = [
  'The city closed two lanes of the bridge on Monday. The bridge',
  'carries 60,000 vehicles a day, and the brigde will reopen in June.',
  '',
  '## What the *mayor* said',
  '',
  'The mayor said the brigde repairs were overdue, citing a **2019 report**',
  'on the [bridge](https://example.org/bridge "Bridge") and its ![piers](piers.png) piers.',
  '',
].join('\n');

const at = (located: ReturnType<typeof locateSelection>) =>
  located.ok ? BODY.slice(located.start, located.end) : located;

test('the body as a page shows it: no markup, one space for each run of whitespace', () => {
  expect(plainText(BODY).text).toBe(
    'The city closed two lanes of the bridge on Monday. The bridge carries 60,000 vehicles a day, and the brigde will reopen in June. What the mayor said The mayor said the brigde repairs were overdue, citing a 2019 report on the bridge and its piers. ',
  );
});

test('the occurrence in the reader’s context is the one found', () => {
  const first = locateSelection(BODY, {
    selection: 'brigde',
    contextBefore: 'The bridge carries 60,000 vehicles a day, and the ',
    contextAfter: ' will reopen in June.',
  });
  expect(first).toMatchObject({ ok: true, start: BODY.indexOf('brigde') });
  const second = locateSelection(BODY, {
    selection: 'brigde',
    contextBefore: 'The mayor said the ',
    contextAfter: ' repairs were overdue, citing a 2019 report on the bridge',
  });
  expect(second).toMatchObject({ ok: true, start: BODY.lastIndexOf('brigde') });
  // Across a line break, and inside bold text.
  expect(
    at(
      locateSelection(BODY, {
        selection: 'bridge carries',
        contextBefore: 'on Monday. The ',
        contextAfter: ' 60,000',
      }),
    ),
  ).toBe('bridge\ncarries');
  expect(
    at(
      locateSelection(BODY, {
        selection: '2019',
        contextBefore: 'overdue, citing a ',
        contextAfter: ' report on the bridge',
      }),
    ),
  ).toBe('2019');
});

test('nowhere, out of context, ambiguous, or across formatting: refused with the lines', () => {
  expect(
    locateSelection(BODY, { selection: 'Dnirpo', contextBefore: '', contextAfter: '' }),
  ).toEqual({ ok: false, reason: 'notFound', lines: [] });
  expect(
    locateSelection(BODY, {
      selection: 'brigde',
      contextBefore: 'and the old ',
      contextAfter: ' will reopen',
    }),
  ).toEqual({ ok: false, reason: 'moved', lines: [2, 6] });
  expect(
    locateSelection('Prices rose in Kyivv.\n\nPrices rose in Kyivv.\n', {
      selection: 'Kyivv',
      contextBefore: 'Prices rose in ',
      contextAfter: '.',
    }),
  ).toEqual({ ok: false, reason: 'ambiguous', lines: [1, 3] });
  expect(
    locateSelection(BODY, {
      selection: 'citing a 2019',
      contextBefore: 'repairs were overdue, ',
      contextAfter: ' report',
    }),
  ).toEqual({ ok: false, reason: 'markup', lines: [6] });
});
