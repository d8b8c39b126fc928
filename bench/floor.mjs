#!/usr/bin/env node
// node bench/floor.mjs <site> <built-output>
//
// What a cold build of <site> costs before any of Polyfeed's own code runs: the libraries
// and system calls every build of it must go through, timed one stage at a time in one
// thread, as a cold build meets them (each module loaded and each function run for the
// first time here). The stages:
//   read      list every story folder and read its Markdown files;
//   yaml      parse each front matter with `yaml`, positions kept, as error messages need;
//   markdown  render each body with markdown-it (same options and plugin as Polyfeed);
//   write     write the bytes of <built-output> (a build of the same site) into a new
//             folder next to it: one mkdir per folder, one writeFileSync per file.
// Templates (nunjucks), feeds (`feed`), UI strings (i18next), dates (date-fns-tz), the
// sanitizer and every check are left out, so a build cannot take less than this. Prints
// one JSON line: milliseconds per stage and their total. bench/vs-hugo.mjs --floor runs it
// beside Hugo on the same corpus.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [site, built] = process.argv.slice(2);
if (!site || !built) {
  console.error('usage: node bench/floor.mjs <site> <built-output>');
  process.exit(2);
}
const times = {};
const timed = (stage, run) => {
  const started = performance.now();
  const result = run();
  times[stage] = Math.round(performance.now() - started);
  return result;
};

const articles = join(site, 'articles');
const texts = timed('read', () =>
  readdirSync(articles).flatMap((story) =>
    readdirSync(join(articles, story))
      .filter((name) => name.endsWith('.md'))
      .map((name) => readFileSync(join(articles, story, name), 'utf8')),
  ),
);
const parts = texts.map((text) => {
  const end = text.indexOf('\n---\n', 4);
  return { frontMatter: text.slice(4, end + 1), body: text.slice(end + 5) };
});

const { LineCounter, parseDocument } = await import('yaml');
timed('yaml', () => {
  for (const { frontMatter } of parts) {
    const doc = parseDocument(frontMatter, {
      lineCounter: new LineCounter(),
      prettyErrors: false,
      uniqueKeys: true,
    });
    if (doc.errors.length) throw doc.errors[0];
    doc.toJS();
  }
});

const { default: MarkdownIt } = await import('markdown-it');
const { default: container } = await import('markdown-it-container');
timed('markdown', () => {
  const md = new MarkdownIt({ html: true, xhtmlOut: true, linkify: false, typographer: false });
  md.use(container, 'reference');
  for (const { body } of parts) md.render(body);
});

// The output's bytes are read first, untimed: a build has them in memory.
const files = [];
const collect = (folder, relative) => {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) collect(path, join(relative, entry.name));
    else files.push({ path: join(relative, entry.name), bytes: readFileSync(path) });
  }
};
collect(built, '');
const target = `${built}-floor`;
rmSync(target, { recursive: true, force: true });
timed('write', () => {
  const made = new Set();
  const makeFolder = (folder) => {
    if (made.has(folder)) return;
    if (folder !== target) makeFolder(dirname(folder));
    mkdirSync(folder);
    made.add(folder);
  };
  for (const { path, bytes } of files) {
    const full = join(target, path);
    makeFolder(dirname(full));
    writeFileSync(full, bytes);
  }
});
const written = files.reduce((sum, file) => sum + file.bytes.length, 0);
rmSync(target, { recursive: true, force: true });

const total = Object.values(times).reduce((sum, ms) => sum + ms, 0);
console.log(
  JSON.stringify({ ...times, total, articles: texts.length, files: files.length, bytes: written }),
);
