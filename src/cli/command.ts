import { resolve } from 'node:path';
/** What every `polyfeed` subcommand is: its options, its help, and what it runs. */
import type { ParseArgsConfig } from 'node:util';

export const ExitCode = {
  /** Done. */
  Ok: 0,
  /** The site's sources have problems (nothing was written). */
  ContentErrors: 1,
  /** Something the command needs is not available: a port in use, a database unreachable. */
  Unavailable: 1,
  /** Wrong usage: an unknown command or option, a bad value, no site where one is needed. */
  Usage: 2,
} as const;

export class UsageError extends Error {
  /** `helpHint`: follow the message with "Try 'polyfeed <command> --help'". */
  constructor(
    message: string,
    readonly helpHint = true,
  ) {
    super(message);
  }
}

export interface Command {
  name: string;
  /** One line for `polyfeed --help`. */
  summary: string;
  /** The whole `polyfeed <name> --help` text. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Most positional arguments accepted (the site folder, usually). */
  maxPositionals: number;
  run(
    values: Record<string, string | boolean | string[] | undefined>,
    positionals: string[],
  ): Promise<number>;
}

/** The site folder: the argument or `--site`, never both; `.` by default. */
export function siteFolder(values: Record<string, unknown>, positionals: string[]): string {
  if (typeof values.site === 'string' && positionals[0])
    throw new UsageError('give the site folder once: as the argument or as --site');
  return resolve(typeof values.site === 'string' ? values.site : (positionals[0] ?? '.'));
}
