#!/usr/bin/env node
// Runs the official AMP validator over every page in dist/ (or the folder given).
// The validator's engine is downloaded from the AMP CDN when it starts, so this needs the
// network; without it, this says so and exits 3 rather than pretending pages passed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import amphtmlValidator from 'amphtml-validator';

const folder = process.argv[2] ?? 'dist';
const pages = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.html')) pages.push(path);
  }
};
walk(folder);

let validator;
try {
  validator = await amphtmlValidator.getInstance();
} catch (error) {
  console.error(`The official AMP validator could not be downloaded (${error.message}).`);
  console.error(
    `It needs https://cdn.ampproject.org; nothing was validated. ${pages.length} pages are waiting in ${folder}/.`,
  );
  console.error(
    'Offline, `npm test` checks the AMP rules our pages can break (tests/amp.test.ts).',
  );
  process.exit(3);
}
let failed = 0;
for (const page of pages) {
  const result = validator.validateString(readFileSync(page, 'utf8'));
  if (result.status === 'PASS') continue;
  failed++;
  for (const e of result.errors) {
    console.error(
      `${relative('.', page)}:${e.line}:${e.col}: ${e.severity.toLowerCase()}: ${e.message}${e.specUrl ? ` (${e.specUrl})` : ''}`,
    );
  }
}
console.log(`${pages.length - failed} of ${pages.length} pages pass the AMP validator.`);
process.exit(failed ? 1 : 0);
