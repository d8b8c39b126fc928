#!/usr/bin/env node
// npm run bench -- [--stories 1000] [--langs en,uk,de,ar] [--rebuilds] [--keep]
//
// Generates the deterministic synthetic corpus (bench/gen-corpus.mjs, the generator the
// Hugo and Eleventy timings were made with) in a temporary folder, then builds it with
// Polyfeed's production code (lib/, which `npm run build` runs bundled) and prints the phases,
// CPU time and peak memory. --rebuilds then measures, each in a new process as a
// newsroom would run them: no change, one article's body edited, one locale string
// edited, one template edited; and one article edited under `polyfeed dev`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const args = {
  stories: 1000,
  langs: 'en,uk,de,ar',
  rebuilds: false,
  keep: false,
  child: undefined,
};
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i];
  if (name === '--stories') args.stories = Number(process.argv[++i]);
  else if (name === '--langs') args.langs = process.argv[++i];
  else if (name === '--rebuilds') args.rebuilds = true;
  else if (name === '--keep') args.keep = true;
  else if (name === '--child') args.child = process.argv[++i];
  else {
    console.error(`unknown argument ${name}`);
    process.exit(2);
  }
}

if (args.child) {
  // One cold build in this process, reporting its phases (run by the parent below).
  const { build } = await import(join(repo, 'lib', 'build.js'));
  const { StagedOutput } = await import(join(repo, 'lib', 'write', 'write-output.js'));
  const [site, out, threads] = args.child.split('|');
  const started = performance.now();
  // As `polyfeed build` does: files go to disk as they are rendered, so the render and
  // feed phases include writing their files; "write" is what remains (assets, the swap).
  const staged = new StagedOutput(out);
  const result = await build(site, {
    now: new Date('2026-01-01T00:00:00Z'),
    drafts: false,
    strict: false,
    threads: Number(threads),
    sink: staged,
  });
  if (result.diagnostics.some((d) => d.severity === 'error')) {
    console.error(result.diagnostics.slice(0, 5));
    process.exit(1);
  }
  const writeStarted = performance.now();
  for (const asset of result.assets) staged.copy(asset);
  await staged.commit();
  const t = result.timings;
  // With two threads pages and feeds render side by side: one figure for both.
  const FEEDS = ['rss', 'atom', 'json-feed', 'feed-archives', 'opml', 'sitemaps', 'partners'];
  const sum = (names) => names.reduce((n, name) => n + (t[name] ?? 0), 0);
  const feeds = sum(FEEDS);
  const render = sum(
    Object.keys(t).filter((name) => !FEEDS.includes(name) && !['load', 'markdown'].includes(name)),
  );
  const cpu = process.cpuUsage();
  console.log(
    JSON.stringify({
      stories: new Set(result.site.editions.flatMap((e) => e.articles.map((a) => a.storyId))).size,
      articles: result.site.editions.reduce((n, e) => n + e.articles.length, 0),
      pages: result.sent.filter((path) => path.endsWith('.html')).length,
      feeds: result.feeds,
      files: result.sent.length + result.assets.length,
      workerFiles: result.workerFiles,
      phases: {
        loadAndValidate: t.load - t.markdown,
        markdown: t.markdown,
        render,
        feeds,
        write: performance.now() - writeStarted,
      },
      total: performance.now() - started,
      cpu: (cpu.user + cpu.system) / 1000,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

const langs = args.langs.split(',');
const work = join(tmpdir(), 'polyfeed-bench');
const site = join(work, `site-${args.stories}-${langs.join('-')}`);
if (!existsSync(join(site, 'articles'))) {
  mkdirSync(site, { recursive: true });
  const generated = spawnSync(
    process.execPath,
    [
      join(here, 'gen-corpus.mjs'),
      '--stories',
      String(args.stories),
      '--langs',
      args.langs,
      '--out',
      site,
      '--format',
      'ours',
    ],
    { encoding: 'utf8' },
  );
  if (generated.status !== 0) throw new Error(generated.stderr);
}
cpSync(join(here, 'site'), site, { recursive: true });
const corpus = JSON.parse(readFileSync(join(site, 'corpus.json'), 'utf8'));
console.log(
  `Corpus: ${corpus.stories} stories, ${corpus.files} article files (${langs.join(', ')}), ${(corpus.bytes / 2 ** 20).toFixed(1)} MiB, in ${site}`,
);

const out = join(work, `out-${args.stories}`);
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
/** Edits under `polyfeed dev` (odd, for a median). */
const DEV_EDITS = 9;
const cold = {};
for (const threads of [1, 2]) {
  rmSync(out, { recursive: true, force: true });
  const run = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', `${site}|${out}|${threads}`],
    { encoding: 'utf8', maxBuffer: 2 ** 26 },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  cold[threads] = JSON.parse(run.stdout.trim().split('\n').pop());
}
const r = cold[1];
console.log(
  `\nCold build (a new process, no cache): ${r.stories} stories, ${r.articles} article pages, ${r.pages} pages in all, ${r.feeds} feeds, ${r.files} files written`,
);
console.log('| phase | 1 thread | 2 threads |\n|---|---|---|');
const two = cold[2].phases;
const parallel = (two.render ?? 0) + (two.feeds ?? 0);
for (const [phase, ms] of Object.entries(r.phases)) {
  const other =
    phase === 'render'
      ? `${s(parallel)} (pages and feeds side by side)`
      : phase === 'feeds'
        ? '(with render)'
        : s(two[phase]);
  console.log(`| ${phase} | ${s(ms)} | ${other} |`);
}
console.log(
  `| **total** | **${s(r.total)}** | **${s(cold[2].total)}** (×${(r.total / cold[2].total).toFixed(2)}) |`,
);
console.log(`| CPU | ${s(r.cpu)} | ${s(cold[2].cpu)} |`);
console.log(`| peak RSS | ${r.peakRssMiB.toFixed(0)} MiB | ${cold[2].peakRssMiB.toFixed(0)} MiB |`);
console.log(
  `With two threads the worker rendered ${cold[2].workerFiles} of the ${cold[2].files} files (feeds and sitemaps, then pages it took over).`,
);

if (args.rebuilds) {
  const cli = (extra = []) => {
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        join(repo, 'bin', 'polyfeed.js'),
        'build',
        site,
        '--out',
        out,
        '--now',
        '2026-01-01T00:00:00Z',
        ...extra,
      ],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(run.stderr);
    return { ms: performance.now() - started, said: run.stdout.trim() };
  };
  rmSync(join(site, '.polyfeed-cache'), { recursive: true, force: true });
  rmSync(join(site, 'templates'), { recursive: true, force: true });
  const first = cli();
  const story = corpus.firstStory ?? readFirstStory(site);
  const article = join(site, 'articles', story, 'en.md');
  const locale = join(site, 'locales', 'en', 'common.json');
  const original = { article: readFileSync(article, 'utf8'), locale: readFileSync(locale, 'utf8') };
  const rows = [['full build, filling the cache', first]];
  rows.push(['no change', cli()]);
  writeFileSync(article, `${original.article}\nOne more sentence for the benchmark.\n`);
  rows.push(['one article body edited', cli()]);
  writeFileSync(locale, original.locale.replace('"World"', '"World news"'));
  rows.push(['one locale string edited', cli()]);
  mkdirSync(join(site, 'templates', 'partials'), { recursive: true });
  writeFileSync(
    join(site, 'templates', 'partials', 'footer.njk'),
    readFileSync(join(repo, 'templates', 'partials', 'footer.njk'), 'utf8').replace(
      '<footer class="site-footer">',
      '<footer class="site-footer" id="footer">',
    ),
  );
  rows.push(['one template edited', cli()]);
  writeFileSync(article, original.article);
  writeFileSync(locale, original.locale);
  rmSync(join(site, 'templates'), { recursive: true, force: true });
  console.log(
    `\nRebuilds, each \`polyfeed build\` in a new process (${args.stories} stories):\n| case | wall | what it said |\n|---|---|---|`,
  );
  for (const [name, { ms, said }] of rows)
    console.log(`| ${name} | ${s(ms)} | ${said.replace(/ → .*$/, '')} |`);

  const { startDevServer } = await import(join(repo, 'lib', 'dev', 'dev-server.js'));
  const lines = [];
  const server = await startDevServer(site, {
    port: 0,
    host: '127.0.0.1',
    drafts: false,
    strict: false,
    now: new Date('2026-01-01T00:00:00Z'),
    log: (line) => lines.push(line),
  });
  const times = [];
  // The first edits after the start run colder code on a heap still full of the first
  // build's garbage: the first is reported apart from the median of all.
  for (let i = 0; i < DEV_EDITS; i++) {
    const before = lines.length;
    writeFileSync(article, `${original.article}\nEdit ${i} under polyfeed dev.\n`);
    const deadline = Date.now() + 60_000;
    while (!lines.slice(before).some((l) => l.startsWith('Rebuilt')) && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 5));
    times.push(
      Number(
        /in ([\d.]+) s/.exec(lines.slice(before).find((l) => l.startsWith('Rebuilt')) ?? '')?.[1],
      ) * 1000,
    );
  }
  await server.close();
  writeFileSync(article, original.article);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `\nOne article edited under \`polyfeed dev\` ${DEV_EDITS} times (rebuild and every affected page, feed and index re-rendered): median ${s(sorted[(DEV_EDITS - 1) / 2])}, from ${s(sorted[0])} to ${s(sorted.at(-1))}; the first edit ${s(times[0])}`,
  );
}
if (!args.keep) rmSync(out, { recursive: true, force: true });

function readFirstStory(folder) {
  const listing = spawnSync('ls', [join(folder, 'articles')], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);
  return listing.find((id) => existsSync(join(folder, 'articles', id, 'en.md')));
}
