/**
 * The editors' read-only page of typo reports: each selection in its sentence, with a link
 * to the article. Everything readers sent is escaped; the page has no script.
 */
import { escapeHtml } from '../escape.js';
import type { StoredReport } from './store.js';

export function renderReportsPage(reports: readonly StoredReport[]): string {
  const rows = reports.map(
    (r) => `<tr>
<td>${r.id}</td>
<td lang="${escapeHtml(r.lang)}" dir="auto">${escapeHtml(r.contextBefore)}<mark>${escapeHtml(r.selection)}</mark>${escapeHtml(r.contextAfter)}${r.comment ? `<p class="comment">${escapeHtml(r.comment)}</p>` : ''}</td>
<td><a href="${escapeHtml(r.url)}" rel="noreferrer">${escapeHtml(r.storyId)}</a> (${escapeHtml(r.lang)})</td>
<td>${r.count}</td>
<td><time datetime="${escapeHtml(r.updatedAt)}">${escapeHtml(r.updatedAt.slice(0, 16).replace('T', ' '))}</time></td>
</tr>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Typo reports (${reports.length})</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;color:#17191c}
table{border-collapse:collapse;width:100%}
th,td{border-block-end:1px solid #dfe2e6;padding:.5rem;text-align:start;vertical-align:top}
mark{background:#ffe08a}
.comment{margin:.3rem 0 0;color:#5a606b;font-style:italic}
</style>
</head>
<body>
<h1>Typo reports (${reports.length})</h1>
${
  reports.length
    ? `<table>
<thead><tr><th>#</th><th>Text</th><th>Article</th><th>Reports</th><th>Last (UTC)</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`
    : '<p>No reports.</p>'
}
</body>
</html>
`;
}
