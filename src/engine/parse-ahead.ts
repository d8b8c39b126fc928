/**
 * Parsing on two cores: the stories that need parsing are shared between a worker thread
 * and this one, each taking the next story neither has taken; both land in the cache, from
 * which the load then takes them all. The worker stays, with its stories, to render.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { ARTICLES_FOLDER, type LoadStats, loadStories } from '../load/load-stories.js';
import type { Prepared } from '../load/prepare.js';
import type { BuildCache } from './build-cache.js';
import { loadMemo } from './memo.js';
import { BuildThread, StoryQueue } from './pool.js';

/** Below this many stories a second thread costs more to start than it saves. */
const PARALLEL_STORIES = 32;

/** The worker that parsed beside this thread, or none when too few stories need parsing. */
export async function parseAhead(
  root: string,
  strict: boolean,
  prepared: Prepared,
  cache: BuildCache,
  stats: LoadStats,
): Promise<BuildThread | undefined> {
  const ids = await storyIds(root);
  const stale = ids.filter((id) => !cache.stories.has(id) || cache.parseKey !== prepared.parseKey);
  if (stale.length < PARALLEL_STORIES) return undefined;
  const queue = new StoryQueue(stale);
  const { thread, parsed } = BuildThread.parse(root, strict, queue);
  const scratch: Diagnostic[] = []; // the full load after this reports every problem once
  try {
    const [entries] = await Promise.all([
      parsed,
      loadStories(root, prepared.config, prepared.locales.localizers, scratch, {
        memo: loadMemo(cache).stories,
        parseKey: prepared.parseKey,
        stats,
        take: queue.take,
      }),
    ]);
    for (const [id, entry] of entries) cache.stories.set(id, entry);
    return thread;
  } catch (error) {
    thread.stop();
    throw error;
  }
}

async function storyIds(root: string): Promise<string[]> {
  try {
    return (await readdir(join(root, ARTICLES_FOLDER), { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}
