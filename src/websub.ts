/**
 * WebSub (https://www.w3.org/TR/websub/): after a build, the hub is told which feeds
 * changed, so that subscribers get new items at once instead of polling. A build records
 * the feeds whose bytes changed; `polyfeed ping` (or `build --ping`) posts them.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_FOLDER } from './engine/build-cache.js';

const CHANGED_FILE = 'changed-feeds.json';

/** The feeds the last build changed, as absolute URLs. */
export interface ChangedFeeds {
  feeds: string[];
}

export async function recordChangedFeeds(siteRoot: string, feeds: string[]): Promise<void> {
  await mkdir(join(siteRoot, CACHE_FOLDER), { recursive: true });
  await writeFile(
    join(siteRoot, CACHE_FOLDER, CHANGED_FILE),
    `${JSON.stringify({ feeds: [...feeds].sort() }, null, 2)}\n`,
  );
}

export async function readChangedFeeds(siteRoot: string): Promise<ChangedFeeds> {
  try {
    return JSON.parse(
      await readFile(join(siteRoot, CACHE_FOLDER, CHANGED_FILE), 'utf8'),
    ) as ChangedFeeds;
  } catch {
    return { feeds: [] };
  }
}

/** Tells `hub` that each feed changed (one publish request per feed, as every hub accepts). */
export async function ping(
  hub: string,
  feeds: readonly string[],
): Promise<{ feed: string; status: number }[]> {
  const results = [];
  for (const feed of feeds) {
    const response = await fetch(hub, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feed }).toString(),
    });
    await response.arrayBuffer();
    results.push({ feed, status: response.status });
  }
  return results;
}
