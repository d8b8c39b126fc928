#!/usr/bin/env node
// The published entry point: the CLI compiled and bundled with its dependencies in
// lib/bundle/ (by `npm run compile`, which `npm install` runs through the `prepare`
// script; see scripts/bundle.mjs).
import '../lib/bundle/polyfeed.js';
