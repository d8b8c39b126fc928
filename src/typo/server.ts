/**
 * The typo report service: readers' reports in (from the canonical pages' reporter as JSON,
 * from AMP pages' amp-form as a form), stored through a TypoStore with the notifications
 * editors are owed; a health endpoint; and the editors' page (editor-routes.ts), behind a
 * token.
 *
 * Every request is checked before anything is written, in this order: origin (AMP CORS,
 * https://amp.dev/documentation/guides-and-tutorials/learn/amp-caches-and-cors/amp-cors-requests),
 * content type (415), size (413), the honeypot (answered 201, stored nowhere), rate per
 * client address (429), then the report itself (400).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import {
  derived,
  type EditorPageOptions,
  editorPage,
  sameSecret,
  sessionOf,
} from './editor-routes.js';
import { reportSchema } from './report-schema.js';
import { answerPixel } from './republications.js';
import type { NewReport, TypoStore } from './store.js';

export interface TypoServerOptions {
  store: TypoStore;
  /** Path reports are posted to, e.g. `/api/typo-reports`. */
  endpointPath: string;
  /** Origins whose pages may post (the site's, its AMP cache origins, configured extras). */
  allowedOrigins: readonly string[];
  /** Origins the reported pages live at (a report's `url` must be on one of them). */
  siteOrigins: readonly string[];
  languages: readonly string[];
  rateLimit: number;
  rateWindowMs: number;
  trustProxy: boolean;
  /** The editors' page is served only with a token. */
  editorToken?: string;
  /** The editors' page's languages and, with the site folder, its Fix form. */
  editors?: EditorPageOptions;
  /** Who is told of new reports: their notifications are stored with the report. */
  notifier?: {
    destinationsFor(report: NewReport): Promise<string[]>;
    /** A report was stored with notifications: deliver them now. */
    wake(): void;
  };
  /** Path of the tracking image of republished stories (see republications.ts), if served. */
  pixelPath?: string;
  /** Defaults to the clock; tests pass their own. */
  now?: () => Date;
}

/**
 * The reader's form has a field people never see and bots fill in: a report that has it
 * is answered as if it were taken, and stored nowhere.
 */
export const HONEYPOT_FIELD = 'website';

