/** `polyfeed ping [site-folder]`: tell the WebSub hub which feeds the last build changed. */
import { type Command, ExitCode, siteFolder, UsageError } from './command.js';
import { loadConfigOrReport } from './report.js';

export const pingCommand: Command = {
  name: 'ping',
  summary: 'notify the WebSub hub of the feeds the last build changed',
  help: `Usage: polyfeed ping [site-folder] [--hub <url>]

Posts a WebSub publish notification to the hub for each feed whose bytes changed in the
last \`polyfeed build\` of the site (nothing when none did). The hub is websub.hub in
site.yaml, or --hub. \`polyfeed build --ping\` builds and pings in one go.

Exit codes: 0 the hub accepted every notification, 1 it refused one or could not be
reached, 2 wrong usage (or no hub configured).
`,
  options: { site: { type: 'string' }, hub: { type: 'string' } },
  maxPositionals: 1,
  async run(values, positionals) {
    return pingSite(
      siteFolder(values, positionals),
      typeof values.hub === 'string' ? values.hub : undefined,
    );
  },
};

export async function pingSite(root: string, hubOption?: string): Promise<number> {
  const { ping, readChangedFeeds } = await import('../websub.js');
  let hub = hubOption;
  if (!hub) {
    const config = await loadConfigOrReport(root);
    if (!config) return ExitCode.ContentErrors;
    hub = config.websub?.hub;
  }
  if (!hub) throw new UsageError('no hub to ping: set websub.hub in site.yaml or give --hub');
  const { feeds } = await readChangedFeeds(root);
  try {
    const results = await ping(hub, feeds);
    const refused = results.filter((r) => r.status < 200 || r.status >= 300);
    for (const r of refused)
      process.stderr.write(`polyfeed: ${hub} answered ${r.status} for ${r.feed}\n`);
    process.stdout.write(
      `Pinged ${hub}: ${results.length - refused.length} of ${feeds.length} changed feeds accepted\n`,
    );
    return refused.length ? ExitCode.ContentErrors : ExitCode.Ok;
  } catch (error) {
    process.stderr.write(`polyfeed: could not reach ${hub}: ${(error as Error).message}\n`);
    return ExitCode.ContentErrors;
  }
}
