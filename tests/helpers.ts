import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildResult, build } from '../src/build.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const REPO = fileURLToPath(new URL('../', import.meta.url));

/** The clock every fixture build uses, so embargoes resolve the same on every run. */
export const NOW = new Date('2025-01-01T00:00:00Z');

export function buildFixture(
  name: string,
  options: { drafts?: boolean; strict?: boolean } = {},
): Promise<BuildResult> {
  return build(join(FIXTURES, name), { now: NOW, drafts: false, strict: false, ...options });
}

/** Every file under `folder`, relative to it, with '/' separators, sorted. */
export function listFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(folder, full).split('\\').join('/'));
    }
  };
  walk(folder);
  return out.sort();
}

/** Every empty folder under `folder`, relative to it, sorted (a clean build leaves none). */
export function emptyFolders(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    const names = readdirSync(dir);
    if (!names.length) out.push(relative(folder, dir).split('\\').join('/'));
    for (const name of names) if (statSync(join(dir, name)).isDirectory()) walk(join(dir, name));
  };
  walk(folder);
  return out.sort();
}

/**
 * A generated site: `stories` stories of the benchmark corpus (bench/gen-corpus.mjs), with
 * the benchmark's site.yaml (as `config` edits it) and locales.
 */
export function benchSite(
  stories: number,
  { langs = 'en,uk,de,ar', config = (yaml: string) => yaml } = {},
): string {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-bench-site-'));
  execFileSync(process.execPath, [
    join(REPO, 'bench', 'gen-corpus.mjs'),
    ...['--stories', String(stories), '--langs', langs, '--out', site, '--format', 'ours'],
  ]);
  cpSync(join(REPO, 'bench', 'site'), site, { recursive: true });
  const file = join(site, 'site.yaml');
  writeFileSync(file, config(readFileSync(file, 'utf8')));
  return site;
}

/** A copy of the basic fixture, to edit and build. */
export function basicSite(): string {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-basic-'));
  cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
  return site;
}

/**
 * A generated site of 40 stories in en, uk and de with small feeds and pages, so that its
 * listings have archives, several pages and several articles per tag.
 */
export function listingsSite(): string {
  return benchSite(40, {
    langs: 'en,uk,de',
    config: (yaml) =>
      yaml
        .replace(/\n {2}- code: ar\n {4}name: [^\n]+\n {4}dir: rtl/, '')
        .replace('feeds:\n  items: 50', 'feeds:\n  items: 5\n  sectionItems: 4\n  tagItems: 3')
        .concat('pages:\n  perPage: 4\n'),
  });
}

/**
 * Polyfeed's footer partial with a syntax error at the end of its third line (`{% if %}`),
 * and the error line a build prints for it.
 */
export function brokenFooter(): { text: string; error: string } {
  const lines = readFileSync(join(REPO, 'templates', 'partials', 'footer.njk'), 'utf8').split('\n');
  const third = `${lines[2] ?? ''}{% if %}`;
  lines[2] = third;
  return {
    text: lines.join('\n'),
    // nunjucks points at the `%}` it did not expect.
    error: `templates/partials/footer.njk:3:${third.length - 1}: error: unexpected token: %} [template/syntax]`,
  };
}
