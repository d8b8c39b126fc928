/**
 * How a notification leaves: an HTTP POST (webhooks, Slack, Telegram's Bot API) or an
 * e-mail over SMTP. The only module that imports nodemailer. A failure is a DeliveryError
 * whose message names no secret (webhook URLs and bot tokens are secrets).
 */
import nodemailer from 'nodemailer';

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** When the destination asked to be left alone for a while (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** POSTs `body`; resolves with the answer's text when it is 2xx, else throws a DeliveryError. */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'user-agent': 'Polyfeed', ...headers },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(describeNetworkError(error));
  }
  const text = await response.text().catch(() => '');
  if (!response.ok)
    throw new DeliveryError(
      `answered ${response.status}${text ? `: ${text.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`,
      retryAfter(response.headers.get('retry-after'), text),
    );
  return text;
}

/** Telegram's `sendMessage` (https://core.telegram.org/bots/api#sendmessage), HTML text. */
export async function sendTelegram(
  apiUrl: string,
  token: string,
  chatId: string,
  html: string,
  timeoutMs: number,
): Promise<void> {
  const text = await post(
    `${apiUrl.replace(/\/+$/, '')}/bot${token}/sendMessage`,
    JSON.stringify({
      chat_id: chatId,
      text: html,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    }),
    { 'content-type': 'application/json' },
    timeoutMs,
  );
  const answer = parseJson(text) as { ok?: boolean; description?: string } | undefined;
  if (answer?.ok !== true)
    throw new DeliveryError(
      `Telegram did not take it: ${answer?.description ?? text.slice(0, 200)}`,
    );
}

export interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The same on every try, so that mail systems can tell a repeat. */
  messageId: string;
}

/** An SMTP client for `smtp://` (STARTTLS when the server offers it) or `smtps://` URLs. */
export function createMailer(smtp: string, timeoutMs: number) {
  const url = new URL(smtp);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(mail: Mail): Promise<void> {
      try {
        await transport.sendMail(mail);
      } catch (error) {
        // nodemailer's messages name the server and its answer, never the password.
        const { response, message } = error as { response?: string; message: string };
        throw new DeliveryError(`the mail server: ${(response ?? message).slice(0, 200)}`);
      }
    },
    close(): void {
      transport.close();
    },
  };
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  const { name, code } = error as { name?: string; code?: string };
  if (name === 'TimeoutError' || code === 'ETIMEDOUT') return 'did not answer in time';
  const why = cause?.code ?? code;
  return why ? `could not be reached (${why})` : 'could not be reached';
}

/** Retry-After in seconds, or Telegram's `parameters.retry_after`. */
function retryAfter(header: string | null, body: string): number | undefined {
  const seconds =
    Number(header) ||
    Number((parseJson(body) as { parameters?: { retry_after?: number } })?.parameters?.retry_after);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
