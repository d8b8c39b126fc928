import { uk } from 'date-fns/locale';
import { describe, expect, test } from 'vitest';
import { formatInZone, resolveDateTime, toRfc3339 } from './dates.js';

const KYIV = 'Europe/Kyiv';

function instant(text: string, zone = KYIV): string {
  const result = resolveDateTime(text, zone);
  if ('error' in result) throw new Error(result.error);
  return result.instant.toISOString();
}

describe('resolveDateTime', () => {
  test('an offset makes the text that instant, whatever the site zone', () => {
    expect(instant('2024-05-14T09:57:00+03:00')).toBe('2024-05-14T06:57:00.000Z');
    expect(instant('2024-05-14T09:57:00Z')).toBe('2024-05-14T09:57:00.000Z');
    expect(instant('2024-05-14T09:57:00-0430')).toBe('2024-05-14T14:27:00.000Z');
  });

  test('without an offset it is wall-clock time in the site zone, summer and winter', () => {
    expect(instant('2024-05-14T09:57')).toBe('2024-05-14T06:57:00.000Z'); // EEST, +03:00
    expect(instant('2024-01-14T09:57')).toBe('2024-01-14T07:57:00.000Z'); // EET, +02:00
    expect(instant('2024-01-14')).toBe('2024-01-13T22:00:00.000Z');
  });

  test('a time skipped by the spring change moves forward, with a warning', () => {
    // 2024-03-31 in Kyiv: 03:00 EET becomes 04:00 EEST.
    const result = resolveDateTime('2024-03-31T03:30', KYIV);
    expect(result).toEqual({
      instant: new Date('2024-03-31T01:30:00Z'),
      warning:
        '2024-03-31T03:30 does not exist in Europe/Kyiv (clocks go forward); read as 2024-03-31T04:30:00+03:00. Write the offset to be explicit',
    });
  });

  test('a time repeated by the autumn change is read as the first, with a warning', () => {
    // 2024-10-27 in Kyiv: 04:00 EEST becomes 03:00 EET, so 03:30 happens twice.
    const result = resolveDateTime('2024-10-27T03:30', KYIV);
    expect(result).toEqual({
      instant: new Date('2024-10-27T00:30:00Z'),
      warning:
        '2024-10-27T03:30 happens twice in Europe/Kyiv (clocks go back); read as the first, 2024-10-27T03:30:00+03:00. Write the offset to choose',
    });
    expect(instant('2024-10-27T03:30:00+02:00')).toBe('2024-10-27T01:30:00.000Z');
  });

  test('times next to a change are not ambiguous', () => {
    expect(resolveDateTime('2024-10-27T02:59', KYIV)).not.toHaveProperty('warning');
    expect(resolveDateTime('2024-10-27T04:00', KYIV)).not.toHaveProperty('warning');
    expect(resolveDateTime('2024-03-31T04:00', KYIV)).not.toHaveProperty('warning');
  });

  test.each([
    [
      '2024-02-30T10:00',
      '"2024-02-30T10:00" is not a real date and time: month 2 of 2024 has 29 days',
    ],
    ['2023-02-29', '"2023-02-29" is not a real date and time: month 2 of 2023 has 28 days'],
    ['2024-13-01', '"2024-13-01" is not a real date and time: there is no month 13'],
    ['2024-05-14T25:00', '"2024-05-14T25:00" is not a real date and time: there is no hour 25'],
    ['2024-05-14T10:00+25:00', '"2024-05-14T10:00+25:00" has an impossible UTC offset +25:00'],
    [
      'yesterday',
      'must be an ISO 8601 date and time, e.g. "2024-05-14T09:57" (site time) or "2024-05-14T09:57:00+03:00" (got "yesterday")',
    ],
    [
      '14.05.2024 09:57',
      'must be an ISO 8601 date and time, e.g. "2024-05-14T09:57" (site time) or "2024-05-14T09:57:00+03:00" (got "14.05.2024 09:57")',
    ],
  ])('%s is an error', (text, error) => {
    expect(resolveDateTime(text, KYIV)).toEqual({ error });
  });
});

describe('formatting', () => {
  test('RFC 3339 carries the zone offset in force at that instant', () => {
    expect(toRfc3339(new Date('2024-10-27T00:30:00Z'), KYIV)).toBe('2024-10-27T03:30:00+03:00');
    expect(toRfc3339(new Date('2024-10-27T01:30:00Z'), KYIV)).toBe('2024-10-27T03:30:00+02:00');
  });

  test('Ukrainian month names are genitive after a day number', () => {
    expect(formatInZone(new Date('2024-05-14T06:57:00Z'), KYIV, 'HH:mm d MMMM yyyy', uk)).toBe(
      '09:57 14 травня 2024',
    );
  });

  test('the machine time zone plays no part', () => {
    expect(formatInZone(new Date('2024-12-31T22:30:00Z'), KYIV, 'yyyy-MM-dd HH:mm')).toBe(
      '2025-01-01 00:30',
    );
  });
});
