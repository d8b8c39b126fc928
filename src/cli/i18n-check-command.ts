/** `polyfeed i18n-check [site-folder]`: locale coverage and the story × language table. */
import { resolve } from 'node:path';
import { type Command, ExitCode } from './command.js';

export const i18nCheckCommand: Command = {
  name: 'i18n-check',
  summary:
    'list missing, extra and empty UI strings per language, and which stories exist in which languages',
  help: `Usage: polyfeed i18n-check [site-folder]

Compares every language's locale files with the default language's and lists keys that
are missing (including plural forms the language needs), not used by the default
language, or empty; then a table of which stories exist in which languages.

Exit codes: 0 every locale is complete, 1 some key is missing, extra or empty, 2 wrong usage.
`,
  options: {},
  maxPositionals: 1,
  async run(_values, positionals) {
    const { checkI18n } = await import('../i18n/check-i18n.js');
    const report = await checkI18n(resolve(positionals[0] ?? '.'));
    process.stdout.write(report.text);
    return report.clean ? ExitCode.Ok : ExitCode.ContentErrors;
  },
};
