/**
 * Work handed to a second thread (the machines we build on have two cores). One worker
 * serves a build: it parses stories beside this thread, each taking the next story neither
 * has taken, then renders the feeds and the pages this thread has not got to. Starting it
 * once saves loading the modules again and copying back the stories it parsed. It runs the
 * compiled build-worker.js next to this module, so threads are used only from lib/.
 */
import { Worker } from 'node:worker_threads';
import { sharedBody } from '../content/body.js';
import type { Diagnostic } from '../diagnostics.js';
import type { StoryEntry } from '../load/memo.js';
import type { UrlManifest } from '../model/url-manifest.js';
import type { StagingArea } from '../write/write-output.js';
import { unlinked } from './cache-shards.js';

const SCRIPT = new URL('./build-worker.js', import.meta.url);

/** Story folders two threads load from, each taking the next one neither has taken. */
export class StoryQueue {
  readonly ids: readonly string[];
  /** The index of the next story, in memory both threads see. */
  private readonly next: Int32Array;

  constructor(ids: readonly string[], shared = new SharedArrayBuffer(4)) {
    this.ids = ids;
    this.next = new Int32Array(shared);
  }

  /** The same queue in another thread. */
  static from(plain: SharedQueue): StoryQueue {
    return new StoryQueue(plain.ids, plain.next);
  }

  take = (): string | undefined => this.ids[Atomics.add(this.next, 0, 1)];

  shared(): SharedQueue {
    return { ids: [...this.ids], next: this.next.buffer as SharedArrayBuffer };
  }
}

export interface SharedQueue {
  ids: string[];
  next: SharedArrayBuffer;
}

/** What the main thread sends: plain data, copied to the worker. */
export type Task =
  | { kind: 'parse'; root: string; strict: boolean; queue: SharedQueue }
  /** Load the model and plan every file now, while the main thread does the same. */
  | ({ kind: 'prepare' } & ModelTask)
  | ({
      kind: 'render';
      paths: string[];
      /** Write the files there instead of sending them back. */
      area?: StagingArea;
    } & ModelTask);

/** The stories and options the worker loads its model from, as the main thread did. */
export interface ModelTask {
  root: string;
  options: { now: number; drafts: boolean; strict: boolean; published?: UrlManifest };
  /**
   * The stories the worker does not have yet: all of them, but for those it parsed itself
   * or was sent to prepare with. After `prepare`, only the stories parsed again since.
   */
  stories: [string, StoryEntry][];
  /** Stories the worker has that the main thread's load no longer has. */
  removed: string[];
  parseKey: string;
}

export type ModelOptions = { now: Date; drafts: boolean; strict: boolean; published?: UrlManifest };

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

/**
 * What becomes of the worker's files: written into a staging area, each path then handed
 * to `written`; or sent back, each handed to `rendered`.
 */
export type WorkerFiles =
  | { area: StagingArea; written: (path: string) => void }
  | { rendered: (path: string, contents: string | Uint8Array) => void };

export interface RenderReport {
  diagnostics: Diagnostic[];
  unknownKeys: string[];
  changedFeeds: string[];
}

/** A build's second thread: parsing first (optionally), then rendering. */
export class BuildThread {
  private readonly worker: Worker;
  /** Settles when the worker stops: rejected if it failed. */
  private readonly stopped: Promise<void>;
  private onReply: (reply: Reply) => void = () => {};
  /**
   * The entries of the stories the worker has, as it parsed them or was sent them: they
   * are not sent again unless this thread's entry is another (a story whose files changed
   * while the build was loading, parsed again here).
   */
  private readonly known = new Map<string, StoryEntry>();

