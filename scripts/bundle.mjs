// Part of `npm run compile`, after tsc: the command and its worker thread bundled with
// their dependencies into lib/bundle/, which bin/polyfeed.js runs. Node then reads a few
// dozen files instead of 925 (date-fns alone is 305, through date-fns-tz), and a build
// starts 0.35-0.4 s sooner, in each thread. lib/ itself stays as tsc wrote it, for tests
// and for importing Polyfeed as a library.
import { rmSync } from 'node:fs';
import { rolldown } from 'rolldown';

const lib = new URL('../lib/', import.meta.url);
const out = new URL('bundle/', lib);
rmSync(out, { recursive: true, force: true });
const bundle = await rolldown({
  input: {
    polyfeed: new URL('cli/index.js', lib).pathname,
    // Beside the chunks, where pool.js looks for it ('./build-worker.js').
    'build-worker': new URL('engine/build-worker.js', lib).pathname,
  },
  platform: 'node',
  // Native code, optional native code, or only for the typo service and the dev server:
  // left to load from node_modules. So are date-fns' locales, imported by name when needed.
  external: ['better-sqlite3', 'pg', 'nodemailer', 'chokidar', /^date-fns\/locale\//],
  logLevel: 'warn',
});
await bundle.write({
  dir: out.pathname,
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: '[name]-[hash].js',
  sourcemap: true,
});
await bundle.close();
