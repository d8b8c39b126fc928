#!/usr/bin/env node
// node bench/vs-hugo.mjs [--stories 1000] [--runs 3] [--threads 2] [--same-job] [--floor] [--dev] [--kit ../shared/bench] [--keep]
//
// Polyfeed and Hugo side by side on the same corpus, in one run, alternating cold builds
// (new process, empty output, no cache), as the performance issue asks: these machines
// are noisy, so the ratio is what counts. Uses the team's benchmark kit (prepare.sh writes
// the corpus for both tools and the Hugo site) and needs `hugo` on PATH
// (Debian: apt-get install hugo). Three languages (en, uk, de), as the kit's anchors.
//
// The two do not do the same amount of work: Hugo's site writes an AMP page per article,
// one index and three feeds per language; Polyfeed writes all that plus canonical pages,
// paginated section and tag pages, section and tag feeds, archives, sitemaps and partner
// feeds. The output sizes are printed beside the times. With --same-job, Polyfeed's config
// turns off what Hugo's site does not write (canonical pages, section and tag lists, feed
// archives, ninjs documents); it still writes sitemaps, OPML and paginated index pages.
// With --floor, each run also times bench/floor.mjs on the same corpus and Polyfeed's output: the libraries
// and system calls alone, without Polyfeed's code (see there). With --dev, it times the dev
// servers' start instead, until each says it serves: `hugo server` (which renders into
// memory) and `polyfeed dev` (which renders what is asked for, see render-later.ts).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
};
const stories = Number(option('stories', 1000));
const runs = Number(option('runs', 3));
const threads = option('threads', '2');
const sameJob = process.argv.includes('--same-job');
const floor = process.argv.includes('--floor');
const kitSource = resolve(option('kit', join(repo, '..', 'shared', 'bench')));
const hugo = spawnSync('hugo', ['version'], { encoding: 'utf8' });
if (hugo.status !== 0) {
  console.error('hugo is not installed (Debian: apt-get install hugo)');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'polyfeed-vs-hugo-'));
const kit = join(work, 'kit');
cpSync(kitSource, kit, { recursive: true });
execFileSync('bash', [join(kit, 'prepare.sh'), String(stories), work, 'en,uk,de'], {
  stdio: 'ignore',
});
const ours = join(work, `ours-${stories}`);
const hugoSite = join(work, `hugo-${stories}`);
// Polyfeed's benchmark site, limited to the three languages of the corpus.
cpSync(join(repo, 'bench', 'site'), ours, { recursive: true });
let config = readFileSync(join(ours, 'site.yaml'), 'utf8').replace(
  /\n {2}- code: ar\n {4}name: [^\n]+\n {4}dir: rtl/,
  '',
);
if (sameJob) {
  config = `${config.replace('feeds:\n  items: 50', 'feeds:\n  items: 50\n  archives: false')}listings:\n  sections: false\n  tags: false\npages:\n  canonical: false\n  ninjs: false\n`;
}
writeFileSync(join(ours, 'site.yaml'), config);
rmSync(join(ours, 'locales', 'ar'), { recursive: true, force: true });

function timed(command, args, env = {}) {
  const started = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  return performance.now() - started;
}
const du = (folder) => execFileSync('du', ['-sm', folder], { encoding: 'utf8' }).split('\t')[0];
const files = (folder) =>
  execFileSync('bash', ['-c', `find "${folder}" -type f | wc -l`], { encoding: 'utf8' }).trim();

