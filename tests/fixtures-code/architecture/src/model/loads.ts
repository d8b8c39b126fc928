// Breaks model-is-data: the model importing the load stage.
import { size } from '../load/uses-engine.js';

export const model = size;
