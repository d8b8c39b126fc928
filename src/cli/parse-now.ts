import { UsageError } from './command.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `--now`: an instant, so it needs an offset (the site's zone is not known yet). Parsed
 * here without the date library, so that a no-change build loads as little as it can.
 */
export function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    throw new UsageError(
      `--now needs an offset or Z, e.g. 2024-05-14T12:00:00+03:00 (got "${text}")`,
    );
  }
  const date = new Date(text);
  if (!INSTANT.test(text) || Number.isNaN(date.getTime()))
    throw new UsageError(`--now must be an ISO 8601 instant (got "${text}")`);
  return date;
}
