#!/usr/bin/env node
// The published entry point: the compiled CLI lives in lib/ (built by `npm run compile`,
// which `npm install` runs through the `prepare` script).
import '../lib/cli/index.js';
