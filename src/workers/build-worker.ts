/**
 * The second thread of a build (see pool.ts). It loads what the main thread loads, from the
 * same files and the same parsed stories, so the model and every file's bytes are the same
 * whichever thread renders them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderPending } from '../build.js';
import { emptyCache } from '../cache/build-cache.js';
import { loadStories } from '../content/load-stories.js';
import type { Diagnostic } from '../diagnostics.js';
import { loadSite, prepare } from '../load-site.js';
import { outputs, type RenderContext } from '../outputs/index.js';
import { createTemplates } from '../templates/environment.js';
import { StagedOutput } from '../write-output.js';
import type { Reply, Task } from './pool.js';

const task = workerData as Task;
const send = (reply: Reply) => parentPort?.postMessage(reply);

if (task.kind === 'parse') {
  const diagnostics: Diagnostic[] = [];
  const prepared = await prepare(task.root, task.strict, diagnostics);
  const cache = emptyCache();
  if (prepared) {
    const wanted = new Set(task.ids);
    await loadStories(task.root, prepared.config, prepared.locales.localizers, diagnostics, {
      cache,
      parseKey: prepared.parseKey,
      only: (id) => wanted.has(id),
    });
  }
  const entries = [...cache.stories].map(([id, entry]): [string, typeof entry] => [
    id,
    { ...entry, articles: entry.articles.map((a) => ({ ...a, translations: [] })) },
  ]);
  send({ kind: 'parsed', entries });
} else {
  const cache = emptyCache();
  cache.stories = new Map(task.stories);
  cache.parseKey = task.parseKey;
  const options = { ...task.options, now: new Date(task.options.now), cache };
  // Loading problems were reported by the main thread; only rendering ones are news.
  const loaded = await loadSite(task.root, options, []);
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
    const wanted = new Set(task.paths);
    const feeds = new Set<string>();
    const pending = outputs.flatMap((output) =>
      output
        .plan(loaded.site, context)
        .filter((job) => wanted.has(job.path))
        .map((job) => {
          if (output.feeds) feeds.add(job.path);
          return { output: output.name, job, key: '' };
        }),
    );
    // Paths written since the last message: sent in batches, one message per file costs.
    let batch: string[] = [];
    const flush = () => {
      if (batch.length) send({ kind: 'written', paths: batch });
      batch = [];
    };
    await renderPending(
      pending,
      (path, contents) => {
        if (!out) return send({ kind: 'file', path, contents });
        out.write({ path, contents, feed: feeds.has(path) });
        batch.push(path);
        if (batch.length === 64) flush();
      },
      diagnostics,
      false,
    );
    flush();
    unknownKeys.push(...loaded.locales.unknownKeys);
  }
  send({ kind: 'rendered', diagnostics, unknownKeys, changedFeeds: out?.changedFeeds ?? [] });
}
