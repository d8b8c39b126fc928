/**
 * The build cache seen through the interface the load stage defines (load/memo.ts): the
 * stories it keeps by id, under one parse key, and, where it keeps contents (the dev
 * server), what a load leaves for the next in the same process.
 */
import type { LoadMemo, StoryMemo } from '../load/memo.js';
import type { BuildCache } from './build-cache.js';

export function loadMemo(cache: BuildCache): LoadMemo {
  const stories: StoryMemo = {
    begin(parseKey) {
      if (cache.parseKey === parseKey) return;
      cache.stories.clear();
      cache.parseKey = parseKey;
    },
    get: (id) => cache.stories.get(id),
    set(id, entry) {
      cache.stories.set(id, entry);
    },
    retain(ids) {
      for (const id of cache.stories.keys()) if (!ids.has(id)) cache.stories.delete(id);
    },
    get changed() {
      return cache.changedStories;
    },
    stamp: (id) => cache.storyStamps?.get(id),
  };
  // The cache's in-memory fields are the session's: the dev server's cache keeps contents.
  return { stories, session: cache.keepContents ? cache : undefined };
}
