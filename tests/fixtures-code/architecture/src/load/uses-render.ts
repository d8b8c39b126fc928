// Breaks load-before-the-others: loading reaching into rendering.
import { count } from '../render/feed.js';

export const rendered = count;
