/**
 * The real binary on fixture sites: exit codes, messages, and the promise that a failed
 * build leaves the previous output exactly as it was. Needs `npm run compile` first
 * (`npm test` does it).
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { FIXTURES, listFiles, REPO } from './helpers.js';

const BIN = join(REPO, 'bin', 'polyfeed.js');
const NOW = '2025-01-01T00:00:00Z';

/** The same, without blocking this process (which may be serving something the CLI uses). */
function polyfeedAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 50_000 }, (error, _stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stderr });
    });
  });
}

function polyfeed(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The story/lang part of each item id in a JSON Feed, in feed order. */
function feedIds(path: string): string[] {
  const feed = JSON.parse(readFileSync(path, 'utf8')) as { items: { id: string }[] };
  return feed.items.map((item) => item.id.split(':').pop() ?? '');
}

let out: string;
beforeEach(() => {
  out = join(mkdtempSync(join(tmpdir(), 'polyfeed-cli-')), 'dist');
  mkdirSync(out);
  writeFileSync(join(out, 'previous.txt'), 'the last good build');
});

describe('polyfeed build', () => {
  test('writes the site and replaces the previous output whole', () => {
    const result = polyfeed(['build', join(FIXTURES, 'basic'), '--out', out, '--now', NOW]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Built 3 languages: 4 articles, \d+ pages, \d+ feeds, 0 warnings in \d+\.\d\d s → .*dist\n$/,
    );
    expect(listFiles(out)).toEqual(
      readFileSync(join(FIXTURES, 'basic', 'expected', 'files.txt'), 'utf8')
        .trim()
        .split('\n'),
    );
  });

  test('on content errors prints every problem, exits 1 and leaves the previous output untouched', () => {
    const result = polyfeed([
      'build',
      join(FIXTURES, 'script-injection'),
      '--out',
      out,
      '--now',
      NOW,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'articles/story/en.md:7:1: error: body: a link to a javascript:, vbscript: or data: URL is not allowed [body/forbidden]',
        'articles/story/en.md:9:1: error: body: <script> is not allowed in an article (it would run code or break feeds and AMP pages) [body/forbidden]',
        'articles/story/en.md:11:1: error: body: the onerror attribute of <img> is not allowed (event handlers run code) [body/forbidden]',
        'articles/story/en.md:13:1: error: body: <a href="javascript:alert(3)"> is not allowed: only http, https, mailto and tel links [body/forbidden]',
        '',
        `✖ 4 errors in 1 file; nothing was written to ${out}`,
        '',
      ].join('\n'),
    );
    expect(listFiles(out)).toEqual(['previous.txt']);
    expect(readFileSync(join(out, 'previous.txt'), 'utf8')).toBe('the last good build');
  });

  test('output does not depend on the machine time zone', () => {
    const outs = ['America/New_York', 'Asia/Tokyo'].map((zone) => {
      const folder = join(mkdtempSync(join(tmpdir(), 'polyfeed-tz-')), 'dist');
      expect(
        polyfeed(['build', join(FIXTURES, 'basic'), '--out', folder, '--now', NOW], { TZ: zone })
          .code,
      ).toBe(0);
      return folder;
    });
    const [a, b] = outs as [string, string];
    expect(listFiles(b)).toEqual(listFiles(a));
    for (const file of listFiles(a))
      expect(readFileSync(join(b, file))).toEqual(readFileSync(join(a, file)));
  });

  test('--now decides what is under embargo', () => {
    polyfeed([
      'build',
      join(FIXTURES, 'basic'),
      '--out',
      out,
      '--now',
      '2025-06-01T09:00:00+03:00',
    ]);
    expect(feedIds(join(out, 'en', 'feed.json'))).toEqual([
      'embargoed-results/en',
      'flood-warning/en',
      'museum-reopens/en',
    ]);
  });

  test('--drafts includes drafts', () => {
    polyfeed(['build', join(FIXTURES, 'basic'), '--out', out, '--now', NOW, '--drafts']);
    expect(feedIds(join(out, 'uk', 'feed.json'))).toEqual(['unfinished/uk', 'flood-warning/uk']);
  });

  test.each([
    [['build', '--now', 'tomorrow'], '--now needs an offset or Z'],
    [['build', '--colour'], "Unknown option '--colour'"],
    [['publish'], 'unknown command "publish"'],
  ])('usage error %j exits 2', (args, message) => {
    const result = polyfeed(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test('--help explains the options', () => {
    const result = polyfeed(['build', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--now <instant>');
  });
});

describe('polyfeed check', () => {
  test('prints every problem and writes nothing', () => {
    const result = polyfeed(['check', join(FIXTURES, 'impossible-date'), '--now', NOW]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((l) => l.includes(': error: '))).toHaveLength(3);
    expect(listFiles(join(FIXTURES, 'impossible-date')).some((f) => f.startsWith('dist/'))).toBe(
      false,
    );
  });

  test('passes a good site, with the summary line', () => {
    const result = polyfeed(['check', '--site', join(FIXTURES, 'basic'), '--now', NOW]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Checked 3 languages: 4 articles, \d+ pages, \d+ feeds, 0 warnings in .* s; nothing written\n$/,
    );
    expect(listFiles(join(FIXTURES, 'basic')).some((f) => f.startsWith('dist/'))).toBe(false);
  });
});

describe('polyfeed new', () => {
  test('scaffolds an article dated now in the site time zone that then builds', () => {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-new-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    const args = [
      'new',
      '2025-03-30-night-shift',
      '--site',
      site,
      '--lang',
      'uk',
      '--author',
      'Олена Коваленко',
    ];
    const result = polyfeed([...args, '--now', '2025-03-30T01:30:00Z']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const file = join(site, 'articles', '2025-03-30-night-shift', 'uk.md');
    // 01:30 UTC is 04:30 in Kyiv: clocks went forward at 03:00 that night.
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '---',
        'title: Night shift',
        'published: 2025-03-30T04:30',
        'authors: [Олена Коваленко]',
        'section: politics',
        'tags: []',
        'draft: true',
        '---',
        'Write the first paragraph here: it becomes the summary unless you add `summary:` above.',
        '',
      ].join('\n'),
    );
    const built = polyfeed(['build', site, '--out', out, '--now', NOW, '--drafts']);
    expect(built.stderr).toBe('');
    expect(feedIds(join(out, 'uk', 'feed.json'))).toContain('2025-03-30-night-shift/uk');
    expect(polyfeed([...args]).code).toBe(1); // never overwrites
  });

  test.each([
    [['new'], 'give the story id'],
    [['new', 'Bad Id', '--author', 'A'], 'is not a story id'],
    [['new', 'ok-id', '--site', join(FIXTURES, 'basic')], 'give --author'],
    [
      ['new', 'ok-id', '--site', join(FIXTURES, 'basic'), '--author', 'A', '--lang', 'fr'],
      '--lang fr is not one of',
    ],
  ])('%j is a usage error', (args, message) => {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      env: { ...process.env, POLYFEED_AUTHOR: '' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('polyfeed', () => {
  test('with no arguments: the usage, on stderr, and exit 2 (wrong usage)', () => {
    const result = polyfeed([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: polyfeed <command> [options]');
  });

  test('dev in a folder without site.yaml: one line, exit 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'polyfeed-no-site-'));
    const result = await polyfeedAsync(['dev', empty]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `polyfeed: no site.yaml in ${empty}: run polyfeed dev in a site folder, or give the folder (polyfeed dev path/to/site)\n`,
    );
  }, 60_000);

  test('dev on a port in use: one line naming the port, exit 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await polyfeedAsync(['dev', join(FIXTURES, 'basic'), '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr.split('\n').at(-2)).toBe(
        `polyfeed: port ${port} is already in use (127.0.0.1:${port}): stop the program using it, or choose another port with --port`,
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
    }
  }, 60_000);

  test('--version and --help', () => {
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version as string;
    expect(polyfeed(['--version']).stdout).toBe(`polyfeed ${version}\n`);
    const help = polyfeed(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['build', 'dev', 'check', 'new', 'i18n-check', 'schemas'])
      expect(help.stdout).toContain(`  ${command} `);
    for (const command of ['dev', 'check', 'new', 'i18n-check', 'schemas'])
      expect(polyfeed([command, '--help']).stdout).toContain(`polyfeed ${command}`);
  });
});
