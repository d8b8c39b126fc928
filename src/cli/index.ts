/**
 * `polyfeed <command>`: argv in, exit code out. Commands live in their own modules; none
 * holds logic that a test of the library functions cannot reach.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OperationalError } from '../operational-error.js';
import { PACKAGE_ROOT } from '../paths.js';
import { buildCommand } from './build-command.js';
import { checkCommand } from './check-command.js';
import { type Command, ExitCode, UsageError } from './command.js';
import { devCommand } from './dev-command.js';
import { i18nCheckCommand } from './i18n-check-command.js';
import { newCommand } from './new-command.js';
import { partnersCommand } from './partners-command.js';
import { pingCommand } from './ping-command.js';
import { republicationsCommand } from './republications-command.js';
import { schemasCommand } from './schemas-command.js';
import { typoServerCommand, typosCommand } from './typo-commands.js';

const commands: readonly Command[] = [
  buildCommand,
  devCommand,
  checkCommand,
  newCommand,
  i18nCheckCommand,
  pingCommand,
  partnersCommand,
  schemasCommand,
  typoServerCommand,
  typosCommand,
  republicationsCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: polyfeed <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'polyfeed <command> --help' for a command's options.",
    '',
    'Exit codes: 0 ok, 1 the sources have problems (or a port, a database… is unavailable),',
    '2 wrong usage.',
    '',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(usage());
    return ExitCode.Usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return ExitCode.Ok;
  }
  if (name === '--version' || name === '-v') {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    process.stdout.write(`polyfeed ${pkg.version}\n`);
    return ExitCode.Ok;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command)
      throw new UsageError(
        `unknown command "${name}" (commands: ${commands.map((c) => c.name).join(', ')})`,
      );
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      process.stdout.write(command.help);
      return ExitCode.Ok;
    }
    if (positionals.length > command.maxPositionals)
      throw new UsageError(`too many arguments: ${positionals.join(' ')}`);
    return await command.run(
      values as Record<string, string | boolean | string[] | undefined>,
      positionals,
    );
  } catch (error) {
    if (error instanceof OperationalError) {
      process.stderr.write(`polyfeed: ${process.env.DEBUG ? error.stack : error.message}\n`);
      return ExitCode.Unavailable;
    }
    if (
      !(error instanceof UsageError) &&
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') !== true
    )
      throw error;
    const hint = !(error instanceof UsageError) || error.helpHint;
    process.stderr.write(
      `polyfeed: ${(error as Error).message}\n${hint ? `Try 'polyfeed ${command?.name ?? ''} --help'.\n` : ''}`.replace(
        '  --help',
        ' --help',
      ),
    );
    return ExitCode.Usage;
  }
}

process.exitCode = await main(process.argv.slice(2));
