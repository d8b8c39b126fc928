/**
 * `polyfeed dev`: build in memory, serve on localhost, rebuild when a source changes and
 * reload open tabs. While the sources are broken it keeps the last good build and answers
 * page requests with the errors; fixing them recovers without a restart.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, relative, sep } from 'node:path';
import { watch } from 'chokidar';
import { type BuildResult, build } from '../build.js';
import { type ReportOptions, reportLines } from '../cli/report.js';
import type { SiteConfig } from '../config/schema.js';
import { type Diagnostic, formatDiagnostic, hasErrors } from '../diagnostics.js';
import { type BuildCache, emptyCache, keptContents } from '../engine/build-cache.js';
import { OutputStore } from '../engine/output-store.js';
import { escapeHtml } from '../escape.js';
import { DevTypoReports } from './dev-typos.js';

export interface DevOptions {
  port: number;
  host: string;
  drafts: boolean;
  strict: boolean;
  /** A fixed clock for embargoes; the real time of each rebuild otherwise. */
  now?: Date;
  /** Where readers' typo reports go (SQLite); a file in a temporary folder otherwise. */
  typoDatabase?: string;
  /** Where messages go (the terminal). */
  log(line: string): void;
  /** How much of each build's problems to log (`--verbose`, `--quiet`). */
  report?: ReportOptions;
}

export interface DevServer {
  url: string;
  /** Where the pages served post typo reports, and where they are kept (if the site has them). */
  typoReports?: { endpoint: string; database: string };
  close(): Promise<void>;
}

/** Content types a feed reader and a browser expect. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.opml': 'text/x-opml; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.avif': 'image/avif',
};
const FEED_TYPES: Record<string, string> = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
};
/** Types whose text links the site's pages (scripts are served as they are). */
const LINKED_TYPES = [
  'text/html',
  'application/xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/json',
  'application/feed+json',
  'text/x-opml',
  'text/plain',
];
const WATCHED = ['articles', 'locales', 'templates', 'assets', 'site.yaml'];
const EVENTS = '/__polyfeed/events';
/** Dev only: the built output stays valid AMP, with no script of ours. */
const RELOAD_SCRIPT = `<script>new EventSource('${EVENTS}').addEventListener('build',function(e){if(window.__polyfeedBuild&&window.__polyfeedBuild!==e.data)location.reload();window.__polyfeedBuild=e.data;});</script>`;

interface State {
  /** The last good build: its files are the cache's outputs, which only a good build changes. */
  cache: BuildCache;
  /** Its story files, by output path: the source file to send. */
  assets: Map<string, string>;
  /**
   * The last good build's config. Its `baseUrl` (and the typo endpoint) in served text
   * become this server's address.
   */
  config?: SiteConfig;
  /** Set while the sources have errors. */
  errors?: Diagnostic[];
  version: number;
}

