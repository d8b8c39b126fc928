/** What `polyfeed dev` is asked: the options of startDevServer. */
import type { ReportOptions } from '../cli/report.js';

export interface DevOptions {
  port: number;
  host: string;
  drafts: boolean;
  strict: boolean;
  /** A fixed clock for embargoes; the real time of each rebuild otherwise. */
  now?: Date;
  /** Where readers' typo reports go (SQLite); a file in a temporary folder otherwise. */
  typoDatabase?: string;
  /** Where messages go (the terminal). */
  log(line: string): void;
  /** How much of each build's problems to log (`--verbose`, `--quiet`). */
  report?: ReportOptions;
  /**
   * Threads to build with (the CLI's `--threads`): the first build, which renders every
   * file, is then shared by two cores; a rebuild after an edit renders too few files to.
   */
  threads?: number;
  /**
   * A build with more files to render than this renders them when first asked for (see
   * render-later.ts); 400 unless given (tests give fewer).
   */
  renderLater?: number;
}
