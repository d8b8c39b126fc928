/**
 * `polyfeed partners [site-folder]`: the partner preview (preview/), written as HTML pages
 * into `<site>/.polyfeed-partners/` or `--out`. It loads the site as a build does, writes
 * nothing else, and says where to look. Not into dist/: a rebuild after an edit updates
 * dist/ in place and removes only what the last build wrote, so a report there would stay
 * and be deployed with the site.
 */
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { hasErrors, summarizeDiagnostics } from '../diagnostics.js';
import { buildOptions, SITE_HELP, SITE_OPTIONS } from './build-command.js';
import { type Command, ExitCode, siteFolder } from './command.js';
import { printDiagnostics } from './report.js';

/** The report's default folder in the site folder: beside dist/, never in it. */
const PARTNERS_FOLDER = '.polyfeed-partners';

export const partnersCommand: Command = {
  name: 'partners',
  summary: 'preview what each partner will show: cards and every reason to drop an item',
  help: `Usage: polyfeed partners [site-folder] [options]

Writes an HTML report of the partner feeds (partners: in site.yaml): for each profile and
language, every item as the partner's card shows it (title and description cut at its
limits, photo cropped to its shape; see partners[].card), and every reason the partner
would drop an item or the whole feed. Open index.html in a browser.

Options:
${SITE_HELP}
  --out <folder>    where to write the report, replaced whole (default:
                    <site-folder>/.polyfeed-partners; keep it out of the output
                    folder, or it is deployed with the site)
  -h, --help        show this help

Exit codes: 0 written, 1 the sources have errors (nothing written), 2 wrong usage.
`,
  options: { ...SITE_OPTIONS, out: { type: 'string' } },
  maxPositionals: 1,
  async run(values, positionals) {
    const root = siteFolder(values, positionals);
    const out = resolve(typeof values.out === 'string' ? values.out : join(root, PARTNERS_FOLDER));
    const { loadSite } = await import('../load/load-site.js');
    const { previewPartners } = await import('../preview/partner-preview.js');
    const { renderPreview } = await import('../preview/render-preview.js');
    const { writeOutput } = await import('../write/write-output.js');
    const diagnostics: Diagnostic[] = [];
    // One thread: the preview needs the model only, not the worker that renders feeds.
    const loaded = await loadSite(root, buildOptions(values), diagnostics);
    printDiagnostics(diagnostics);
    if (!loaded || hasErrors(diagnostics)) {
      process.stderr.write(`\n✖ ${summarizeDiagnostics(diagnostics)}; nothing was written\n`);
      return ExitCode.ContentErrors;
    }
    const feeds = previewPartners(loaded.site);
    const { files, assets } = renderPreview(loaded.site, feeds);
    await writeOutput(out, files, assets);
    const cards = feeds.reduce((n, f) => n + f.cards.length, 0);
    const dropped = feeds.reduce((n, f) => n + f.cards.filter((c) => c.problems.length).length, 0);
    const rejected = feeds.filter((f) => f.problems.length).length;
    process.stdout.write(
      `Partner preview: ${feeds.length} feeds, ${cards} cards, ${dropped} would be dropped, ${rejected} feeds would be rejected → ${join(out, 'index.html')}\n`,
    );
    return ExitCode.Ok;
  },
};
