/**
 * The second thread of a build (see pool.ts). It may first parse stories beside the main
 * thread; to render, it loads what the main thread loads, from the same files and the same
 * parsed stories, so the model and every file's bytes are the same whichever thread
 * renders them. It loads that model as soon as it is sent the stories (`prepare`), while
 * the main thread loads and plans its own, or else when it is sent files to render.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics.js';
import { type LoadedSite, loadSite } from '../load/load-site.js';
import { loadStories } from '../load/load-stories.js';
import { prepare } from '../load/prepare.js';
import { createTemplates, prepareRuntime } from '../render/environment.js';
import type { OutputJob, RenderContext } from '../render/output.js';
import { outputs } from '../render/outputs.js';
import { renderPending } from '../render/render-files.js';
import { StagedOutput } from '../write/write-output.js';
import { emptyCache } from './build-cache.js';
import { loadMemo } from './memo.js';
import { type ModelTask, type Reply, type Share, StoryQueue, type Task } from './pool.js';

type Job = { output: string; job: OutputJob; key: string };

/** The model and every file planned from it, so that the main thread can hand over any. */
interface Model {
  loaded?: LoadedSite;
  jobs: Map<string, Job>;
  feeds: Set<string>;
}

prepareRuntime();
const send = (reply: Reply) => parentPort?.postMessage(reply);
const cache = emptyCache();

// Messages wait here until asked for: one may arrive while this thread is busy loading.
const inbox: unknown[] = [];
let waiting: ((message: unknown) => void) | undefined;
const receive = (message: unknown) => {
  const take = waiting;
  waiting = undefined;
  if (take) take(message);
  else inbox.push(message);
};
parentPort?.on('message', receive);
function next<T>(): Promise<T> {
  if (inbox.length) return Promise.resolve(inbox.shift() as T);
  return new Promise((resolve) => {
    waiting = resolve as (message: unknown) => void;
  });
}

async function parse(task: Extract<Task, { kind: 'parse' }>): Promise<void> {
  const diagnostics: Diagnostic[] = [];
  const prepared = await prepare(task.root, task.strict, diagnostics);
  if (prepared) {
    await loadStories(task.root, prepared.config, prepared.locales.localizers, diagnostics, {
      memo: loadMemo(cache).stories,
      parseKey: prepared.parseKey,
      take: StoryQueue.from(task.queue).take,
    });
  }
  // Kept here for rendering; the main thread gets a copy.
  send({ kind: 'parsed', entries: [...cache.stories] });
}

async function loadModel(task: ModelTask): Promise<Model> {
  for (const [id, entry] of task.stories) cache.stories.set(id, entry);
  for (const id of task.removed) cache.stories.delete(id);
  cache.parseKey = task.parseKey;
  // The stories as the main thread loaded them, not as their folders are now: a file saved
  // since would give this thread's files another parse than the main thread's keys.
  cache.changedStories = new Set();
  const options = { ...task.options, now: new Date(task.options.now) };
  // Loading problems were reported by the main thread; only rendering ones are news.
  const loaded = await loadSite(task.root, options, [], loadMemo(cache));
  const model: Model = { loaded, jobs: new Map(), feeds: new Set() };
  if (!loaded) return model;
  const context: RenderContext = {
    templates: createTemplates(task.root),
    diagnostics: [],
    items: new Map(),
    itemUses: new Map(),
  };
  for (const output of outputs) {
    for (const job of output.plan(loaded.site, context)) {
      if (output.feeds) model.feeds.add(job.path);
      model.jobs.set(job.path, { output: output.name, job, key: '' });
    }
  }
  return model;
}

function askForMore(): Promise<string[]> {
  send({ kind: 'more' });
  return next<Share>().then((share) => share.paths);
}

async function render(task: Extract<Task, { kind: 'render' }>, model: Model): Promise<void> {
  const diagnostics: Diagnostic[] = [];
  const out = task.area ? StagedOutput.join(task.area) : undefined;
  const toRender = (paths: readonly string[]) =>
    paths.flatMap((path) => {
      const pending = model.jobs.get(path);
      return pending ? [pending] : [];
    });
  // Paths written since the last message: sent in batches, one message per file costs.
  let batch: string[] = [];
  const flush = () => {
    if (batch.length) send({ kind: 'written', paths: batch });
    batch = [];
  };
  const rendered = (path: string, contents: string | Uint8Array) => {
    if (!out) return send({ kind: 'file', path, contents });
    out.write({ path, contents, feed: model.feeds.has(path) });
    batch.push(path);
    if (batch.length === 64) flush();
  };
  if (model.loaded) {
    await renderPending(toRender(task.paths), rendered, diagnostics, false);
    flush();
    // Then what the main thread has not got to yet, a share at a time, until it has none.
    for (let paths = await askForMore(); paths.length; paths = await askForMore()) {
      await renderPending(toRender(paths), rendered, diagnostics, false);
      flush();
    }
  }
  const unknownKeys = [...(model.loaded?.locales.unknownKeys ?? [])];
  send({ kind: 'rendered', diagnostics, unknownKeys, changedFeeds: out?.changedFeeds ?? [] });
}

let task = workerData as Task;
if (task.kind === 'parse') {
  await parse(task);
  // Then the stories to prepare with, the files to render, or nothing: the main thread
  // stops this one when it needs no more.
  task = await next<Task>();
}
let model: Model | undefined;
if (task.kind === 'prepare') {
  model = await loadModel(task);
  task = await next<Task>();
}
if (task.kind === 'render') {
  // Loaded again if the main thread's stories changed since it prepared.
  if (!model || task.stories.length || task.removed.length) model = await loadModel(task);
  await render(task, model);
}
parentPort?.off('message', receive);
