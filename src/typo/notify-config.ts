/**
 * `typoReport.notify` made ready to send, when `polyfeed typo-server` starts: `${NAME}`
 * references read from the environment, the URLs that had them checked, each destination
 * given its key in the outbox. Problems are diagnostics at their line of site.yaml, like a
 * build's.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkUrl,
  ENV_REFERENCE,
  hasEnvReference,
  type NotifyDestination,
  URL_RULES,
} from '../config/notify-schema.js';
import type { SiteConfig } from '../config/schema.js';
import { type Diagnostic, FileReport } from '../diagnostics.js';
import { CONFIG_FILE } from '../load/load-config.js';
import { parseYamlSource } from '../yaml-source.js';

/** A destination as the notifier uses it: every value final. */
export interface Destination {
  /** Its name in the outbox: `name`, or made from its address (kept without secrets). */
  key: string;
  /** For log lines: the kind and where, never a secret. */
  label: string;
  /** The language its messages are written in. */
  language: string;
  /** Only reports from these languages, on these sections (all when undefined). */
  languages?: readonly string[];
  sections?: readonly string[];
  settings: NotifyDestination;
}

/**
 * The configured destinations with the environment's values filled in, or undefined when
 * a variable is missing or a URL is wrong (each reported at its field in site.yaml).
 */
export async function resolveDestinations(
  root: string,
  config: SiteConfig,
  env: NodeJS.ProcessEnv,
  diagnostics: Diagnostic[],
): Promise<Destination[] | undefined> {
  const configured = config.typoReport?.notify ?? [];
  if (!configured.length) return [];
  const report = new FileReport(CONFIG_FILE, diagnostics);
  const text = (await readFile(join(root, CONFIG_FILE), 'utf8')).replace(/^\uFEFF/, '');
  const source = parseYamlSource(text, report);
  const destinations = configured.map((settings, i) => {
    const path = ['typoReport', 'notify', i];
    const fill = (field: string, text: string) =>
      text.replace(ENV_REFERENCE, (_, name: string) => {
        const value = env[name];
        if (value === undefined || value === '')
          report.error(
            'config/missing-env',
            `the environment variable ${name} is not set (polyfeed typo-server reads it when it starts)`,
            [...path, field].join('.'),
            source.positionOf([...path, field]),
          );
        return value ?? '';
      });
    const resolved = { ...settings } as Record<string, unknown>;
    for (const [field, value] of Object.entries(settings)) {
      if (typeof value === 'string') resolved[field] = fill(field, value);
      else if (Array.isArray(value) && field === 'to')
        resolved[field] = value.map((v: string) => fill(field, v));
    }
    for (const [field, rule] of [
      ['url', 'http'],
      ['apiUrl', 'http'],
      ['smtp', 'smtp'],
    ] as const) {
      const before = (settings as Record<string, unknown>)[field];
      const after = resolved[field];
      if (typeof before !== 'string' || !hasEnvReference(before) || typeof after !== 'string')
        continue;
      if (after && !checkUrl(after, rule))
        report.error(
          'config/invalid',
          `${URL_RULES[rule].message} (after reading the environment)`,
          [...path, field].join('.'),
          source.positionOf([...path, field]),
        );
    }
    return describe(settings, resolved as NotifyDestination, config);
  });
  return report.errors ? undefined : destinations;
}

function describe(raw: NotifyDestination, settings: NotifyDestination, config: SiteConfig) {
  const host = (url: string) => {
    try {
      return new URL(url).host;
    } catch {
      return '?';
    }
  };
  let label: string;
  let address: string;
  if (settings.type === 'webhook') {
    label = `${settings.format === 'slack' ? 'Slack webhook' : 'webhook'} ${host(settings.url)}`;
    address = (raw as typeof settings).url;
  } else if (settings.type === 'email') {
    const to = [settings.to].flat();
    label = `e-mail to ${to.join(', ')}`;
    address = `${(raw as typeof settings).smtp} ${[(raw as typeof settings).to].flat().join(',')}`;
  } else {
    label = `Telegram chat ${settings.chatId}`;
    address = `${(raw as typeof settings).apiUrl} ${(raw as typeof settings).chatId}`;
  }
  // Made from what the config says (`${NAME}` unread), so a rotated secret keeps the key.
  const key =
    raw.name ??
    `${settings.type}-${createHash('sha256').update(address).digest('hex').slice(0, 10)}`;
  const language =
    settings.language ??
    (settings.languages?.length === 1 ? settings.languages[0] : undefined) ??
    config.defaultLanguage;
  return {
    key,
    label,
    language,
    languages: settings.languages,
    sections: settings.sections,
    settings,
  } satisfies Destination;
}
