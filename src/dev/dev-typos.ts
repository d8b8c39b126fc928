/**
 * Typo reports under `polyfeed dev`: the pages it serves post to the dev server itself,
 * which answers with the typo service's own request handling (src/typo/server.ts) and
 * stores the reports in SQLite: a file in a temporary folder of its own, removed on stop,
 * or one the user names (`--typo-db`), which `polyfeed typos list --database` reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SiteConfig } from '../config/schema.js';
import { serverOptions } from '../typo/from-config.js';
import { typoRequestHandler } from '../typo/server.js';
import { openStore, type TypoStore } from '../typo/store.js';
import { removedOnExit } from '../write/remove-on-exit.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export class DevTypoReports {
  /** Handlers by the origin the pages were served at and the config they were built with. */
  private readonly handlers = new Map<string, Handler>();

  private constructor(
    /** Where reports go: an SQLite file (or what `--typo-db` named). */
    readonly database: string,
    private readonly store: TypoStore,
    /** The temporary folder holding `database`, when the user named none. */
    private readonly temporary?: { folder: string; keep(): void },
  ) {}

  static async open(database?: string): Promise<DevTypoReports> {
    if (database) return new DevTypoReports(database, await openStore(database));
    const temporary = removedOnExit(() => mkdtempSync(join(tmpdir(), 'polyfeed-dev-typos-')));
    const file = join(temporary.folder, 'reports.sqlite');
    try {
      return new DevTypoReports(file, await openStore(file), temporary);
    } catch (error) {
      rmSync(temporary.folder, { recursive: true, force: true });
      temporary.keep();
      throw error;
    }
  }

  /**
   * Answers a request at the endpoint's path. `origin` is the dev server's as the browser
   * reached it (`http://127.0.0.1:4000`): the pages served there are the site's pages.
   */
  handle(
    request: IncomingMessage,
    response: ServerResponse,
    config: SiteConfig,
    origin: string,
  ): Promise<void> {
    const typo = config.typoReport;
    if (!typo) throw new Error('the site has no typoReport');
    const key = JSON.stringify([origin, typo, config.languages]);
    let handler = this.handlers.get(key);
    if (!handler) {
      handler = typoRequestHandler({
        ...serverOptions(config, typo, this.store),
        siteOrigins: [origin],
        allowedOrigins: [origin],
      });
      this.handlers.set(key, handler);
    }
    return handler(request, response);
  }

  async close(): Promise<void> {
    await this.store.close();
    if (!this.temporary) return;
    rmSync(this.temporary.folder, { recursive: true, force: true });
    this.temporary.keep();
  }
}