  private constructor(task: Task) {
    this.worker = new Worker(SCRIPT, { workerData: task });
    this.stopped = new Promise((resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`a build worker stopped with exit code ${code}`)),
      );
    });
    // Whoever waits for a reply hears of a failure; a thread no one waits on may fail quietly.
    this.stopped.catch(() => {});
    this.worker.on('message', (reply: Reply) => this.onReply(reply));
  }

  /**
   * Starts a worker that loads stories from `queue` while this thread does the same; gives
   * the thread, and the cache entries of the stories it parsed once the queue is empty.
   */
  static parse(
    root: string,
    strict: boolean,
    queue: StoryQueue,
  ): { thread: BuildThread; parsed: Promise<[string, StoryEntry][]> } {
    const thread = new BuildThread({ kind: 'parse', root, strict, queue: queue.shared() });
    let entries: [string, StoryEntry][] = [];
    const parsed = thread
      .exchange((reply) => {
        if (reply.kind !== 'parsed') return false;
        entries = reply.entries;
        for (const [id, entry] of entries) thread.known.set(id, entry);
        // Waiting for a render task, it must not keep the process alive if none comes
        // (a build that failed with an exception never sends one).
        thread.worker.unref();
        return true;
      })
      .then(() => entries);
    return { thread, parsed };
  }

  /**
   * Has the worker load its model from the stories this thread has now and plan every
   * file, while this thread does the same: it is then ready to render when this thread is.
   */
  prepare(
    root: string,
    options: ModelOptions,
    stories: ReadonlyMap<string, StoryEntry>,
    parseKey: string,
  ): void {
    this.post({ kind: 'prepare', ...modelTask(this.known, root, options, stories, parseKey) });
  }

  /**
   * Renders the files at `paths` from the same stories and options, in `thread` (one that
   * parsed stories of this build, and perhaps prepared) or in a new one; then, as long as
   * `more()` gives it any, the files it hands over.
   */
  static async render(
    thread: BuildThread | undefined,
    root: string,
    options: ModelOptions,
    stories: ReadonlyMap<string, StoryEntry>,
    parseKey: string,
    paths: string[],
    files: WorkerFiles,
    more: () => string[] = () => [],
  ): Promise<RenderReport> {
    const task: Task = {
      kind: 'render',
      ...modelTask(thread?.known ?? new Map(), root, options, stories, parseKey),
      paths,
      area: 'area' in files ? files.area : undefined,
    };
    const worker = thread ?? new BuildThread(task);
    let report: RenderReport = { diagnostics: [], unknownKeys: [], changedFeeds: [] };
    const done = worker.exchange((reply) => {
      if (reply.kind === 'more') worker.post({ kind: 'share', paths: more() } satisfies Share);
      if (reply.kind === 'file' && 'rendered' in files) files.rendered(reply.path, reply.contents);
      if (reply.kind === 'written' && 'written' in files)
        for (const p of reply.paths) files.written(p);
      if (reply.kind !== 'rendered') return false;
      report = reply;
      return true;
    });
    if (thread) {
      thread.worker.ref();
      thread.post(task);
    }
    await done;
    return report;
  }

  /** Stops the worker, whatever it is doing (a build that fails or needs it no more). */
  stop(): void {
    void this.worker.terminate();
  }

  private post(message: Task | Share): void {
    this.worker.postMessage(message);
  }

  /** Hands each reply to `handle` until it says the exchange is over. */
  private exchange(handle: (reply: Reply) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.onReply = (reply) => {
        try {
          if (handle(reply)) resolve();
        } catch (error) {
          this.stop();
          reject(error);
        }
      };
      this.stopped.then(
        () => reject(new Error('a build worker stopped before it was done')),
        reject,
      );
    });
  }
}

/**
 * What a worker that has the stories in `known` is sent to load the model this thread has
 * from `stories`: the stories it lacks or has in another version, and the ids of those it
 * has that are gone. `known` becomes `stories`.
 */
function modelTask(
  known: Map<string, StoryEntry>,
  root: string,
  options: ModelOptions,
  stories: ReadonlyMap<string, StoryEntry>,
  parseKey: string,
): ModelTask {
  const send: [string, StoryEntry][] = [];
  for (const [id, entry] of stories) {
    if (known.get(id) === entry) continue;
    // Shared, not copied: both threads then hold one body (from the disk cache, stories
    // come with bodies of their own).
    for (const article of entry.articles) article.body = sharedBody(article.body);
    send.push([id, unlinked(entry)]);
    known.set(id, entry);
  }
  const removed = [...known.keys()].filter((id) => !stories.has(id));
  for (const id of removed) known.delete(id);
  return {
    root,
    options: {
      now: options.now.getTime(),
      drafts: options.drafts,
      strict: options.strict,
      // The worker's model has the same redirects, so that it can render any page.
      published: options.published,
    },
    stories: send,
    removed,
    parseKey,
  };
}
