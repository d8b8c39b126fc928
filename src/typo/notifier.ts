/**
 * Tells editors of new reports: decides which destinations a report goes to (by language
 * and section), and delivers the outbox (outbox.ts) in the background, with retries and
 * doubling delays, so that a reader's answer never waits for a mail server or a webhook.
 * Every typo server runs one; on a shared PostgreSQL they take notifications in turns.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { SiteConfig } from '../config/schema.js';
import { splitFrontMatter } from '../content/front-matter.js';
import type { Localizer } from '../i18n/load-locales.js';
import { articleFile } from './fix-article.js';
import { composeMessage, type MessageContext, webhookPayload } from './notification-message.js';
import type { Destination } from './notify-config.js';
import type { Claim } from './outbox.js';
import { createMailer, DeliveryError, post, sendTelegram } from './senders.js';
import type { NewReport, StoredReport, TypoStore } from './store.js';

/** Notifications delivered at once by one server. */
const CONCURRENCY = 4;
/** The longest a server sleeps before it looks for work another server queued. */
const MAX_POLL_MS = 5_000;

export interface NotifierOptions {
  store: TypoStore;
  destinations: readonly Destination[];
  delivery: NonNullable<SiteConfig['typoReport']>['delivery'];
  /** The site folder: the article's title and section are read from its Markdown. */
  root: string;
  localizers: ReadonlyMap<string, Localizer>;
  now?: () => Date;
  /** Where progress lines go (stdout) and failures (stderr). */
  log?: (line: string) => void;
  warn?: (line: string) => void;
}