if (process.argv.includes('--dev')) {
  await devStarts();
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

/** Starts `command` and waits until its output matches `ready`; stops it; the time taken. */
function timedStart(command, args, ready, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let said = '';
    const hear = (chunk) => {
      said += chunk;
      if (!ready.test(said)) return;
      const ms = performance.now() - started;
      child.removeAllListeners('exit');
      child.once('exit', () => resolve(ms));
      child.kill('SIGTERM');
    };
    child.stdout.on('data', hear);
    child.stderr.on('data', hear);
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}): ${said}`)));
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function devStarts() {
  console.log(`Dev servers' start until they serve, ${stories} stories in en, uk, de:`);
  console.log('| pair | hugo server | polyfeed dev | ratio |\n|---|---|---|---|');
  for (let i = 0; i < runs; i++) {
    const hugoMs = await timedStart(
      'hugo',
      ['server', '--source', hugoSite, '--port', String(await freePort())],
      /Web Server is available/,
      { HUGO_CACHEDIR: join(work, 'hugo-cache') },
    );
    const oursMs = await timedStart(
      process.execPath,
      [join(repo, 'bin', 'polyfeed.js'), 'dev', ours, '--port', '0', '--threads', threads],
      /Serving .* at/,
    );
    const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`| ${i + 1} | ${s(hugoMs)} | ${s(oursMs)} | ×${(oursMs / hugoMs).toFixed(2)} |`);
  }
}

const times = { hugo: [], polyfeed: [], floor: [] };
const floors = [];
const hugoOut = join(work, 'out-hugo');
const oursOut = join(work, 'out-polyfeed');
for (let i = 0; i < runs; i++) {
  rmSync(hugoOut, { recursive: true, force: true });
  times.hugo.push(
    timed('hugo', ['--source', hugoSite, '--destination', hugoOut, '--quiet'], {
      HUGO_CACHEDIR: join(work, 'hugo-cache'),
    }),
  );
  rmSync(oursOut, { recursive: true, force: true });
  rmSync(join(ours, '.polyfeed-cache'), { recursive: true, force: true });
  times.polyfeed.push(
    timed(process.execPath, [
      join(repo, 'bin', 'polyfeed.js'),
      'build',
      ours,
      '--out',
      oursOut,
      '--now',
      '2026-01-01T00:00:00Z',
      '--quiet',
      '--threads',
      threads,
    ]),
  );
  if (floor) {
    const run = spawnSync(process.execPath, [join(repo, 'bench', 'floor.mjs'), ours, oursOut], {
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`floor.mjs failed: ${run.stderr}`);
    floors.push(JSON.parse(run.stdout));
    times.floor.push(floors.at(-1).total);
  }
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const h = median(times.hugo);
const p = median(times.polyfeed);
console.log(
  `Cold builds, ${stories} stories in en, uk, de, median of ${runs} alternating runs${sameJob ? ', Polyfeed doing Hugo’s job only' : ''}:`,
);
console.log('| tool | wall | files | output |\n|---|---|---|---|');
console.log(`| Hugo | ${(h / 1000).toFixed(2)} s | ${files(hugoOut)} | ${du(hugoOut)} MiB |`);
console.log(
  `| Polyfeed (${threads} thread${threads === '1' ? '' : 's'}) | ${(p / 1000).toFixed(2)} s | ${files(oursOut)} | ${du(oursOut)} MiB |`,
);
console.log(`Polyfeed / Hugo: ×${(p / h).toFixed(2)} (the target is ×0.5)`);
console.log(
  `Pairs (Hugo, Polyfeed, ratio): ${times.hugo
    .map((hugo, i) => {
      const ours = times.polyfeed[i] ?? 0;
      return `${(hugo / 1000).toFixed(2)} s, ${(ours / 1000).toFixed(2)} s, ×${(ours / hugo).toFixed(2)}`;
    })
    .join('; ')}`,
);
if (floor) {
  const f = median(times.floor);
  const stages = floors.find((run) => run.total === f);
  console.log(
    `Floor (bench/floor.mjs, one thread, median): ${(f / 1000).toFixed(2)} s = ${Object.entries(
      stages,
    )
      .filter(([name]) => ['read', 'yaml', 'markdown', 'write'].includes(name))
      .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`)
      .join(
        ' + ',
      )}; ×${(f / h).toFixed(2)} of Hugo's time, ×${(f / 2 / h).toFixed(2)} if split perfectly over 2 cores`,
  );
}
if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
else console.log(`Kept: ${work}`);
