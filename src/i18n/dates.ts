/**
 * The only module that imports date-fns-tz. Dates are kept as instants (`Date`) from the
 * moment they are read; the site's time zone is applied when a date is resolved from
 * wall-clock text and when it is turned back into text.
 */
import type { Locale } from 'date-fns';
import { formatInTimeZone } from 'date-fns-tz';

export type ResolvedDate =
  | {
      instant: Date /** Set when the text was ambiguous or impossible in the zone. */;
      warning?: string;
    }
  | { error: string };

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const EXAMPLE = 'e.g. "2024-05-14T09:57" (site time) or "2024-05-14T09:57:00+03:00"';
const HOUR = 3_600_000;

/**
 * Reads an ISO 8601 date-time. With an offset (or `Z`) it is that instant; without one it
 * is wall-clock time in `timeZone`. A wall-clock time that the zone skips (spring DST gap)
 * is moved forward by the gap; one it repeats (autumn overlap) is read as the first of the
 * two. Both come back with a warning, since the newsroom should write the offset.
 */
export function resolveDateTime(text: string, timeZone: string): ResolvedDate {
  const match = ISO_8601.exec(text.trim());
  if (!match)
    return { error: `must be an ISO 8601 date and time, ${EXAMPLE} (got ${JSON.stringify(text)})` };
  const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0', offset] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const problem = checkFields(year, month, day, hour, minute, second);
  if (problem) return { error: `${JSON.stringify(text)} is not a real date and time: ${problem}` };
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, Number(ms.padEnd(3, '0')));

  if (offset) {
    const minutes = parseOffset(offset);
    if (minutes === undefined)
      return { error: `${JSON.stringify(text)} has an impossible UTC offset ${offset}` };
    return { instant: new Date(wallClock - minutes * 60_000) };
  }

  // Offsets in force just before and just after: a wall-clock time is valid with an offset
  // when converting it back gives that same offset.
  const candidates = [
    ...new Set([wallClock - 12 * HOUR, wallClock + 12 * HOUR].map((t) => offsetAt(t, timeZone))),
  ];
  const valid = candidates
    .map((o) => wallClock - o)
    .filter((t) => wallClock - offsetAt(t, timeZone) === t)
    .sort((a, b) => a - b);
  const first = valid[0];
  if (first !== undefined && valid.length === 1) return { instant: new Date(first) };
  if (first !== undefined) {
    return {
      instant: new Date(first),
      warning: `${text} happens twice in ${timeZone} (clocks go back); read as the first, ${toRfc3339(new Date(first), timeZone)}. Write the offset to choose`,
    };
  }
  const before = wallClock - offsetAt(wallClock - 12 * HOUR, timeZone);
  return {
    instant: new Date(before),
    warning: `${text} does not exist in ${timeZone} (clocks go forward); read as ${toRfc3339(new Date(before), timeZone)}. Write the offset to be explicit`,
  };
}

function checkFields(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): string | undefined {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `month ${month} of ${year} has ${days} days`;
  if (hour > 23) return `there is no hour ${hour}`;
  if (minute > 59) return `there is no minute ${minute}`;
  if (second > 59) return `there is no second ${second}`;
  return undefined;
}

/**
 * The zone's UTC offset in milliseconds at an instant. (date-fns-tz's getTimezoneOffset
 * reads its Date argument as wall-clock time in the machine's zone, so it is not used.)
 */
function offsetAt(instant: number, timeZone: string): number {
  return (parseOffset(formatInTimeZone(instant, timeZone, 'xxx')) ?? 0) * 60_000;
}

/** `+03:00` → 180; `Z` → 0. */
function parseOffset(offset: string): number | undefined {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/** RFC 3339 with the zone's offset at that instant: `2024-05-14T09:57:00+03:00`. */
export function toRfc3339(date: Date, timeZone: string): string {
  return remembered(rfc3339, date, timeZone, "yyyy-MM-dd'T'HH:mm:ssXXX");
}

/** Formats `date` as seen in `timeZone`, with a date-fns pattern and locale. */
export function formatInZone(
  date: Date,
  timeZone: string,
  pattern: string,
  locale?: Locale,
): string {
  return formatInTimeZone(date, timeZone, pattern, locale ? { locale } : {});
}

/** The calendar year of `date` in `timeZone`. */
export function yearInZone(date: Date, timeZone: string): number {
  return Number(formatInTimeZone(date, timeZone, 'yyyy'));
}

/** RFC 822 (as RSS 2.0 wants it) with the zone's offset: `Tue, 14 May 2024 09:57:00 +0300`. */
export function toRfc822(date: Date, timeZone: string): string {
  // Day and month names in RFC 822 are English whatever the feed's language.
  return remembered(rfc822, date, timeZone, 'EEE, dd MMM yyyy HH:mm:ss xx');
}

// Machine-readable dates are asked for again and again (each article's in every feed and
// sitemap, in every build of a dev session), and formatting in a zone is slow: remembered
// per zone and instant. A site has a few dates per article, so these stay small.
const rfc3339 = new Map<string, string>();
const rfc822 = new Map<string, string>();

function remembered(
  memo: Map<string, string>,
  date: Date,
  timeZone: string,
  pattern: string,
): string {
  const key = `${timeZone}|${date.getTime()}`;
  let text = memo.get(key);
  if (text === undefined) {
    text = formatInTimeZone(date, timeZone, pattern);
    memo.set(key, text);
  }
  return text;
}
