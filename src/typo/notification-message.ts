/**
 * What editors are told of a report, in the desk's language: an e-mail (plain text and
 * HTML), a Slack message, a Telegram message and the webhook's JSON payload (documented in
 * docs/typo-reports.md). Everything a reader sent is escaped for each format.
 */
import { escapeHtml } from '../escape.js';
import type { StoredReport } from './store.js';

export interface MessageContext {
  report: StoredReport;
  /** The desk's language, which the message is written in. */
  language: string;
  /** Translates in that language (editors' strings are `editors:…`). */
  t: (key: string, options?: Record<string, unknown>) => string;
  /** The article's title and section, when the server could read its file. */
  article: { title?: string; section?: string };
  /** The same on every try of one notification (`<notification id>.<round>`). */
  delivery: string;
}

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
  slack: string;
  telegram: string;
}

/** The shell command that fixes the report, with a placeholder for the corrected words. */
export function fixCommand(context: MessageContext): string {
  const words = context.t('editors:notify.correctedWords').replace(/["\\$`]/g, '');
  return `polyfeed typos fix ${context.report.id} --text "${words}"`;
}

export function composeMessage(context: MessageContext): ComposedMessage {
  const { report, t, article } = context;
  const site = t('site.title');
  const story = article.title ?? report.storyId;
  const language = report.lang;
  const subject = t('editors:notify.subject', {
    id: report.id,
    selection: report.selection,
    story: report.storyId,
    language,
  });
  const heading = t('editors:notify.heading', { site });
  const count = t('editors:notify.count', { count: report.count });
  const comment = report.comment || t('editors:notify.noComment');
  const command = fixCommand(context);
  const { contextBefore: before, selection, contextAfter: after } = report;

  const text = [
    heading,
    '',
    `${t('editors:notify.text')}: …${before}[${selection}]${after}…`,
    `${t('editors:notify.comment')}: ${comment}`,
    `${t('editors:notify.story')}: ${story} (${report.storyId}, ${language})`,
    `${t('editors:notify.page')}: ${report.url}`,
    count,
    '',
    t('editors:notify.fix'),
    `  ${command}`,
    '',
  ].join('\n');

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${e(context.language)}">
<head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5">
<h1 style="font-size:1.2rem">${e(heading)}</h1>
<blockquote lang="${e(language)}" dir="auto" style="margin:0 0 1rem;padding:.5rem .8rem;border-inline-start:3px solid #0a4a94;background:#f4f5f7">…${e(before)}<mark style="background:#ffe08a">${e(selection)}</mark>${e(after)}…</blockquote>
<p><strong>${e(t('editors:notify.comment'))}:</strong> <span dir="auto">${e(comment)}</span></p>
<p><strong>${e(t('editors:notify.story'))}:</strong> <a href="${e(report.url)}">${e(story)}</a> (${e(report.storyId)}, ${e(language)})</p>
<p>${e(count)}</p>
<p>${e(t('editors:notify.fix'))}</p>
<pre style="background:#f4f5f7;padding:.5rem .8rem">${e(command)}</pre>
</body>
</html>
`;

  // Slack's mrkdwn escapes only these three (https://api.slack.com/reference/surfaces/formatting).
  const s = (value: string) =>
    value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const slack = [
    `*${s(heading)}*`,
    `> …${s(before)}*${s(selection)}*${s(after)}…`,
    `${s(t('editors:notify.comment'))}: ${s(comment)}`,
    `${s(t('editors:notify.story'))}: <${s(report.url)}|${s(story)}> (${s(language)}) · ${s(count)}`,
    `${s(t('editors:notify.fix'))} \`${s(command)}\``,
  ].join('\n');

  // Telegram's HTML allows b, i, u, a, code and pre, and wants &, < and > escaped.
  const telegram = [
    `<b>${s(heading)}</b>`,
    `…${s(before)}<b><u>${s(selection)}</u></b>${s(after)}…`,
    `${s(t('editors:notify.comment'))}: ${s(comment)}`,
    `${s(t('editors:notify.story'))}: <a href="${e(report.url)}">${s(story)}</a> (${s(language)})`,
    s(count),
    `${s(t('editors:notify.fix'))}`,
    `<code>${s(command)}</code>`,
  ].join('\n');

  return { subject, text, html, slack, telegram };
}

/** The JSON payload of a `format: json` webhook; its fields are a documented contract. */
export function webhookPayload(context: MessageContext, message: ComposedMessage) {
  const { report } = context;
  return {
    event: 'typo.reported',
    delivery: context.delivery,
    report: {
      id: report.id,
      url: report.url,
      lang: report.lang,
      storyId: report.storyId,
      title: context.article.title ?? null,
      section: context.article.section ?? null,
      selection: report.selection,
      contextBefore: report.contextBefore,
      contextAfter: report.contextAfter,
      comment: report.comment,
      count: report.count,
      status: report.status,
      createdAt: report.createdAt,
      updatedAt: report.updatedAt,
    },
    message: { subject: message.subject, text: message.text },
    fixCommand: fixCommand(context),
  };
}
