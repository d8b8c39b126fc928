/**
 * The editors' page of typo reports: each selection in its sentence with a link to the
 * article, filters by story, language and status, and for open reports the Fix, Resolve
 * and Dismiss forms (plain POST forms with a CSRF token: the page has no script, and its
 * Content-Security-Policy allows none). It speaks the site's languages; everything
 * readers sent is escaped.
 */
import { escapeHtml as e } from '../escape.js';
import type { ReportStatus, StoredReport } from './store.js';

export interface ReportsView {
  /** Translates in the page's language (the editors' strings are `editors:…`). */
  t: (key: string, options?: Record<string, unknown>) => string;
  lang: string;
  dir: 'ltr' | 'rtl';
  /** The filters in force; `undefined` is "all". */
  filters: { story?: string; language?: string; status?: ReportStatus };
  /** What the filters offer: every story reported, every site language. */
  stories: readonly string[];
  languages: readonly string[];
  /** The CSRF token every form sends back. */
  csrf: string;
  /** Whether this server can edit the articles (it was started in the site folder). */
  canFix: boolean;
  /** The outcome of the last action, shown above the list. */
  notice?: { ok: boolean; text: string };
}

const STATUSES: readonly ReportStatus[] = ['open', 'resolved', 'dismissed'];

/** The page's only styles: inline, as its Content-Security-Policy allows no style sheet. */
const PAGE_STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;color:#17191c}
table{border-collapse:collapse;width:100%}
th,td{border-block-end:1px solid #dfe2e6;padding:.5rem;text-align:start;vertical-align:top}
mark{background:#ffe08a}
.comment{margin:.3rem 0 0;color:#5a606b;font-style:italic}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin-block-end:1rem}
.fix label{display:block;font-size:.85rem;margin-block-end:.3rem}
.fix input{display:block;width:100%;font:inherit}
form.inline{display:inline}
.notice{padding:.6rem .9rem;border-radius:.4rem;background:#e8f4ea}
.notice.error{background:#fbe9e7}`;

/** The query string that keeps the page's language and filters, for links and forms. */
export function viewQuery(view: Pick<ReportsView, 'lang' | 'filters'>, status = true): string {
  const query = new URLSearchParams({ lang: view.lang });
  if (view.filters.story) query.set('story', view.filters.story);
  if (view.filters.language) query.set('language', view.filters.language);
  if (status) query.set('status', view.filters.status ?? 'all');
  return query.toString();
}

/** The whole page: the filters, then the reports the filters let through, with their actions. */
export function renderReportsPage(reports: readonly StoredReport[], view: ReportsView): string {
  const { t } = view;
  const title = t('editors:page.title');
  const count = t('editors:page.count', { count: reports.length });
  return `<!doctype html>
<html lang="${e(view.lang)}" dir="${view.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(title)} (${e(count)})</title>
<style>
${PAGE_STYLE}
</style>
</head>
<body>
<h1>${e(title)} (${e(count)})</h1>
${view.notice ? `<p class="notice${view.notice.ok ? '' : ' error'}" role="status">${e(view.notice.text)}</p>\n` : ''}${filtersForm(view)}
${reports.length ? reportsTable(reports, view) : `<p>${e(t('editors:page.empty'))}</p>`}
</body>
</html>
`;
}

/** The filters by story, language and status, with those in force selected. */
function filtersForm(view: ReportsView): string {
  const { t } = view;
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${e(value)}"${selected ? ' selected' : ''}>${e(label)}</option>`;
  return `<form class="filters" method="get" action="/reports">
<input type="hidden" name="lang" value="${e(view.lang)}">
<label>${e(t('editors:page.story'))} <select name="story">${option('', t('editors:page.any'), !view.filters.story)}${view.stories.map((s) => option(s, s, s === view.filters.story)).join('')}</select></label>
<label>${e(t('editors:page.language'))} <select name="language">${option('', t('editors:page.any'), !view.filters.language)}${view.languages.map((l) => option(l, l, l === view.filters.language)).join('')}</select></label>
<label>${e(t('editors:page.status'))} <select name="status">${STATUSES.map((s) => option(s, t(`editors:status.${s}`), s === view.filters.status)).join('')}${option('all', t('editors:page.any'), !view.filters.status)}</select></label>
<button type="submit">${e(t('editors:page.show'))}</button>
</form>`;
}

/** The reports, one row each. */
function reportsTable(reports: readonly StoredReport[], view: ReportsView): string {
  const { t } = view;
  const query = viewQuery(view);
  const rows = reports.map(
    (r) => `<tr id="report-${r.id}">
<td>${r.id}</td>
<td lang="${e(r.lang)}" dir="auto">${e(r.contextBefore)}<mark>${e(r.selection)}</mark>${e(r.contextAfter)}${r.comment ? `<p class="comment">${e(r.comment)}</p>` : ''}</td>
<td><a href="${e(r.url)}" rel="noreferrer">${e(r.storyId)}</a> (${e(r.lang)})</td>
<td>${r.count}</td>
<td><time datetime="${e(r.updatedAt)}">${e(r.updatedAt.slice(0, 16).replace('T', ' '))}</time></td>
<td>${reportActions(r, view, query)}</td>
</tr>`,
  );
  return `<table>
<thead><tr><th>${e(t('editors:page.number'))}</th><th>${e(t('editors:page.text'))}</th><th>${e(t('editors:page.article'))}</th><th>${e(t('editors:page.reports'))}</th><th>${e(t('editors:page.last'))}</th><th>${e(t('editors:page.actions'))}</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/**
 * A report's last cell: for an open report the Fix (where this server can edit the
 * articles), Resolve and Dismiss forms, posting back with the page's `query`; for a closed
 * one its status, and the correction made if it was fixed.
 */
function reportActions(r: StoredReport, view: ReportsView, query: string): string {
  const { t } = view;
  if (r.status !== 'open') {
    const fixed = r.correction
      ? `<p class="fixed">${e(t('editors:page.fixed', { before: r.correction.before, after: r.correction.after }))}</p>`
      : '';
    return `${e(t(`editors:status.${r.status}`))}${fixed}`;
  }
  const action = (name: string) => `/reports/${r.id}/${name}?${query}`;
  const csrf = `<input type="hidden" name="csrf" value="${e(view.csrf)}">`;
  const fix = view.canFix
    ? `<form method="post" action="${e(action('fix'))}" class="fix">${csrf}
<label>${e(t('editors:action.correctedText'))} <input name="text" required maxlength="256" value="${e(r.selection)}" lang="${e(r.lang)}" dir="auto"></label>
<label>${e(t('editors:action.note'))} <input name="note" maxlength="1000" lang="${e(r.lang)}" dir="auto"></label>
<button type="submit">${e(t('editors:action.fix'))}</button>
</form>`
    : `<p class="comment">${e(t('editors:page.noFix'))}</p>`;
  return `${fix}
<form method="post" action="${e(action('resolve'))}" class="inline">${csrf}<button type="submit">${e(t('editors:action.resolve'))}</button></form>
<form method="post" action="${e(action('dismiss'))}" class="inline">${csrf}<button type="submit">${e(t('editors:action.dismiss'))}</button></form>`;
}
