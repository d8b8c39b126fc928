// Breaks outputs-import-the-contract: an output importing the list of outputs.
import { outputs } from './outputs.js';

export const count = outputs.length;
