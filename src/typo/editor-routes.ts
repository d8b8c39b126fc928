/**
 * The editors' page over HTTP: GET /reports shows it, and POST /reports/<id>/<action>
 * (fix, resolve, dismiss) acts on one report and sends the browser back to the page
 * (post/redirect/get), or shows why a fix was refused. The caller has checked the editor
 * token (or the session cookie it turns into); every POST must also carry the page's
 * CSRF token, so that another site cannot make an editor's browser act.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SiteConfig } from '../config/schema.js';
import type { Localizer } from '../i18n/load-locales.js';
import { type ReportsView, renderReportsPage, viewQuery } from './editor-page.js';
import { english } from './english-strings.js';
import { applyFix, FixRefusal, planFix } from './fix-article.js';
import type { TypoStore } from './store.js';

export interface EditorPageOptions {
  /** The site's localizers (the page speaks the site's languages); English without them. */
  localizers?: ReadonlyMap<string, Localizer>;
  /** The site's languages, the first being the default. */
  languages: readonly { code: string; dir: 'ltr' | 'rtl' }[];
  /** With the site folder, the page's Fix form edits the articles. */
  site?: { root: string; config: SiteConfig };
  /**
   * Behind a proxy that terminates TLS (typoReport.trustProxy): its `X-Forwarded-Proto`
   * says whether the browser's connection is HTTPS, which makes the session cookie Secure.
   */
  trustProxy?: boolean;
}

/** The session cookie the editor token turns into, so that links need not carry it. */
export const SESSION_COOKIE = 'polyfeed_editor';

/** A value made from the editor token for one purpose: the session cookie or the CSRF token. */
export function derived(token: string, purpose: 'session' | 'csrf'): string {
  return createHmac('sha256', token).update(`polyfeed editors ${purpose}`).digest('base64url');
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session cookie's value in a request, if any. */
export function sessionOf(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value;
  }
  return undefined;
}

const ACTIONS = ['fix', 'resolve', 'dismiss'] as const;

/**
 * Serves an authenticated request under /reports. Returns the status and the page, or a
 * redirect; the caller sends it with its own headers (CSP, no-store).
 */
export async function editorPage(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  store: TypoStore,
  token: string,
  options: EditorPageOptions,
  now: Date,
): Promise<{ status: number; html?: string; location?: string }> {
  const view = await baseView(request, url, store, token, options);
  if (request.method === 'GET' && url.pathname === '/reports') {
    // Reached with the token: from now on the cookie stands for it.
    response.setHeader(
      'Set-Cookie',
      `${SESSION_COOKIE}=${derived(token, 'session')}; Path=/reports; HttpOnly; SameSite=Strict${isHttps(request, options.trustProxy) ? '; Secure' : ''}`,
    );
    const done = url.searchParams.get('done');
    const id = url.searchParams.get('id');
    if (done && ['resolved', 'dismissed', 'fixed'].includes(done) && id)
      view.notice = {
        ok: true,
        text: view.t(`editors:result.${done}`, { id, file: url.searchParams.get('file') ?? '' }),
      };
    return { status: 200, html: await page(store, view) };
  }
  const match = /^\/reports\/(\d+)\/(fix|resolve|dismiss)$/.exec(url.pathname);
  if (request.method !== 'POST' || !match) return { status: 404 };
  const id = Number(match[1]);
  const action = match[2] as (typeof ACTIONS)[number];
  const form = await readForm(request);
  if (!sameSecret(form.get('csrf') ?? undefined, derived(token, 'csrf'))) {
    view.notice = { ok: false, text: view.t('editors:result.expired') };
    return { status: 403, html: await page(store, view) };
  }
  const report = await store.get(id);
  if (!report) {
    view.notice = { ok: false, text: view.t('editors:result.missing', { id }) };
    return { status: 404, html: await page(store, view) };
  }
  const back = (done: string, extra: Record<string, string> = {}) =>
    `/reports?${viewQuery(view)}&${new URLSearchParams({ done, id: String(id), ...extra })}#report-${id}`;
  if (action === 'resolve' || action === 'dismiss') {
    await (action === 'resolve' ? store.resolve(id, now) : store.dismiss(id, now));
    return { status: 303, location: back(action === 'resolve' ? 'resolved' : 'dismissed') };
  }
  const site = options.site;
  let refusal: FixRefusal | undefined;
  if (site) {
    const plan = await planFix(site.root, site.config, report, {
      text: form.get('text') ?? '',
      note: form.get('note') ?? undefined,
      now,
    });
    refusal = plan instanceof FixRefusal ? plan : await applyFix(site.root, plan, store, id, now);
    if (!refusal && !(plan instanceof FixRefusal))
      return { status: 303, location: back('fixed', { file: plan.file }) };
  }
  const reason = refusal
    ? view.t(`editors:fix.${refusal.code}`, {
        ...refusal.params,
        status: refusal.params.status ? view.t(`editors:status.${refusal.params.status}`) : '',
      })
    : view.t('editors:page.noFix');
  view.notice = { ok: false, text: view.t('editors:result.notFixed', { id, reason }) };
  return { status: 409, html: await page(store, view) };
}

async function baseView(
  request: IncomingMessage,
  url: URL,
  store: TypoStore,
  token: string,
  options: EditorPageOptions,
): Promise<ReportsView> {
  const lang = pageLanguage(url.searchParams.get('lang'), request, options.languages);
  const localizer = options.localizers?.get(lang);
  const t =
    localizer?.t ??
    ((key: string, params?: Record<string, unknown>) =>
      english(key.replace(/^editors:/, ''), params as Record<string, string | number>));
  const status = url.searchParams.get('status') ?? 'open';
  const all = await store.list();
  return {
    t,
    lang,
    dir: options.languages.find((l) => l.code === lang)?.dir ?? 'ltr',
    filters: {
      story: url.searchParams.get('story') || undefined,
      language: url.searchParams.get('language') || undefined,
      status: (['open', 'resolved', 'dismissed'] as const).find((s) => s === status),
    },
    stories: [...new Set(all.map((r) => r.storyId))].sort(),
    languages: options.languages.map((l) => l.code),
    csrf: derived(token, 'csrf'),
    canFix: Boolean(options.site),
  };
}

async function page(store: TypoStore, view: ReportsView): Promise<string> {
  const reports = await store.list({
    storyId: view.filters.story,
    lang: view.filters.language,
    status: view.filters.status,
  });
  return renderReportsPage(reports, view);
}

/** `?lang=` when it is a site language, else the best of Accept-Language, else the default. */
function pageLanguage(
  asked: string | null,
  request: IncomingMessage,
  languages: EditorPageOptions['languages'],
): string {
  const codes = languages.map((l) => l.code);
  if (asked && codes.includes(asked)) return asked;
  const accepted = (request.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((a) => a.tag && a.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of accepted) {
    const found =
      codes.find((c) => c.toLowerCase() === tag) ??
      codes.find((c) => c.toLowerCase() === tag.split('-')[0]);
    if (found) return found;
  }
  return codes[0] ?? 'en';
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function isHttps(request: IncomingMessage, trustProxy = false): boolean {
  if ((request.socket as { encrypted?: boolean }).encrypted === true) return true;
  // The first value: the proxy nearest the browser is the one that speaks to it.
  const forwarded = request.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return trustProxy && proto?.toLowerCase() === 'https';
}
