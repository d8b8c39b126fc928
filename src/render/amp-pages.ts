/**
 * The AMP article pages, beside the canonical ones (see article-page.ts); the config can
 * turn them off (`pages.amp`).
 */
import { articlePages } from './article-page.js';

export const ampPages = articlePages('amp');
