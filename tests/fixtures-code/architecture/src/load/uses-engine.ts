// Breaks stages-without-machinery: a stage reaching into the engine.
import { cache } from '../engine/cache.js';

export const size = cache.size;
