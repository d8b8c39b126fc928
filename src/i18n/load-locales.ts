/**
 * UI strings: `locales/<lang>/<namespace>.json`, from the package and then from the site
 * folder (whose keys win). The only module that imports i18next. One i18next instance per
 * build, never the global one, since tests build many sites in one process.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Locale as DateLocale } from 'date-fns';
import i18next, { type i18n } from 'i18next';
import type { LanguageConfig, SiteConfig } from '../config/schema.js';
import { decodeUtf8 } from '../content/decode-utf8.js';
import { type Diagnostic, FileReport } from '../diagnostics.js';
import { digest } from '../digest.js';
import { formatInZone, toRfc3339 } from './dates.js';

/** Everything a template or an output needs to speak one language. */
export interface Localizer {
  language: LanguageConfig;
  /** Translates `key` (`namespace:key.path` or a key of `common`), with i18next options. */
  t(key: string, options?: Record<string, unknown>): string;
  /** The date in the site time zone, with the locale's pattern (`format.dateTime` by default). */
  formatDate(date: Date, patternKey?: string): string;
  /** RFC 3339 with the site time zone's offset, for `<time datetime>` and JSON-LD. */
  isoDate(date: Date): string;
  formatNumber(value: number): string;
  /** "A, B and C" in this language: a byline, as pages and feeds show it. */
  formatList(items: readonly string[]): string;
}

export interface LoadedLocales {
  localizers: Map<string, Localizer>;
  /** Changes when any UI string changes: part of every output's key. */
  fingerprint: string;
  /**
   * Keys that templates asked for and no locale has; filled in while rendering. A build
   * that reuses these locales (see `previous` below) starts it anew.
   */
  unknownKeys: Set<string>;
  /** The config the localizers were made for (languages, time zone): part of reusing them. */
  configKey: string;
}

type Resources = Record<string, Record<string, Record<string, unknown>>>; // lang → ns → tree
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/**
 * Reads the locale files of every configured language from `roots` (later roots override
 * earlier ones), and reports keys missing against the default language, empty strings and
 * keys the default language does not have. Missing keys fall back to the default language;
 * with `strict` they are errors.
 */
export async function loadLocales(
  roots: readonly string[],
  siteRoot: string,
  config: SiteConfig,
  diagnostics: Diagnostic[],
  strict = false,
  /**
   * The previous build's locales (the dev server keeps them): reused when no UI string and
   * no config changed, with the strings and dates they have already formatted. A rebuild
   * after an article edit then asks i18next and Intl for nothing new.
   */
  previous?: LoadedLocales,
  /**
   * Whether each localizer remembers the strings and dates it made (a build asks for the
   * same ones thousands of times). A long-running server passes false: its strings carry
   * readers' text, and a memo of them would grow for as long as it runs.
   */
  memoize = true,
): Promise<LoadedLocales> {
  const resources: Resources = {};
  for (const root of roots) {
    for (const language of config.languages) {
      const folder = join(root, 'locales', language.code);
      for (const name of await listJson(folder)) {
        const file = relative(siteRoot, join(folder, name)).split('\\').join('/');
        const report = new FileReport(file, diagnostics);
        const text = decodeUtf8(await readFile(join(folder, name)), report);
        const tree = text === undefined ? undefined : parseJson(text, report);
        if (!tree) continue;
        const ns = name.slice(0, -'.json'.length);
        const byNs = resources[language.code] ?? {};
        byNs[ns] = deepMerge(byNs[ns] ?? {}, tree);
        resources[language.code] = byNs;
      }
    }
  }
  checkCoverage(resources, config, diagnostics, strict);
  const fingerprint = digest(JSON.stringify(resources));
  const configKey = JSON.stringify(config);
  if (previous && previous.fingerprint === fingerprint && previous.configKey === configKey) {
    previous.unknownKeys = new Set();
    return previous;
  }

  const instance = createInstance(resources, config);
  const loaded: LoadedLocales = {
    localizers: new Map(),
    unknownKeys: new Set(),
    fingerprint,
    configKey,
  };
  for (const language of config.languages) {
    const dateLocale = await findDateLocale(language.code);
    loaded.localizers.set(
      language.code,
      makeLocalizer(
        instance,
        language,
        dateLocale,
        config,
        (key) => loaded.unknownKeys.add(key),
        memoize,
      ),
    );
  }
  return loaded;
}

