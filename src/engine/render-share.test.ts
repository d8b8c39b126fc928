import { expect, test } from 'vitest';
import { type Progress, renderPending } from '../render/render-files.js';
import { takeShare } from './render-threads.js';

test('a list rendered from the front and shared from the end is rendered once, whole', async () => {
  const paths = Array.from({ length: 200 }, (_, i) => `page-${i}.html`);
  const pending = paths.map((path) => ({
    output: 'pages',
    key: '',
    job: { path, key: '', render: () => path },
  }));
  const progress: Progress = { next: 0, end: pending.length };
  const mine: string[] = [];
  const theirs: string[] = [];
  // The other thread asks for more now and then, as the worker does between renders.
  const asking = (async () => {
    for (
      let share = takeShare(pending, progress);
      share.length;
      share = takeShare(pending, progress)
    ) {
      theirs.push(...share.map((p) => p.job.path));
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await renderPending(pending, (path) => mine.push(path), [], true, undefined, progress);
  await asking;
  expect(theirs.length).toBeGreaterThan(0);
  expect(mine.length).toBeGreaterThan(0);
  expect([...mine, ...theirs].sort()).toEqual([...paths].sort());
  // This thread rendered a run from the front; shares came off the end, larger first.
  expect(mine).toEqual(paths.slice(0, mine.length));
});

test('a share is a third of what is left, at least 16, and never what was started', () => {
  const list = Array.from({ length: 100 }, (_, i) => i);
  const progress: Progress = { next: 10, end: 100 };
  expect(takeShare(list, progress)).toEqual(list.slice(70, 100));
  expect(progress.end).toBe(70);
  expect(takeShare(list, progress)).toEqual(list.slice(50, 70));
  progress.next = 45;
  expect(takeShare(list, progress)).toEqual(list.slice(45, 50));
  expect(takeShare(list, progress)).toEqual([]);
});
