/**
 * `typoReport.notify`: where editors are told of a new typo report (a webhook, a Slack
 * channel, an e-mail address, a Telegram chat), and `typoReport.delivery`: how hard the
 * typo server tries. See docs/typo-reports.md, "Editors are told".
 *
 * A text field may name environment variables as `${NAME}`, so that secrets stay out of
 * the repository: they are read when `polyfeed typo-server` starts (src/typo/notify-config.ts),
 * and a URL that has one is checked then, with the variable's value, rather than here.
 */
import { z } from 'zod';
import { urlSegment } from './fields.js';

/** `${NAME}` in a config string: an environment variable read when the server starts. */
export const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function hasEnvReference(text: string): boolean {
  return new RegExp(ENV_REFERENCE.source).test(text);
}

/** The URL schemes each kind of address may have, and how to say so. */
export const URL_RULES = {
  http: { protocols: ['http:', 'https:'], message: 'must be an absolute http:// or https:// URL' },
  smtp: {
    protocols: ['smtp:', 'smtps:'],
    message: `must be an smtp:// or smtps:// URL, e.g. smtps://user:\${SMTP_PASSWORD}@mail.example.org`,
  },
} as const;

/** Whether `text` is a URL with one of `rule`'s schemes. */
export function checkUrl(text: string, rule: keyof typeof URL_RULES): boolean {
  try {
    const url = new URL(text);
    return (URL_RULES[rule].protocols as readonly string[]).includes(url.protocol) && !!url.host;
  } catch {
    return false;
  }
}

/** A URL, checked now unless it takes part of itself from the environment. */
const url = (rule: keyof typeof URL_RULES) =>
  z
    .string()
    .min(1)
    .refine((text) => hasEnvReference(text) || checkUrl(text, rule), {
      error: URL_RULES[rule].message,
    });

/** What every destination may say about which reports it wants and in which language. */
const common = {
  /**
   * A stable name for the destination (`[a-z0-9-]`). Pending notifications are kept under
   * it, so a destination whose URL changes keeps them; without it, one is made from the
   * destination's address.
   */
  name: urlSegment.optional(),
  /** Only reports from pages in these languages (default: all). */
  languages: z.array(z.string()).min(1).optional(),
  /** Only reports on articles of these sections (default: all). */
  sections: z.array(z.string()).min(1).optional(),
  /**
   * The language the message is written in: by default the only one of `languages`, or
   * the site's default language.
   */
  language: z.string().optional(),
};

const webhook = z
  .object({
    type: z.literal('webhook'),
    /** Receives a POST of the JSON payload described in docs/typo-reports.md. */
    url: url('http'),
    /** `json`: our payload, signed; `slack`: a message a Slack-compatible incoming webhook takes. */
    format: z.enum(['json', 'slack']).default('json'),
    /** HMAC-SHA256 key of the X-Polyfeed-Signature-256 header; required for `json`. */
    secret: z.string().min(1).optional(),
    ...common,
  })
  .strict();

const email = z
  .object({
    type: z.literal('email'),
    /** The mail server: smtp://host:587 (STARTTLS when offered) or smtps://host:465, with user:password@ when it needs them. */
    smtp: url('smtp'),
    /** Sender, e.g. `Typo desk <typos@herald.example.org>`. */
    from: z.string().min(3),
    /** One address or a list. */
    to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
    ...common,
  })
  .strict();

const telegram = z
  .object({
    type: z.literal('telegram'),
    /** The bot's token from @BotFather, usually `${TELEGRAM_BOT_TOKEN}`. */
    botToken: z.string().min(1),
    /** The chat (a group's id is negative) the bot writes to. */
    chatId: z.union([z.string().min(1), z.int()]).transform(String),
    /** The Bot API's address (another one for a local Bot API server or a test). */
    apiUrl: url('http').default('https://api.telegram.org'),
    ...common,
  })
  .strict();

const KINDS = ['webhook', 'email', 'telegram'];

export const notifyDestinationSchema = z
  .discriminatedUnion('type', [webhook, email, telegram], {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const kinds = KINDS.map((k) => `"${k}"`).join(', ');
      const given = (issue.input as { type?: unknown } | undefined)?.type;
      return given === undefined
        ? `is required: the kind of destination, one of ${kinds}`
        : `must be one of ${kinds} (got ${JSON.stringify(given)})`;
    },
  })
  .superRefine((destination, ctx) => {
    if (destination.type === 'webhook' && destination.format === 'json' && !destination.secret)
      ctx.addIssue({
        code: 'custom',
        path: ['secret'],
        message: `is required: the receiver checks the X-Polyfeed-Signature-256 header with it (write \${VARIABLE} to take it from the environment)`,
      });
  });

export type NotifyDestination = z.output<typeof notifyDestinationSchema>;

/** How notifications are retried: doubling delays from `retrySeconds` up to `maxRetrySeconds`. */
export const deliverySchema = z
  .object({
    /** Tries per notification before it is given up (and left in the database as failed). */
    attempts: z.int().positive().default(12),
    /** Wait after the first failure; each next one waits twice as long. */
    retrySeconds: z.number().positive().default(30),
    maxRetrySeconds: z.number().positive().default(3600),
    /** A destination that has not answered in this time has failed this try. */
    timeoutSeconds: z.number().positive().default(10),
  })
  .strict();

export const DELIVERY_DEFAULTS = deliverySchema.parse({});
