/**
 * Every output format, in one list. Each takes the whole site model and returns files;
 * adding a format means one module and one line here.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { OutputFile, Site } from '../model.js';
import type { Templates } from '../templates/environment.js';
import { ampPages } from './amp-pages.js';
import { atom } from './atom.js';
import { indexPages } from './index-pages.js';
import { jsonFeed } from './json-feed.js';
import { opml } from './opml.js';
import { rss } from './rss.js';

export interface RenderContext {
  templates: Templates;
  /** Problems an output finds in the sources (a stylesheet too large for AMP, say). */
  diagnostics: Diagnostic[];
}

export interface Output {
  /** Stable name, used in diagnostics and (later) in config. */
  name: string;
  /** Pure: no I/O, no clock. Paths are relative to the output folder. */
  render(site: Site, context: RenderContext): OutputFile[];
}

export const outputs: readonly Output[] = [rss, atom, jsonFeed, opml, ampPages, indexPages];
