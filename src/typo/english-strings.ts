/**
 * The editors' strings in English, for the command line (whose messages are English, as all
 * of Polyfeed's are): read from locales/en/editors.json, so each text is written once.
 * Pages and notifications, which speak the desk's language, use the site's localizers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

let strings: Record<string, unknown> | undefined;

/** `key` (e.g. `fix.notFound`) with `{{name}}` filled in; `count` chooses `_one` or `_other`. */
export function english(key: string, params: Record<string, string | number> = {}): string {
  strings ??= JSON.parse(
    readFileSync(join(PACKAGE_ROOT, 'locales', 'en', 'editors.json'), 'utf8'),
  ) as Record<string, unknown>;
  const lookup = (path: string) =>
    path
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], strings);
  const plural =
    typeof params.count === 'number' ? `${key}_${params.count === 1 ? 'one' : 'other'}` : key;
  const text = lookup(plural) ?? lookup(key);
  if (typeof text !== 'string') return key;
  return text.replace(/\{\{(\w+)(?:, number)?\}\}/g, (_, name: string) =>
    String(params[name] ?? ''),
  );
}
