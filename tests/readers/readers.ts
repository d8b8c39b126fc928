/**
 * Real feed readers, run on files: Universal Feed Parser (the library behind many readers
 * and services) through a small Python script, and newsboat (a terminal reader) with a
 * fresh cache, read back from its SQLite file. What they show a subscriber is what the
 * reader tests assert. Neither can come from npm: Debian's `python3-feedparser` and
 * `newsboat` packages bring them (.ci/run installs both).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const INSTALL = 'sudo apt-get install newsboat python3-feedparser';

/** One entry as a reader shows it. Dates are epoch seconds. */
export interface ShownEntry {
  id: string;
  title: string;
  link: string;
  /** The byline the reader shows. */
  author: string;
  published: number | null;
}

export interface ShownFeed {
  /** The site link the reader offers for the feed. */
  link: string;
  entries: ShownEntry[];
  /** Universal Feed Parser only: the document was not well-formed XML. */
  broken?: string;
}

const SCRIPT = fileURLToPath(new URL('./feedparser-read.py', import.meta.url));
// Debian's package installs for Debian's Python, which may not be the first python3 on PATH.
const PYTHONS = ['python3', '/usr/bin/python3'];

/** A Python that can import feedparser, or undefined. */
export function findFeedparser(): string | undefined {
  return PYTHONS.find(
    (python) => spawnSync(python, ['-c', 'import feedparser'], { stdio: 'ignore' }).status === 0,
  );
}

export function findNewsboat(): string | undefined {
  return spawnSync('newsboat', ['--version'], { stdio: 'ignore' }).status === 0
    ? 'newsboat'
    : undefined;
}

/** What is missing, in one line with the way to install it, or undefined when both are here. */
export function missingReaders(): string | undefined {
  const missing = [
    findFeedparser() ? undefined : 'Universal Feed Parser (python3-feedparser)',
    findNewsboat() ? undefined : 'newsboat',
  ].filter(Boolean);
  return missing.length ? `${missing.join(' and ')} not found; install: ${INSTALL}` : undefined;
}

/** Universal Feed Parser's view of each file, served with its content type. */
export function readWithFeedparser(
  python: string,
  files: readonly { path: string; type: string }[],
): Map<string, ShownFeed> {
  const shown = new Map<string, ShownFeed>();
  // One process for many files: starting Python costs more than parsing a feed.
  for (let i = 0; i < files.length; i += 100) {
    const batch = files.slice(i, i + 100);
    const out = execFileSync(python, [SCRIPT, ...batch.flatMap((f) => [f.path, f.type])], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    for (const line of out.split('\n').filter(Boolean)) {
      const parsed = JSON.parse(line) as FeedparserOutput;
      shown.set(parsed.file, {
        link: parsed.feed.link ?? '',
        broken: parsed.bozo ? (parsed.bozo_exception ?? 'not well-formed') : undefined,
        entries: parsed.entries.map((e) => ({
          id: e.id ?? '',
          title: e.title ?? '',
          link: e.link ?? '',
          author: e.author ?? '',
          published: e.published,
        })),
      });
    }
  }
  return shown;
}

interface FeedparserOutput {
  file: string;
  bozo: boolean;
  bozo_exception: string | null;
  feed: { link: string | null };
  entries: {
    id: string | null;
    title: string | null;
    link: string | null;
    author: string | null;
    published: number | null;
  }[];
}

/**
 * newsboat's view of each file, subscribed to as a file:// URL. newsboat keeps one item per
 * GUID in its cache, and an article is in several feeds (main, section, tags), so feeds
 * are read in batches where no id repeats, each with a cache of its own.
 */
export function readWithNewsboat(
  files: readonly { path: string; ids: readonly string[] }[],
): Map<string, ShownFeed> {
  const batches: { paths: string[]; ids: Set<string> }[] = [];
  for (const file of files) {
    let batch = batches.find((b) => file.ids.every((id) => !b.ids.has(id)));
    if (!batch) {
      batch = { paths: [], ids: new Set() };
      batches.push(batch);
    }
    batch.paths.push(file.path);
    for (const id of file.ids) batch.ids.add(id);
  }
  const shown = new Map<string, ShownFeed>();
  for (const batch of batches) {
    for (const [path, feed] of newsboatBatch(batch.paths)) shown.set(path, feed);
  }
  return shown;
}

function newsboatBatch(paths: readonly string[]): Map<string, ShownFeed> {
  const home = mkdtempSync(join(tmpdir(), 'polyfeed-newsboat-'));
  try {
    const urls = join(home, 'urls');
    const config = join(home, 'config');
    const cache = join(home, 'cache.db');
    writeFileSync(urls, paths.map((path) => `file://${path}\n`).join(''));
    writeFileSync(config, '');
    // A UTF-8 locale: under C, newsboat turns every non-ASCII letter into "?".
    execFileSync('newsboat', ['-x', 'reload', '-u', urls, '-c', cache, '-C', config], {
      env: { ...process.env, HOME: home, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      stdio: 'ignore',
      timeout: 60_000,
    });
    const db = new Database(cache, { readonly: true });
    try {
      const shown = new Map<string, ShownFeed>();
      const feeds = db.prepare('SELECT rssurl, url FROM rss_feed').all() as {
        rssurl: string;
        url: string;
      }[];
      const items = db.prepare(
        'SELECT guid, title, author, url, pubDate FROM rss_item WHERE feedurl = ? ORDER BY id',
      );
      for (const feed of feeds) {
        const rows = items.all(feed.rssurl) as {
          guid: string;
          title: string;
          author: string;
          url: string;
          pubDate: number;
        }[];
        shown.set(feed.rssurl.slice('file://'.length), {
          link: feed.url,
          entries: rows.map((row) => ({
            id: row.guid,
            title: row.title,
            link: row.url,
            author: row.author,
            published: row.pubDate,
          })),
        });
      }
      return shown;
    } finally {
      db.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
