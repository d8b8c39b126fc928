/**
 * The typo report service: readers' reports in (from the canonical pages' reporter as JSON,
 * from AMP pages' amp-form as a form), stored through a TypoStore; a health endpoint; and a
 * read-only page of open reports for editors, behind a token.
 *
 * Every request is checked before anything is written, in this order: origin (AMP CORS,
 * https://amp.dev/documentation/guides-and-tutorials/learn/amp-caches-and-cors/amp-cors-requests),
 * content type (415), size (413), rate per client address (429), then the report itself (400).
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import { renderReportsPage } from './editor-page.js';
import { reportSchema } from './report-schema.js';
import { answerPixel } from './republications.js';
import type { ReportStatus, TypoStore } from './store.js';

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
  /** Path of the tracking image of republished stories (see republications.ts), if served. */
  pixelPath?: string;
  /** Defaults to the clock; tests pass their own. */
  now?: () => Date;
}

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
  const schema = reportSchema(options.languages, options.siteOrigins);
  const limiter = rateLimiter(options.rateLimit, options.rateWindowMs);
  const now = options.now ?? (() => new Date());

  return createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      if (
        url.pathname === options.pixelPath &&
        (request.method === 'GET' || request.method === 'HEAD')
      ) {
        await answerPixel(request, response, url, { ...options, now });
        return;
      }
      if (url.pathname === options.endpointPath) {
        const origin = checkOrigin(request, url, options);
        setCors(response, origin, url);
        if (request.method === 'OPTIONS') return send(response, 204);
        if (request.method !== 'POST') throw new HttpError(405, 'only POST is accepted here');
        const body = await readReport(request);
        const client = clientAddress(request, options.trustProxy);
        if (!limiter(client, now().getTime()))
          throw new HttpError(429, 'too many reports from this address; try again later', {
            tooMany: true,
          });
        const parsed = schema.safeParse(body);
        if (!parsed.success)
          throw new HttpError(400, 'invalid report', { fields: fields(parsed.error) });
        const { id, count } = await options.store.add(parsed.data, now());
        return sendJson(response, count > 1 ? 200 : 201, {
          status: 'received',
          id,
          count,
          duplicate: count > 1,
        });
      }
      if (url.pathname === '/health' && request.method === 'GET') {
        await options.store.ping();
        return sendJson(response, 200, { status: 'ok' });
      }
      if (url.pathname === '/reports' && request.method === 'GET') {
        if (!tokenMatches(options.editorToken, request, url))
          throw new HttpError(options.editorToken ? 401 : 404, 'a valid token is required');
        const status = (url.searchParams.get('status') ?? 'open') as ReportStatus;
        const reports = await options.store.list({
          status: status === 'resolved' ? 'resolved' : 'open',
          lang: url.searchParams.get('lang') ?? undefined,
          storyId: url.searchParams.get('story') ?? undefined,
        });
        response.setHeader(
          'Content-Security-Policy',
          "default-src 'none'; style-src 'unsafe-inline'",
        );
        response.setHeader('Referrer-Policy', 'no-referrer');
        return send(response, 200, renderReportsPage(reports), 'text/html; charset=utf-8');
      }
      throw new HttpError(404, 'not found');
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status === 429)
          response.setHeader('Retry-After', String(Math.ceil(options.rateWindowMs / 1000)));
        return sendJson(response, error.status, { error: error.message, ...error.extra });
      }
      process.stderr.write(`polyfeed typo-server: ${(error as Error).stack ?? error}\n`);
      return sendJson(response, 500, { error: 'the report could not be stored' });
    }
  });
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

/** At most `limit` requests per client in any `windowMs`; memory stays bounded. */
function rateLimiter(limit: number, windowMs: number): (client: string, at: number) => boolean {
  const seen = new Map<string, number[]>();
  let lastSweep = 0;
  return (client, at) => {
    if (at - lastSweep > windowMs) {
      for (const [key, times] of seen) if ((times.at(-1) ?? 0) <= at - windowMs) seen.delete(key);
      lastSweep = at;
    }
    const times = (seen.get(client) ?? []).filter((t) => t > at - windowMs);
    if (times.length >= limit) {
      seen.set(client, times);
      return false;
    }
    times.push(at);
    seen.set(client, times);
    return true;
  };
}

function tokenMatches(expected: string | undefined, request: IncomingMessage, url: URL): boolean {
  if (!expected) return false;
  const header = request.headers.authorization;
  const given =
    (header?.startsWith('Bearer ') ? header.slice(7) : undefined) ?? url.searchParams.get('token');
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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
