/**
 * nunjucks leaves V8's String.prototype in slow, dictionary mode when it is loaded, which
 * made every string method call of a build slower (the Markdown twice as slow);
 * prepareRuntime() turns it back (see render/environment.ts), and build() and the worker
 * thread call it: importing a module changes nothing. Checked with V8's own
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
const ENVIRONMENT = pathToFileURL(join(REPO, 'lib', 'render', 'environment.js')).href;

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

  it('importing the build changes nothing; a build makes it fast again', () => {
    const lines = natives(`
      const { build } = await import(${JSON.stringify(BUILD)});
      console.log('imported', %HasFastProperties(String.prototype));
      await build(${JSON.stringify(join(REPO, 'tests', 'fixtures', 'basic'))}, {
        now: new Date('2025-01-01T00:00:00Z'),
        drafts: false,
        strict: false,
      });
      console.log('built', %HasFastProperties(String.prototype));
    `);
    expect(lines).toEqual(['imported false', 'built true']);
  });

  it('is fast in the worker thread, which prepares the runtime when it starts', () => {
    // The worker's first lines, as build-worker.js runs them, in an evaluated worker.
    const lines = natives(`
      import { Worker } from 'node:worker_threads';
      const worker = new Worker(
        "const { parentPort } = await import('node:worker_threads');" +
          'const { prepareRuntime } = await import(' + ${JSON.stringify(JSON.stringify(ENVIRONMENT))} + ');' +
          'const before = %HasFastProperties(String.prototype);' +
          'prepareRuntime();' +
          'parentPort.postMessage([before, %HasFastProperties(String.prototype)]);',
        { eval: true },
      );
      const [fast] = await new Promise((resolve) => worker.once('message', (m) => resolve([m])));
      console.log('worker', fast.join(' '));
    `);
    expect(lines).toEqual(['worker false true']);
  });
});