export class Notifier {
  private readonly worker = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly byKey: Map<string, Destination>;
  private readonly mailers = new Map<string, ReturnType<typeof createMailer>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly now: () => Date;
  private stopped = false;
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: NotifierOptions) {
    this.byKey = new Map(options.destinations.map((d) => [d.key, d]));
    this.now = options.now ?? (() => new Date());
  }

  /** The destinations that want this report: the keys to queue with it. */
  async destinationsFor(report: NewReport): Promise<string[]> {
    const wanted = this.options.destinations.filter(
      (d) => !d.languages || d.languages.includes(report.lang),
    );
    if (!wanted.some((d) => d.sections)) return wanted.map((d) => d.key);
    // A section filter needs the article's section; an unreadable article is sent to all,
    // since a notification too many is better than one lost.
    const { section } = await this.article(report.storyId, report.lang);
    return wanted
      .filter((d) => !d.sections || section === undefined || d.sections.includes(section))
      .map((d) => d.key);
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** A report was queued: look at once rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops taking work and waits for the deliveries under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
    await Promise.all(this.inFlight);
    for (const mailer of this.mailers.values()) mailer.close();
  }

  private get timeoutMs(): number {
    return this.options.delivery.timeoutSeconds * 1000;
  }

  private async loop(): Promise<void> {
    const { outbox } = this.options.store;
    const pollMs = Math.min(MAX_POLL_MS, this.options.delivery.retrySeconds * 1000);
    // A claim outlives the longest a delivery may take; a server that died loses it then.
    const leaseMs = 2 * this.timeoutMs + 1000;
    while (!this.stopped) {
      let waitMs = pollMs;
      try {
        while (!this.stopped && this.inFlight.size < CONCURRENCY) {
          const claim = await outbox.claim(this.worker, this.now(), leaseMs);
          if (!claim) break;
          // A database error here (a connection reset, a busy SQLite) must not end the
          // process as an unhandled rejection: the claim's lease runs out and it is tried again.
          const delivery: Promise<void> = this.deliver(claim)
            .catch((error) =>
              this.warn(
                `report #${claim.reportId}: the notification could not be sent: ${(error as Error).message}`,
              ),
            )
            .finally(() => {
              this.inFlight.delete(delivery);
              this.wake();
            });
          this.inFlight.add(delivery);
        }
        if (this.inFlight.size < CONCURRENCY) {
          const due = await outbox.nextDue();
          if (due) waitMs = Math.max(0, Math.min(pollMs, due.getTime() - this.now().getTime()));
        }
      } catch (error) {
        this.warn(`the notification queue could not be read: ${(error as Error).message}`);
      }
      await this.sleep(waitMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.woken || this.stopped) {
        this.woken = false;
        return resolve();
      }
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async deliver(claim: Claim): Promise<void> {
    const { store, delivery } = this.options;
    const destination = this.byKey.get(claim.destination);
    const report = await store.get(claim.reportId);
    if (!destination || !report) {
      const why = destination
        ? 'the report is no longer in the database'
        : `no destination "${claim.destination}" in site.yaml any more`;
      await store.outbox.failed(claim, this.now(), why);
      this.warn(`report #${claim.reportId}: not sent: ${why}`);
      return;
    }
    try {
      await withTimeout(this.send(destination, report, claim), this.timeoutMs);
      if (await store.outbox.sent(claim, this.now()))
        this.options.log?.(`Notified ${destination.label} of report #${report.id}`);
    } catch (error) {
      const message =
        error instanceof DeliveryError ? error.message : `failed: ${(error as Error).message}`;
      const again = claim.attempt < delivery.attempts;
      const delayMs =
        (error instanceof DeliveryError && error.retryAfterMs) ||
        Math.min(
          delivery.retrySeconds * 1000 * 2 ** (claim.attempt - 1),
          delivery.maxRetrySeconds * 1000,
        );
      await store.outbox.failed(
        claim,
        this.now(),
        message,
        again ? new Date(this.now().getTime() + delayMs) : undefined,
      );
      this.warn(
        `report #${report.id} to ${destination.label}: ${message}; ${
          again
            ? `try ${claim.attempt + 1} of ${delivery.attempts} in ${formatSeconds(delayMs)}`
            : `given up after ${delivery.attempts} tries`
        }`,
      );
    }
  }

  private async send(destination: Destination, report: StoredReport, claim: Claim) {
    const localizer =
      this.options.localizers.get(destination.language) ??
      ([...this.options.localizers.values()][0] as Localizer);
    const context: MessageContext = {
      report,
      language: destination.language,
      t: localizer.t,
      article: await this.article(report.storyId, report.lang),
      delivery: `${claim.id}.${claim.round}`,
    };
    const message = composeMessage(context);
    const settings = destination.settings;
    const timeout = this.timeoutMs;
    if (settings.type === 'webhook') {
      const body =
        settings.format === 'slack'
          ? JSON.stringify({ text: message.slack })
          : JSON.stringify(webhookPayload(context, message));
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-polyfeed-event': 'typo.reported',
        'x-polyfeed-delivery': context.delivery,
      };
      if (settings.secret)
        headers['x-polyfeed-signature-256'] =
          `sha256=${createHmac('sha256', settings.secret).update(body).digest('hex')}`;
      await post(settings.url, body, headers, timeout);
    } else if (settings.type === 'email') {
      let mailer = this.mailers.get(destination.key);
      if (!mailer) {
        mailer = createMailer(settings.smtp, timeout);
        this.mailers.set(destination.key, mailer);
      }
      const domain = /@([^>\s]+)/.exec(settings.from)?.[1] ?? 'polyfeed.invalid';
      await mailer.send({
        from: settings.from,
        to: [settings.to].flat(),
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<typo-report-${report.id}.${context.delivery}.${destination.key}@${domain}>`,
      });
    } else {
      await sendTelegram(
        settings.apiUrl,
        settings.botToken,
        settings.chatId,
        message.telegram,
        timeout,
      );
    }
  }

  /** The title and section of the reported article, from its front matter, when it can be read. */
  private async article(
    storyId: string,
    lang: string,
  ): Promise<{ title?: string; section?: string }> {
    try {
      const text = await readFile(join(this.options.root, articleFile(storyId, lang)), 'utf8');
      const fields = parse(splitFrontMatter(text).yaml ?? '') as Record<string, unknown> | null;
      return {
        title: typeof fields?.title === 'string' ? fields.title : undefined,
        section: typeof fields?.section === 'string' ? fields.section : undefined,
      };
    } catch {
      return {};
    }
  }

  private warn(line: string): void {
    (this.options.warn ?? ((text) => process.stderr.write(`${text}\n`)))(
      `polyfeed typo-server: ${line}`,
    );
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeliveryError('did not answer in time')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return seconds < 10 ? `${Number(seconds.toFixed(1))} s` : `${Math.round(seconds)} s`;
}
