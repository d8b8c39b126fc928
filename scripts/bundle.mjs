// Part of `npm run compile`, after tsc: the command and its worker thread bundled with
// their dependencies into lib/bundle/, which bin/polyfeed.js runs. Node then reads a few
// dozen files instead of 925 (date-fns alone is 305, through date-fns-tz), and a build
// starts 0.35-0.4 s sooner, in each thread. lib/ itself stays as tsc wrote it, for tests
// and for importing Polyfeed as a library.
import { renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const lib = (path) => fileURLToPath(new URL(`../lib/${path}`, import.meta.url));
// Written beside, then put in place: a command running from the last bundle keeps its
// chunks until the last moment.
const next = lib(`bundle-next-${process.pid}`);
const bundle = await rolldown({
  input: {
    polyfeed: lib('cli/index.js'),
    // Beside the chunks, where pool.js looks for it ('./build-worker.js').
    'build-worker': lib('engine/build-worker.js'),
  },
  platform: 'node',
  // Native code, optional native code, or only for the typo service and the dev server:
  // left to load from node_modules. So are date-fns' locales, imported by name when needed.
  external: ['better-sqlite3', 'pg', 'nodemailer', 'chokidar', /^date-fns\/locale\//],
  logLevel: 'warn',
});
await bundle.write({
  dir: next,
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: '[name]-[hash].js',
  sourcemap: true,
});
await bundle.close();
rmSync(lib('bundle'), { recursive: true, force: true });
renameSync(next, lib('bundle'));