/** Largest request body taken: a report is well under 4 KB. */
export const MAX_BODY_BYTES = 16 * 1024;

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** The AMP cache origins that serve a site's AMP pages (Google's and Bing's). */
export function ampCacheOrigins(siteOrigin: string): string[] {
  const host = new URL(siteOrigin).hostname;
  const label = host.replace(/-/g, '--').replace(/\./g, '-');
  return [`https://${label}.cdn.ampproject.org`, `https://${label}.bing-amp.com`];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function createTypoServer(options: TypoServerOptions): Server {
  return createServer(typoRequestHandler(options));
}

/**
 * The service's request handling, apart from the server: `polyfeed dev` answers its own
 * pages' reports with it.
 */
export function typoRequestHandler(
  options: TypoServerOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const routes = new TypoRoutes(options);
  return (request, response) => routes.handle(request, response);
}

/** The service's addresses, answered with its options, its report schema and its clock. */
class TypoRoutes {
  private readonly schema: ReturnType<typeof reportSchema>;
  private readonly now: () => Date;

  constructor(private readonly options: TypoServerOptions) {
    this.schema = reportSchema(options.languages, options.siteOrigins);
    this.now = options.now ?? (() => new Date());
  }

  /** Answers one request: an HttpError with its status and JSON body, any other error with 500. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      await this.route(request, response, url);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status === 429)
          response.setHeader('Retry-After', String(Math.ceil(this.options.rateWindowMs / 1000)));
        return sendJson(response, error.status, { error: error.message, ...error.extra });
      }
      process.stderr.write(`polyfeed typo-server: ${(error as Error).stack ?? error}\n`);
      return sendJson(response, 500, { error: 'the report could not be stored' });
    }
  }

  /** The tracking image, the report endpoint, the health check or the editors' page. */
  private async route(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const { options } = this;
    if (
      url.pathname === options.pixelPath &&
      (request.method === 'GET' || request.method === 'HEAD')
    ) {
      await answerPixel(request, response, url, {
        ...options,
        now: this.now,
        client: clientAddress(request, options.trustProxy),
      });
      return;
    }
    if (url.pathname === options.endpointPath) return this.receiveReport(request, response, url);
    if (url.pathname === '/health' && request.method === 'GET') {
      await options.store.ping();
      return sendJson(response, 200, { status: 'ok' });
    }
    if (url.pathname === '/reports' || url.pathname.startsWith('/reports/'))
      return this.serveEditorPage(request, response, url);
    throw new HttpError(404, 'not found');
  }

  /** A reader's report, checked in the order the module's comment gives, then stored. */
  private async receiveReport(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> {
    const { options } = this;
    // Before the origin check: someone opening the address in a browser learns what it is.
    if (request.method !== 'POST' && request.method !== 'OPTIONS') {
      response.setHeader('Allow', 'POST, OPTIONS');
      throw new HttpError(
        405,
        "only POST is accepted here: the site's pages post readers' typo reports to this address",
      );
    }
    const origin = checkOrigin(request, url, options);
    setCors(response, origin, url);
    if (request.method === 'OPTIONS') return send(response, 204);
    const body = await readReport(request);
    if (isHoneypotFilled(body))
      return sendJson(response, 201, { status: 'received', duplicate: false });
    const client = clientAddress(request, options.trustProxy);
    if (!(await options.store.allow(client, this.now(), options.rateLimit, options.rateWindowMs)))
      throw new HttpError(429, 'too many reports from this address; try again later', {
        tooMany: true,
      });
    const parsed = this.schema.safeParse(body);
    if (!parsed.success)
      throw new HttpError(400, 'invalid report', { fields: fields(parsed.error) });
    const notify = (await options.notifier?.destinationsFor(parsed.data)) ?? [];
    const { id, count } = await options.store.add(parsed.data, this.now(), notify);
    if (notify.length) options.notifier?.wake();
    return sendJson(response, count > 1 ? 200 : 201, {
      status: 'received',
      id,
      count,
      duplicate: count > 1,
    });
  }

  /** The editors' page (editor-routes.ts), for whoever has the token or its session. */
  private async serveEditorPage(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> {
    const { options } = this;
    if (!options.editorToken)
      throw new HttpError(
        404,
        "the editors' page is off: give the typo server a token (typoReport.editorToken in site.yaml, or the POLYFEED_TYPO_TOKEN environment variable), restart it, then open /reports?token=<the token>",
      );
    if (!tokenMatches(options.editorToken, request, url))
      throw new HttpError(
        401,
        'a valid token is required: /reports?token=… or Authorization: Bearer …',
      );
    const result = await editorPage(
      request,
      response,
      url,
      options.store,
      options.editorToken,
      {
        languages: options.languages.map((code) => ({ code, dir: 'ltr' as const })),
        ...options.editors,
        trustProxy: options.trustProxy,
      },
      this.now(),
    );
    // Forms post to the page itself; nothing else may load or run.
    response.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    );
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (result.location) {
      response.setHeader('Location', result.location);
      return send(response, result.status);
    }
    if (!result.html) throw new HttpError(result.status, 'not found');
    return send(response, result.status, result.html, 'text/html; charset=utf-8');
  }
}

/**
 * AMP CORS: a request with an Origin must come from an allowed origin; one without must be
 * an AMP same-origin request. Returns the origin to echo, if any.
 */
function checkOrigin(
  request: IncomingMessage,
  url: URL,
  options: TypoServerOptions,
): string | undefined {
  const origin = request.headers.origin;
  if (origin === undefined) {
    if (request.headers['amp-same-origin'] !== 'true')
      throw new HttpError(403, 'requests must come from a page of this site');
  } else if (!options.allowedOrigins.includes(origin)) {
    throw new HttpError(403, `origin ${origin} is not allowed`);
  }
  // Older AMP runtimes name the page's origin in __amp_source_origin: it must be ours.
  const source = url.searchParams.get('__amp_source_origin');
  if (source !== null && !options.siteOrigins.includes(source))
    throw new HttpError(403, `source origin ${source} is not allowed`);
  return origin;
}

function setCors(response: ServerResponse, origin: string | undefined, url: URL): void {
  response.setHeader('Vary', 'Origin');
  if (origin) {
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    response.setHeader('Access-Control-Max-Age', '86400');
  }
  const source = url.searchParams.get('__amp_source_origin');
  if (source) {
    response.setHeader('AMP-Access-Control-Allow-Source-Origin', source);
    response.setHeader('Access-Control-Expose-Headers', 'AMP-Access-Control-Allow-Source-Origin');
  }
}

/** The request body as an object: JSON from the reporter, a form from amp-form. */
async function readReport(request: IncomingMessage): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !FORM_TYPES.includes(type))
    throw new HttpError(415, 'send application/json or a form');
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES)
    throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  if (type === 'application/json') {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'the body is not valid JSON');
    }
  }
  try {
    // The platform's own form parser (undici), for both urlencoded and multipart bodies.
    const form = await new Request('http://localhost/', {
      method: 'POST',
      headers: { 'content-type': String(request.headers['content-type']) },
      body: raw,
    }).formData();
    return Object.fromEntries([...form].map(([key, value]) => [key, String(value)]));
  } catch {
    throw new HttpError(400, 'the form could not be read');
  }
}

function fields(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    message:
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
  }));
}

function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') return forwarded.split(',')[0]?.trim() ?? '';
  return request.socket.remoteAddress ?? '';
}

function isHoneypotFilled(body: unknown): boolean {
  const value = (body as Record<string, unknown> | null)?.[HONEYPOT_FIELD];
  return typeof value === 'string' && value.trim() !== '';
}

/** The editor token as a Bearer header or `?token=`, or the session cookie it was turned into. */
function tokenMatches(expected: string | undefined, request: IncomingMessage, url: URL): boolean {
  if (!expected) return false;
  const header = request.headers.authorization;
  const given =
    (header?.startsWith('Bearer ') ? header.slice(7) : undefined) ?? url.searchParams.get('token');
  if (given) return sameSecret(given, expected);
  return sameSecret(sessionOf(request), derived(expected, 'session'));
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

function send(response: ServerResponse, status: number, body = '', type?: string): void {
  if (type) response.setHeader('Content-Type', type);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Cache-Control', 'no-store');
  response.writeHead(status);
  response.end(body);
}