/** An i18next instance of its own over the strings read (never the global one). */
function createInstance(resources: Resources, config: SiteConfig): i18n {
  const instance = i18next.createInstance();
  const namespaces = [
    ...new Set(Object.values(resources).flatMap((byNs) => Object.keys(byNs))),
  ].sort();
  instance.init({
    initAsync: false,
    resources,
    lng: config.defaultLanguage,
    fallbackLng: config.defaultLanguage,
    supportedLngs: config.languages.map((l) => l.code),
    ns: namespaces,
    defaultNS: 'common',
    returnEmptyString: false,
    returnNull: false,
    // Templates escape what they print; escaping here too would double it.
    interpolation: { escapeValue: false },
  });
  return instance;
}

function makeLocalizer(
  instance: i18n,
  language: LanguageConfig,
  dateLocale: DateLocale,
  config: SiteConfig,
  reportUnknown: (key: string) => void,
  memoize: boolean,
): Localizer {
  const t = instance.getFixedT(language.code);
  const numbers = new Intl.NumberFormat(language.code);
  const lists = new Intl.ListFormat(language.code, { type: 'conjunction' });
  // An i18next call costs 20-150 µs (options are copied, plural rules and number formats
  // looked up); pages and feeds ask for the same few strings thousands of times.
  const memo = memoize ? new Map<string, string>() : undefined;
  const translate = (key: string, options?: Record<string, unknown>): string => {
    const memoKey = options ? `${key}\u0000${JSON.stringify(options)}` : key;
    const hit = memo?.get(memoKey);
    if (hit !== undefined) return hit;
    const value = options ? t(key, options) : t(key);
    // An unknown key is not remembered, so that every build that uses it reports it.
    if (!instance.exists(key, { ...options, lng: language.code })) reportUnknown(key);
    else memo?.set(memoKey, value);
    return value;
  };
  // One article's dates appear in its page, its feeds and every list it is in; formatting
  // through Intl costs ~10 µs, so each (instant, pattern) is formatted once.
  const dates = new Map<string, string>();
  const once = (key: string, make: () => string): string => {
    if (!memoize) return make();
    let value = dates.get(key);
    if (value === undefined) {
      value = make();
      dates.set(key, value);
    }
    return value;
  };
  return {
    language,
    t: translate,
    formatDate: (date, patternKey = 'format.dateTime') =>
      once(`${patternKey}|${date.getTime()}`, () =>
        formatInZone(date, config.timeZone, translate(patternKey), dateLocale),
      ),
    isoDate: (date) => once(`iso|${date.getTime()}`, () => toRfc3339(date, config.timeZone)),
    formatNumber: (value) => numbers.format(value),
    formatList: (items) => lists.format(items),
  };
}

/**
 * The date-fns locale for a BCP 47 code: exact (`en-GB`), then by language (`uk`), then
 * US English. Imported one by one: all 95 of `date-fns/locale` take ~0.4 s to load.
 */
async function findDateLocale(code: string): Promise<DateLocale> {
  const base = code.split('-')[0] ?? code;
  for (const candidate of [code, base, `${base}-${base.toUpperCase()}`, 'en-US']) {
    try {
      const module = (await import(`date-fns/locale/${candidate}`)) as Record<string, unknown>;
      const locale = Object.values(module).find(
        (v): v is DateLocale => typeof v === 'object' && v !== null && 'formatLong' in v,
      );
      if (locale) return locale;
    } catch {
      // No locale of that name: try the next.
    }
  }
  throw new Error('date-fns/locale/en-US is missing');
}

