/**
 * Work handed to a second thread (the machines we build on have two cores): parsing half
 * the stories, rendering half the files. Each task runs in a fresh worker that loads the
 * compiled build-worker.js next to this module, so threads are used only from lib/.
 */
import { Worker } from 'node:worker_threads';
import type { StoryEntry } from '../cache/build-cache.js';
import type { Diagnostic } from '../diagnostics.js';
import type { StagingArea } from '../write-output.js';

const SCRIPT = new URL('./build-worker.js', import.meta.url);

/** What the main thread sends: plain data, copied to the worker. */
export type Task =
  | { kind: 'parse'; root: string; strict: boolean; ids: string[] }
  | {
      kind: 'render';
      root: string;
      options: { now: number; drafts: boolean; strict: boolean };
      stories: [string, StoryEntry][];
      parseKey: string;
      paths: string[];
      /** Write the files there instead of sending them back. */
      area?: StagingArea;
    };

/** What the worker sends back. */
export type Reply =
  | { kind: 'parsed'; entries: [string, StoryEntry][] }
  /** Done with what it was given: it asks for more (answered with a `Share`). */
  | { kind: 'more' }
  | { kind: 'file'; path: string; contents: string | Uint8Array }
  | { kind: 'written'; paths: string[] }
  | { kind: 'rendered'; diagnostics: Diagnostic[]; unknownKeys: string[]; changedFeeds: string[] };

/** More files for the worker to render, taken from the main thread's list; none: finish. */
export interface Share {
  kind: 'share';
  paths: string[];
}

function run(task: Task, onReply: (reply: Reply, worker: Worker) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SCRIPT, { workerData: task });
    worker.on('message', (reply: Reply) => {
      try {
        onReply(reply, worker);
      } catch (error) {
        void worker.terminate();
        reject(error);
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`a build worker stopped with exit code ${code}`)),
    );
  });
}

/** Parses the story folders `ids` in a worker; returns their cache entries. */
export async function parseInWorker(
  root: string,
  ids: string[],
  strict = false,
): Promise<[string, StoryEntry][]> {
  let entries: [string, StoryEntry][] = [];
  await run({ kind: 'parse', root, strict, ids }, (reply) => {
    if (reply.kind === 'parsed') entries = reply.entries;
  });
  return entries;
}

/**
 * What becomes of the worker's files: written into a staging area, each path then handed
 * to `written`; or sent back, each handed to `rendered`.
 */
export type WorkerFiles =
  | { area: StagingArea; written: (path: string) => void }
  | { rendered: (path: string, contents: string | Uint8Array) => void };

/**
 * Renders the files at `paths` in a worker, from the same stories and options; then, as
 * long as `more()` gives it any, the files it hands over.
 */
export async function renderInWorker(
  root: string,
  options: { now: Date; drafts: boolean; strict: boolean },
  stories: ReadonlyMap<string, StoryEntry>,
  parseKey: string,
  paths: string[],
  files: WorkerFiles,
  more: () => string[] = () => [],
): Promise<{ diagnostics: Diagnostic[]; unknownKeys: string[]; changedFeeds: string[] }> {
  let report = {
    diagnostics: [] as Diagnostic[],
    unknownKeys: [] as string[],
    changedFeeds: [] as string[],
  };
  const task: Task = {
    kind: 'render',
    root,
    options: { now: options.now.getTime(), drafts: options.drafts, strict: options.strict },
    stories: [...stories].map(([id, entry]) => [
      id,
      { ...entry, articles: entry.articles.map((a) => ({ ...a, translations: [] })) },
    ]),
    parseKey,
    paths,
    area: 'area' in files ? files.area : undefined,
  };
  await run(task, (reply, worker) => {
    if (reply.kind === 'more') worker.postMessage({ kind: 'share', paths: more() } satisfies Share);
    if (reply.kind === 'file' && 'rendered' in files) files.rendered(reply.path, reply.contents);
    if (reply.kind === 'written' && 'written' in files)
      for (const p of reply.paths) files.written(p);
    if (reply.kind === 'rendered') report = reply;
  });
  return report;
}
