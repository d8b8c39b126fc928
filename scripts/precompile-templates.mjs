// Part of `npm run compile`: Polyfeed's own templates compiled once, when the package is,
// instead of in every build (see PRECOMPILED_FILE in src/render/environment.ts).
import { writePrecompiledTemplates } from '../lib/render/environment.js';

writePrecompiledTemplates();
