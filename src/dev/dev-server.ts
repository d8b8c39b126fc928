/**
 * `polyfeed dev`: build in memory, serve on localhost, rebuild when a source changes and
 * reload open tabs. While the sources are broken it keeps the last good build and answers
 * page requests with the errors; fixing them recovers without a restart.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { type Diagnostic, formatDiagnostic } from '../diagnostics.js';
import { keptContents } from '../engine/build-cache.js';
import { escapeHtml } from '../escape.js';
import { TemplateError } from '../render/environment.js';
import { templateDiagnostic } from '../render/render-files.js';
import { DevBuilds, type ServedBuild } from './dev-builds.js';
import type { DevOptions } from './dev-options.js';
import { DevTypoReports } from './dev-typos.js';
import { watchSources } from './watch-sources.js';

export type { DevOptions } from './dev-options.js';

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
const EVENTS = '/__polyfeed/events';
/** Dev only: the built output stays valid AMP, with no script of ours. */
const RELOAD_SCRIPT = `<script>new EventSource('${EVENTS}').addEventListener('build',function(e){if(window.__polyfeedBuild&&window.__polyfeedBuild!==e.data)location.reload();window.__polyfeedBuild=e.data;});</script>`;

export async function startDevServer(root: string, options: DevOptions): Promise<DevServer> {
  const clients = new Set<ServerResponse>();
  const builds = new DevBuilds(root, options, (version) => {
    for (const client of clients) client.write(`event: build\ndata: ${version}\n\n`);
  });
  builds.schedule();
  await builds.running;

  /** Stops building, when the server cannot start. */
  const abandon = async (): Promise<void> => {
    await builds.running;
    builds.close();
  };
  let typos: DevTypoReports;
  try {
    typos = await DevTypoReports.open(options.typoDatabase);
  } catch (error) {
    await abandon();
    throw error;
  }
  const server = createServer((request, response) =>
    serve(request, response, builds.served, clients, typos),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, resolve);
    });
  } catch (error) {
    await abandon();
    await typos.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}/`;
  const endpoint = builds.served.config?.typoReport?.endpoint;
  // The watcher starts once the server answers: its first look at a big site's files
  // takes seconds of this thread (2.6 s at 5,000 stories), which the first build would
  // have waited for. A source changed before it looked is found by the build that starts
  // when it has, which checks every source as the first did.
  const watcher = watchSources(root, builds, options.log);
  void watcher.ready.then(() => {
    // From here on, a change is seen as it is made.
    if (!options.report?.quiet) options.log('Watching the sources for changes');
    builds.recheck();
  });

  return {
    url,
    typoReports: endpoint
      ? { endpoint: new URL(new URL(endpoint).pathname, url).href, database: typos.database }
      : undefined,
    async close() {
      await watcher.close();
      for (const client of clients) client.end();
      await builds.running;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      builds.close();
      await typos.close();
    },
  };
}

function serve(
  request: IncomingMessage,
  response: ServerResponse,
  state: ServedBuild,
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
  let entry: string | Uint8Array | undefined;
  try {
    entry = find(state, key);
  } catch (error) {
    // A file left to render later (see render-later.ts) whose template fails on it.
    if (!(error instanceof TemplateError)) throw error;
    send(response, 500, TYPES['.html'] as string, errorPage([templateDiagnostic(error)]));
    return;
  }
  const folder = `${key}/index.html`;
  if (
    entry === undefined &&
    !path.endsWith('/') &&
    (state.cache.outputs.has(folder) || state.assets.has(folder))
  ) {
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

/** The bytes served at `path`: a story file, or an output file (rendered now if it was left for later). */
function find(state: ServedBuild, path: string): string | Uint8Array | undefined {
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
