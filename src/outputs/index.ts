/**
 * Every output format, in one list. Each takes the whole site model and returns files;
 * adding a format means one module and one line here.
 */
import type { OutputFile, Site } from '../model.js';
import type { Templates } from '../templates/environment.js';
import { atom } from './atom.js';
import { jsonFeed } from './json-feed.js';
import { opml } from './opml.js';
import { rss } from './rss.js';

export interface Output {
  /** Stable name, used in diagnostics and (later) in config. */
  name: string;
  /** Pure: no I/O, no clock. Paths are relative to the output folder. */
  render(site: Site, templates: Templates): OutputFile[];
}

export const outputs: readonly Output[] = [rss, atom, jsonFeed, opml];
