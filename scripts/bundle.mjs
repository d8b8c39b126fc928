// Part of `npm run compile`, after tsc: the command and its worker thread bundled with
// their dependencies into lib/bundle/, which bin/polyfeed.js runs. Node then reads a few
// dozen files instead of 925 (date-fns alone is 305, through date-fns-tz), and a build
// starts 0.35-0.4 s sooner, in each thread. lib/ itself stays as tsc wrote it, for tests
// and for importing Polyfeed as a library.
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const lib = (path) => fileURLToPath(new URL(`../lib/${path}`, import.meta.url));
const current = lib('bundle');
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
// The same bundle as before is left in place: `polyfeed build` stamps Polyfeed's own
// files, and `npm run build` compiles first, so new files would make it build again.
if (sameFiles(current, next)) rmSync(next, { recursive: true });
else {
  rmSync(current, { recursive: true, force: true });
  renameSync(next, current);
}

function sameFiles(a, b) {
  const names = (folder) => {
    try {
      return readdirSync(folder).sort();
    } catch {
      return undefined;
    }
  };
  const [left, right] = [names(a), names(b)];
  if (!left || !right || left.join('\n') !== right.join('\n')) return false;
  return left.every((name) => readFileSync(join(a, name)).equals(readFileSync(join(b, name))));
}
