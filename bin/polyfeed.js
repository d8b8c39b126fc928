#!/usr/bin/env node
// The published entry point: the CLI compiled and bundled with its dependencies in
// lib/bundle/ (by `npm run compile`, which `npm install` runs through the `prepare`
// script; see scripts/bundle.mjs). Should tsc alone have compiled lib/ since (an editor's
// `tsc --watch`), the bundle is older than that: the modules tsc wrote are run instead.
import { statSync } from 'node:fs';

const lib = new URL('../lib/', import.meta.url);
const modified = (path) => statSync(new URL(path, lib), { throwIfNoEntry: false })?.mtimeMs;
const bundled = modified('bundle/polyfeed.js');
const compiled = modified('.tsbuildinfo');
const current = bundled !== undefined && (compiled === undefined || bundled >= compiled);
await import(current ? '../lib/bundle/polyfeed.js' : '../lib/cli/index.js');
