/**
 * WebSub end to end: feeds advertise the hub, and `polyfeed ping` (or `build --ping`)
 * posts exactly the feeds whose bytes changed in the last build to a small hub that this
 * test runs on the loopback interface.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIXTURES, listFiles, REPO } from './helpers.js';

const run = promisify(execFile);
const received: string[][] = [];
let hub: string;
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    const form = new URLSearchParams(body);
    received.at(-1)?.push(`${form.get('hub.mode')} ${form.get('hub.url')}`);
    response.writeHead(204).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const NOW = ['--now', '2025-01-01T00:00:00Z'];

/** Runs the CLI without blocking this process, whose hub must answer meanwhile. */
async function polyfeed(...args: string[]): Promise<string> {
  received.push([]);
  const { stdout } = await run(process.execPath, [join(REPO, 'bin', 'polyfeed.js'), ...args]);
  return stdout;
}

function feedFiles(out: string): Map<string, Buffer> {
  return new Map(
    listFiles(out)
      .filter((f) => /(rss\.xml|atom\.xml|feed\.json)$/.test(f))
      .map((f) => [f, readFileSync(join(out, f))]),
  );
}

test('the hub is advertised, and told exactly which feeds changed', async () => {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-websub-'));
  cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
  writeFileSync(
    join(site, 'site.yaml'),
    `${readFileSync(join(site, 'site.yaml'), 'utf8')}websub:\n  hub: ${hub}\n`,
  );
  const out = join(site, 'dist');

  expect(await polyfeed('build', site, '--ping', ...NOW)).toMatch(
    /Pinged .*: 39 of 39 changed feeds accepted/,
  );
  const first = feedFiles(out);
  expect(received.at(-1)).toEqual(
    [...first.keys()].map((f) => `publish https://news.example.org/${f}`).sort(),
  );
  expect(
    parseRssFeed(String(first.get('en/rss.xml'))).atom?.links?.find((l) => l.rel === 'hub')?.href,
  ).toBe(hub);
  expect(
    parseAtomFeed(String(first.get('en/atom.xml'))).links?.find((l) => l.rel === 'hub')?.href,
  ).toBe(hub);
  expect(JSON.parse(String(first.get('en/feed.json'))).hubs).toEqual([
    { type: 'WebSub', url: hub },
  ]);

  const article = join(site, 'articles', 'museum-reopens', 'en.md');
  writeFileSync(
    article,
    readFileSync(article, 'utf8').replace(
      'two years of repairs.',
      'two years of repairs and a new roof.',
    ),
  );
  await polyfeed('build', site, ...NOW);
  const second = feedFiles(out);
  const changed = [...second.keys()].filter(
    (f) => !second.get(f)?.equals(first.get(f) ?? Buffer.alloc(0)),
  );
  expect(changed.length).toBeGreaterThan(0);
  expect(changed.length).toBeLessThan(second.size);
  expect(await polyfeed('ping', site)).toMatch(
    new RegExp(`Pinged .*: ${changed.length} of ${changed.length} changed feeds accepted`),
  );
  expect(received.at(-1)).toEqual(
    changed.map((f) => `publish https://news.example.org/${f}`).sort(),
  );

  await polyfeed('build', site, '--ping', ...NOW);
  expect(received.at(-1)).toEqual([]);
}, 60_000);

test('partner feeds, wherever their profiles put them, are pinged like the others', async () => {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-websub-partners-'));
  cpSync(join(FIXTURES, 'partners'), site, { recursive: true });
  writeFileSync(
    join(site, 'site.yaml'),
    `${readFileSync(join(site, 'site.yaml'), 'utf8')}websub:\n  hub: ${hub}\n`,
  );
  await polyfeed('build', site, '--ping', ...NOW);
  const pinged = received.at(-1) ?? [];
  for (const feed of [
    'partners/picky/en.xml',
    'partners/atom-summaries/en.xml',
    'syndication/culture-json-en.json',
  ])
    expect(pinged).toContain(`publish https://news.example.org/${feed}`);
  // Sitemaps and the OPML list are not feeds.
  expect(pinged.some((p) => /sitemap|opml/.test(p))).toBe(false);
}, 60_000);
