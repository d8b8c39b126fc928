/**
 * The build cache on disk in shards (see build-cache.ts): `<cache>/shards/<n>.v8`, each
 * with the parsed stories and the file entries of the groups that fall to it (a story
 * with its pages, a listing with its feeds). A build writes only the shards whose entries
 * are no longer the same objects: after an edit, two or three of 64, where one file of
 * 180 MB was written at 5,000 stories.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { StoryEntry } from '../load/memo.js';
import { storyGroup } from '../render/groups.js';
import { keepDigests, madeDigests } from '../render/keys.js';

const SHARDS_FOLDER = 'shards';
const SHARDS = 64;

/** What the disk keeps of an output file's entry (see OutputEntry in build-cache.ts). */
export interface ShardEntry {
  key: string;
  group?: string;
  feed?: boolean;
}

/** A part of the cache on disk. */
export interface Shard {
  stories: Map<string, StoryEntry>;
  outputs: Map<string, ShardEntry>;
}

/** What is written: the stories and file entries of a build, and the shards as last read. */
export interface ShardedParts {
  parseKey?: string;
  stories: ReadonlyMap<string, StoryEntry>;
  outputs: ReadonlyMap<string, ShardEntry>;
  shards?: Shard[];
}

/**
 * The entry with its articles' translation lists emptied, to be written or sent to another
 * thread: the lists point at other articles, which would be copied with them, and the
 * site model links them again where the entry is read (see linkTranslations).
 */
export function unlinked(entry: StoryEntry): StoryEntry {
  return { ...entry, articles: entry.articles.map((a) => ({ ...a, translations: [] })) };
}

/** A story as a shard holds it: with the digests made of its articles (see articleDigest). */
interface StoredStory extends StoryEntry {
  digests?: string[];
}

/**
 * The shard files, each read as it comes (undefined when missing or unreadable): started
 * before the build's modules load (see CacheFiles in build-cache.ts).
 */
export function readShardFiles(folder: string): Promise<Buffer | undefined>[] {
  return Array.from({ length: SHARDS }, (_, n) =>
    readFile(shardPath(folder, n)).catch(() => undefined),
  );
}

/**
 * Every shard's stories and entries, and each shard as read, to compare with when writing.
 * `whole` is false when a shard was missing, unreadable or of another format (it counts as
 * empty): its stories are parsed again, but which files it described is unknown.
 */
export async function readShards(
  files: Promise<Buffer | undefined>[],
  format: string,
  parseKey: string | undefined,
): Promise<Shard & { shards: Shard[]; whole: boolean }> {
  // Each shard is turned into objects as soon as it is read, while the others are read.
  const read = await Promise.all(
    files.map(async (file) => readShard(await file, format, parseKey)),
  );
  const stories = new Map<string, StoryEntry>();
  const outputs = new Map<string, ShardEntry>();
  const shards: Shard[] = [];
  for (const shard of read) {
    shards.push(shard ?? { stories: new Map(), outputs: new Map() });
    for (const [id, entry] of shard?.stories ?? []) stories.set(id, entry);
    for (const [path, entry] of shard?.outputs ?? []) outputs.set(path, entry);
  }
  return { stories, outputs, shards, whole: read.every((shard) => shard !== undefined) };
}

function readShard(
  file: Buffer | undefined,
  format: string,
  parseKey: string | undefined,
): Shard | undefined {
  if (!file) return undefined;
  let shard: { format: unknown; parseKey?: string } & Shard;
  try {
    shard = deserialize(file) as typeof shard;
  } catch {
    return undefined;
  }
  if (shard.format !== format) return undefined;
  // Stories parsed under other config or UI strings are parsed again; the file entries
  // stay good (a shard of unchanged files is not written again when those change).
  if (shard.parseKey !== parseKey) shard.stories.clear();
  for (const [id, { digests, ...entry }] of shard.stories as Map<string, StoredStory>) {
    entry.articles.forEach((article, i) => {
      keepDigests(article, digests?.[i] ?? '');
    });
    shard.stories.set(id, entry);
  }
  return { stories: shard.stories, outputs: shard.outputs };
}

/** Writes the shards whose entries changed since `cache.shards` were read; returns them all. */
export async function writeShards(
  folder: string,
  format: string,
  cache: ShardedParts,
): Promise<Shard[]> {
  await mkdir(join(folder, SHARDS_FOLDER), { recursive: true });
  const shards = Array.from(
    { length: SHARDS },
    (): Shard => ({ stories: new Map(), outputs: new Map() }),
  );
  for (const [id, entry] of cache.stories) shards[shardOf(storyGroup(id))]?.stories.set(id, entry);
  for (const [path, entry] of cache.outputs)
    shards[shardOf(entry.group ?? '')]?.outputs.set(path, entry);
  await Promise.all(
    shards.map(async (shard, n) => {
      const then = cache.shards?.[n];
      if (
        then &&
        sameEntries(then.stories, shard.stories) &&
        sameEntries(then.outputs, shard.outputs)
      )
        return;
      const stories = new Map(
        [...shard.stories].map(([id, entry]): [string, StoredStory] => [
          id,
          { ...unlinked(entry), digests: entry.articles.map(madeDigests) },
        ]),
      );
      const outputs = new Map(
        [...shard.outputs].map(([path, { key, group, feed }]) => [path, { key, group, feed }]),
      );
      const data = { format, parseKey: cache.parseKey, stories, outputs };
      await replaceFile(shardPath(folder, n), serialize(data));
    }),
  );
  return shards;
}

/** Written aside, then renamed: a build killed while writing leaves the old file whole. */
export async function replaceFile(path: string, data: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

function shardPath(folder: string, n: number): string {
  return join(folder, SHARDS_FOLDER, `${n}.v8`);
}

/** Which shard holds a group's story and files: FNV-1a of its name. */
function shardOf(group: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < group.length; i++) hash = Math.imul(hash ^ group.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SHARDS;
}

/** Whether two maps hold the same objects under the same keys (entries are replaced, not changed). */
function sameEntries<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}
