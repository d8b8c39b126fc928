import { expect, test } from 'vitest';
import { StoryQueue } from './pool.js';

test('two threads taking from one story queue get every story once, then nothing', () => {
  const ids = Array.from({ length: 50 }, (_, i) => `s${String(i).padStart(3, '0')}`);
  const ours = new StoryQueue(ids);
  // The worker's copy, as it is rebuilt there from the plain data it is sent.
  const theirs = StoryQueue.from(structuredClone(ours.shared()));
  const taken: string[] = [];
  for (let turn = 0; ; turn++) {
    const id = (turn % 3 === 0 ? theirs : ours).take();
    if (id === undefined) break;
    taken.push(id);
  }
  expect(taken).toEqual(ids);
  expect(ours.take()).toBeUndefined();
  expect(theirs.take()).toBeUndefined();
});