export async function startDevServer(root: string, options: DevOptions): Promise<DevServer> {
  // Kept across rebuilds: only changed stories are parsed and changed files rendered. The
  // files' bytes are kept on disk, in a temporary folder removed on close.
  const cache = emptyCache(true);
  cache.store = new OutputStore();
  const state: State = { cache, assets: new Map(), version: 0 };
  const clients = new Set<ServerResponse>();
  let building: Promise<void> | undefined;
  let pending = false;

  // Story folders the watcher saw change since the last build; undefined: check them all.
  let changedStories: Set<string> | undefined;
  // Whether it saw anything else change (the config, UI strings, templates, assets).
  let othersChanged = true;
  const rebuild = async (): Promise<void> => {
    const started = performance.now();
    let result: BuildResult;
    // Changes seen from here on are for the next build.
    cache.changedStories = changedStories;
    cache.onlyStoriesChanged = !othersChanged;
    changedStories = new Set();
    othersChanged = false;
    try {
      result = await build(root, {
        now: options.now ?? new Date(),
        drafts: options.drafts,
        strict: options.strict,
        cache,
      });
    } catch (error) {
      // A bug, not a content problem: say so and keep serving what we have.
      changedStories = undefined;
      othersChanged = true;
      options.log(`polyfeed: the build crashed: ${(error as Error).stack ?? error}`);
      return;
    }
    for (const { line } of reportLines(result.diagnostics, options.report)) options.log(line);
    if (hasErrors(result.diagnostics)) {
      state.errors = result.diagnostics.filter((d) => d.severity === 'error');
      options.log(`✖ ${state.errors.length} error(s); still serving the last good build`);
    } else {
      state.errors = undefined;
      state.config = result.site?.config ?? state.config;
      state.assets = new Map(result.assets.map((asset) => [asset.path, asset.from]));
      if (!options.report?.quiet)
        options.log(
          `Rebuilt ${cache.outputs.size + state.assets.size} files in ${((performance.now() - started) / 1000).toFixed(2)} s (${result.rendered.length} rendered)`,
        );
    }
    state.version++;
    for (const client of clients) client.write(`event: build\ndata: ${state.version}\n\n`);
  };

  const schedule = (): void => {
    if (building) {
      pending = true;
      return;
    }
    building = rebuild().finally(() => {
      building = undefined;
      if (pending) {
        pending = false;
        schedule();
      }
    });
  };

  let timer: NodeJS.Timeout | undefined;
  // chokidar watches each folder, so a file replaced by a rename (an editor's safe save,
  // `sed -i`, `git checkout`) is still followed: fs.watch's recursive mode on Linux watched
  // the file itself, and after such a save no later edit of it started a rebuild. It
  // starts before the first build, so that an edit made while that runs is not lost (and
  // its first look at a big site's files overlaps the build's).
  const watcher = watch(root, {
    ignoreInitial: true,
    // Only the sources: not dist/, the cache, node_modules or .git of a site's folder.
    ignored: (path) => {
      const top = relative(root, path).split(sep)[0] ?? '';
      return top !== '' && !WATCHED.includes(top);
    },
  });
  const watching = new Promise<void>((resolve) => watcher.once('ready', resolve));
  watcher.on('all', (_event, path) => {
    const [top = '', story] = relative(root, path).split(sep);
    if (!WATCHED.includes(top)) return;
    if (top === 'articles') {
      if (story) changedStories?.add(story);
      else changedStories = undefined;
    } else {
      othersChanged = true;
    }
    clearTimeout(timer);
    // Editors write a file in several steps; one rebuild for the burst.
    timer = setTimeout(schedule, 60);
  });
  watcher.on('error', (error) => options.log(`polyfeed: watching the sources: ${error}`));
  const stopWatching = async (): Promise<void> => {
    clearTimeout(timer);
    await watcher.close();
  };

  schedule();
  await building;

  let typos: DevTypoReports;
  try {
    typos = await DevTypoReports.open(options.typoDatabase);
  } catch (error) {
    await stopWatching();
    await building;
    cache.store?.close();
    throw error;
  }
  const server = createServer((request, response) =>
    serve(request, response, state, clients, typos),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, resolve);
    });
  } catch (error) {
    await stopWatching();
    await building;
    cache.store?.close();
    await typos.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}/`;
  const endpoint = state.config?.typoReport?.endpoint;
  await watching;

  return {
    url,
    typoReports: endpoint
      ? { endpoint: new URL(new URL(endpoint).pathname, url).href, database: typos.database }
      : undefined,
    async close() {
      await stopWatching();
      for (const client of clients) client.end();
      await building;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      cache.store?.close();
      await typos.close();
    },
  };
}

function serve(
  request: IncomingMessage,
  response: ServerResponse,
  state: State,
  clients: Set<ServerResponse>,
  typos: DevTypoReports,
): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = decodeURIComponent(url.pathname);
  const here = `http://${request.headers.host ?? 'localhost'}/`;
  const typo = state.config?.typoReport;
  if (typo && url.pathname === new URL(typo.endpoint).pathname && state.config) {
    // The typo service's own handling; the pages served here are the site's pages.
    void typos.handle(request, response, state.config, new URL(here).origin);
    return;
  }
  if (path === EVENTS) {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.write(`event: build\ndata: ${state.version}\n\n`);
    clients.add(response);
    request.on('close', () => clients.delete(response));
    return;
  }
  const key = (path.endsWith('/') ? `${path}index.html` : path).replace(/^\/+/, '');
  const find = (path: string) => {
    const from = state.assets.get(path);
    try {
      return from === undefined ? keptContents(state.cache, path) : readFileSync(from);
    } catch (error) {
      // Not found rather than a crash: a story file deleted since the build (the rebuild
      // its deletion starts drops it), or an output file a temp cleaner removed under a
      // long-running server (back when it is rendered again, or after a restart).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  const entry = find(key);
  if (entry === undefined && !path.endsWith('/') && find(`${key}/index.html`) !== undefined) {
    // A folder asked for without its slash goes where every static server sends it: served
    // as it was, its page's relative links broke, and a browser downloaded it as a file.
    const location = `/${url.pathname.replace(/^\/+/, '')}/${url.search}`;
    response.writeHead(301, { location, 'cache-control': 'no-store' });
    response.end();
    return;
  }
  const isPage = key.endsWith('.html') || !extname(key);
  if (state.errors && isPage) {
    send(response, 500, TYPES['.html'] as string, errorPage(state.errors));
    return;
  }
  if (entry === undefined) {
    send(response, 404, 'text/plain; charset=utf-8', `Not found: ${path}\n`);
    return;
  }
  const name = key.split('/').pop() ?? '';
  const type = FEED_TYPES[name] ?? TYPES[extname(key)] ?? 'application/octet-stream';
  let body = entry;
  if (LINKED_TYPES.some((linked) => type.startsWith(linked))) {
    // Pages and feeds link every page by its absolute URL on `baseUrl`: served here, they
    // link this server instead, so that following a link stays in the preview.
    let text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    // The typo endpoint first: it may be on another host than the pages.
    if (typo)
      text = text.replaceAll(typo.endpoint, new URL(new URL(typo.endpoint).pathname, here).href);
    if (state.config) text = text.replaceAll(state.config.baseUrl, here);
    if (type.startsWith('text/html')) text = text.replace('</body>', `${RELOAD_SCRIPT}</body>`);
    body = text;
  }
  send(response, 200, type, body);
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

function errorPage(errors: readonly Diagnostic[]): string {
  const items = errors
    .map((d) => `<li><code>${escapeHtml(formatDiagnostic(d))}</code></li>`)
    .join('\n');
  // English only: this page is for the newsroom's developers, never for readers.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed · polyfeed dev</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#222}h1{color:#b00020;font-size:1.3rem}code{white-space:pre-wrap;word-break:break-word}li{margin:.5rem 0}</style></head>
<body><h1>The sources have ${errors.length} error${errors.length === 1 ? '' : 's'}</h1>
<p>Fix them and this page reloads by itself. The last good build is kept for feeds and files.</p>
<ul>
${items}
</ul>${RELOAD_SCRIPT}</body></html>`;
}
