/**
 * The second thread of a build (see pool.ts). It may first parse stories beside the main
 * thread; to render, it loads what the main thread loads, from the same files and the same
 * parsed stories, so the model and every file's bytes are the same whichever thread
 * renders them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics.js';
import { loadSite } from '../load/load-site.js';
import { loadStories } from '../load/load-stories.js';
import { prepare } from '../load/prepare.js';
import { createTemplates, prepareRuntime } from '../render/environment.js';
import type { OutputJob, RenderContext } from '../render/output.js';
import { outputs } from '../render/outputs.js';
import { renderPending } from '../render/render-files.js';
import { StagedOutput } from '../write/write-output.js';
import { emptyCache } from './build-cache.js';
import { loadMemo } from './memo.js';
import { type Reply, type Share, StoryQueue, type Task } from './pool.js';

prepareRuntime();
let task = workerData as Task;
const send = (reply: Reply) => parentPort?.postMessage(reply);
const cache = emptyCache();

function askForMore(): Promise<string[]> {
  return new Promise((resolve) => {
    parentPort?.once('message', (share: Share) => resolve(share.paths));
    send({ kind: 'more' });
  });
}

if (task.kind === 'parse') {
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
  // Then the render task, or nothing: the main thread stops this one when it needs no more.
  task = await new Promise<Task>((resolve) => parentPort?.once('message', resolve));
}
if (task.kind === 'render') {
  for (const [id, entry] of task.stories) cache.stories.set(id, entry);
  cache.parseKey = task.parseKey;
  // The stories as the main thread loaded them, not as their folders are now: a file saved
  // since would give this thread's files another parse than the main thread's keys.
  cache.changedStories = new Set();
  const options = { ...task.options, now: new Date(task.options.now) };
  // Loading problems were reported by the main thread; only rendering ones are news.
  const loaded = await loadSite(task.root, options, [], loadMemo(cache));
  const diagnostics: Diagnostic[] = [];
  const unknownKeys: string[] = [];
  const out = task.area ? StagedOutput.join(task.area) : undefined;
  if (loaded) {
    const context: RenderContext = {
      templates: createTemplates(task.root),
      diagnostics: [],
      items: new Map(),
      itemUses: new Map(),
    };
    // Every file is planned, so that the main thread can hand over any of them.
    const feeds = new Set<string>();
    const jobs = new Map<string, { output: string; job: OutputJob; key: string }>();
    for (const output of outputs) {
      for (const job of output.plan(loaded.site, context)) {
        if (output.feeds) feeds.add(job.path);
        jobs.set(job.path, { output: output.name, job, key: '' });
      }
    }
    const toRender = (paths: readonly string[]) =>
      paths.flatMap((path) => {
        const pending = jobs.get(path);
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
      out.write({ path, contents, feed: feeds.has(path) });
      batch.push(path);
      if (batch.length === 64) flush();
    };
    await renderPending(toRender(task.paths), rendered, diagnostics, false);
    flush();
    // Then what the main thread has not got to yet, a share at a time, until it has none.
    for (let paths = await askForMore(); paths.length; paths = await askForMore()) {
      await renderPending(toRender(paths), rendered, diagnostics, false);
      flush();
    }
    unknownKeys.push(...loaded.locales.unknownKeys);
  }
  send({ kind: 'rendered', diagnostics, unknownKeys, changedFeeds: out?.changedFeeds ?? [] });
}
