/**
 * Counting republications: a republished copy of a story (the HTML of the "Republish this
 * story" dialog, render/republish.ts) loads a 1×1 image from here with the story and the
 * language in its query; the page showing the copy is the request's Referer. Each view is
 * counted on that page, in the typo service's database (see store.ts, `republications`).
 * The site's own pages are not republications, and are not counted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STORY_ID } from '../load/load-stories.js';
import type { TypoStore } from './store.js';

/** A transparent 1×1 GIF, the smallest image every browser shows. */
export const PIXEL = Buffer.from(
  'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
  'base64',
);

/** Longest page address kept: enough for any real article URL. */
const MAX_PAGE = 2048;

export interface PixelOptions {
  store: TypoStore;
  languages: readonly string[];
  /** The site's own origins: views there (a preview, the site's own copy) are not counted. */
  siteOrigins: readonly string[];
  now: () => Date;
  /** The viewer's address: views from one address are counted up to the report rate limit. */
  client: string;
  rateLimit: number;
  rateWindowMs: number;
}

/**
 * The republishing page named by a Referer: its address without query and fragment (which
 * may hold a reader's session), or its origin alone when the browser sent no more. Empty
 * when there is none or it is not a web page.
 */
export function republishingPage(referer: string | undefined): string {
  if (!referer) return '';
  try {
    const url = new URL(referer);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return '';
    return `${url.origin}${url.pathname}`.slice(0, MAX_PAGE);
  } catch {
    return '';
  }
}

/**
 * Answers a request for the tracking image: the image, always (a broken image would show
 * on the republisher's page), after counting the view when the query names a story and a
 * language of the site, the page is not the site's own, and the viewer's address is within
 * the rate limit (each page is a row: no one address may add them without end). A database
 * that fails is logged, and the image answered all the same. Returns the HTTP status sent.
 */
export async function answerPixel(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  options: PixelOptions,
): Promise<number> {
  const storyId = url.searchParams.get('story') ?? '';
  const lang = url.searchParams.get('lang') ?? '';
  const valid = STORY_ID.test(storyId) && options.languages.includes(lang);
  const page = republishingPage(request.headers.referer);
  const ownPage = page !== '' && options.siteOrigins.includes(new URL(page).origin);
  if (valid && request.method === 'GET' && !ownPage) await count(options, { storyId, lang, page });
  const status = valid ? 200 : 400;
  response.writeHead(status, {
    'Content-Type': 'image/gif',
    'Content-Length': PIXEL.length,
    // Every view is a request: no browser or proxy may answer it from a cache.
    'Cache-Control': 'no-store, private',
    // Loaded by pages of other sites, including those that isolate themselves (COEP).
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : PIXEL);
  return status;
}

async function count(
  options: PixelOptions,
  view: { storyId: string; lang: string; page: string },
): Promise<void> {
  const { store, rateLimit, rateWindowMs } = options;
  try {
    // Apart from the address's reports: views must not use up a reader's reports.
    if (await store.allow(`republished ${options.client}`, options.now(), rateLimit, rateWindowMs))
      await store.addRepublicationView(view, options.now());
  } catch (error) {
    process.stderr.write(
      `polyfeed typo-server: a republication view could not be counted: ${(error as Error).message}\n`,
    );
  }
}