function checkCoverage(
  resources: Resources,
  config: SiteConfig,
  diagnostics: Diagnostic[],
  strict: boolean,
): void {
  const reference = config.defaultLanguage;
  const referenceName = config.languages.find((l) => l.code === reference)?.name ?? reference;
  const expected = flattenAll(resources[reference] ?? {});
  // Names the config brings in: each section needs one in the default language at least.
  for (const id of config.sections) {
    const key = `common:sections.${id}`;
    if (!expected.has(key)) {
      new FileReport(`locales/${reference}/common.json`, diagnostics).error(
        'i18n/missing-section-name',
        `site.yaml lists the section "${id}", which has no name here; add "sections": { "${id}": "…" }`,
        `sections.${id}`,
      );
    }
  }
  const expectedBases = new Set([...expected.keys()].map((k) => k.replace(PLURAL_SUFFIX, '')));
  for (const language of config.languages) {
    const actual = flattenAll(resources[language.code] ?? {});
    const categories = new Intl.PluralRules(language.code).resolvedOptions().pluralCategories;
    // Reported where the site adds or fixes the key: its own locales/ folder.
    const fileFor = (key: string) => `locales/${language.code}/${key.split(':')[0]}.json`;
    const missing = (key: string, detail: string) =>
      new FileReport(fileFor(key), diagnostics)[strict ? 'error' : 'warning'](
        'i18n/missing-key',
        detail,
        shortKey(key),
      );
    for (const [key, value] of actual) {
      if (value.trim() === '')
        new FileReport(fileFor(key), diagnostics).warning(
          'i18n/empty',
          `is empty; the ${referenceName} text is used`,
          shortKey(key),
        );
    }
    if (language.code === reference) continue;
    const bases = new Set<string>();
    for (const key of expected.keys()) {
      const plural = PLURAL_SUFFIX.test(key);
      const base = key.replace(PLURAL_SUFFIX, '');
      if (plural) {
        if (bases.has(base)) continue;
        bases.add(base);
        const absent = categories.filter((c) => !actual.has(`${base}_${c}`));
        if (absent.length)
          missing(
            base,
            `is missing the plural form${absent.length > 1 ? 's' : ''} ${absent.join(', ')} (${language.name} needs ${categories.join(', ')}); the ${referenceName} text is used`,
          );
      } else if (!actual.has(key)) {
        missing(key, `is missing; the ${referenceName} text is used`);
      }
    }
    for (const key of actual.keys()) {
      const pluralOfKnown =
        PLURAL_SUFFIX.test(key) && expectedBases.has(key.replace(PLURAL_SUFFIX, ''));
      if (!expected.has(key) && !pluralOfKnown) {
        new FileReport(fileFor(key), diagnostics).warning(
          'i18n/extra-key',
          `is not in the ${referenceName} locale (a typo, or a key that is no longer used?)`,
          shortKey(key),
        );
      }
    }
  }
}

/** Keys as templates write them: `footer.note` for the default namespace, `typo:title` otherwise. */
function shortKey(key: string): string {
  return key.startsWith('common:') ? key.slice('common:'.length) : key;
}

/** ns → tree to `ns:dotted.key` → string. */
function flattenAll(byNs: Record<string, Record<string, unknown>>): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (prefix: string, node: unknown) => {
    if (typeof node === 'string') out.set(prefix, node);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node))
        walk(prefix.endsWith(':') ? prefix + k : `${prefix}.${k}`, v);
    }
  };
  for (const [ns, tree] of Object.entries(byNs)) walk(`${ns}:`, tree);
  return out;
}

async function listJson(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function parseJson(text: string, report: FileReport): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
    report.error('i18n/invalid', 'must be a JSON object of keys and strings');
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    const before = position === undefined ? '' : text.slice(0, Number(position));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    report.error(
      'i18n/invalid-json',
      `broken JSON: ${String((error as Error).message).replace(/ in JSON at position \d+.*$/, '')}`,
      undefined,
      position === undefined ? {} : { line, column },
    );
  }
  return undefined;
}

function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && current && typeof current === 'object'
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}
