/**
 * nunjucks leaves V8's String.prototype in slow, dictionary mode when it is loaded, which
 * made every string method call of a build slower (the Markdown twice as slow); the
 * templates module turns it back (see restoreFastStringPrototype). Checked with V8's own
 * `%HasFastProperties` in a child process started with --allow-natives-syntax, in the main
 * thread and in a worker thread, as a two-thread build has both. Uses the compiled lib/,
 * as `polyfeed build` does.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

/** Runs `script` as a module in a new Node with natives syntax; returns its stdout lines. */
function natives(script: string): string[] {
  const run = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trim().split('\n');
}

const BUILD = pathToFileURL(join(REPO, 'lib', 'build.js')).href;

describe('String.prototype after loading the build', () => {
  it('is slow after nunjucks alone: the V8 behaviour the workaround is for', () => {
    // When this fails, V8 or nunjucks changed and restoreFastStringPrototype can go.
    const lines = natives(`
      import { createRequire } from 'node:module';
      createRequire(${JSON.stringify(join(REPO, 'package.json'))})('nunjucks');
      console.log(%HasFastProperties(String.prototype));
    `);
    expect(lines).toEqual(['false']);
  });

  it('is fast again in the main thread and in a worker thread', () => {
    const lines = natives(`
      import { Worker } from 'node:worker_threads';
      await import(${JSON.stringify(BUILD)});
      console.log('main', %HasFastProperties(String.prototype));
      // An evaluated worker is a module too (--input-type applies to it).
      const worker = new Worker(
        "const { parentPort } = await import('node:worker_threads');" +
          'await import(' + ${JSON.stringify(JSON.stringify(BUILD))} + ');' +
          'parentPort.postMessage(%HasFastProperties(String.prototype));',
        { eval: true },
      );
      const [fast] = await new Promise((resolve) => worker.once('message', (m) => resolve([m])));
      console.log('worker', fast);
    `);
    expect(lines).toEqual(['main true', 'worker true']);
  });
});
