/**
 * The real binary on fixture sites: exit codes, messages, and the promise that a failed
 * build leaves the previous output exactly as it was. Needs `npm run compile` first
 * (`npm test` does it).
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { benchSite, brokenFooter, FIXTURES, listFiles, REPO } from './helpers.js';

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
  test('after compiling again with nothing changed, `npm run build` finds the site up to date', () => {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-compiled-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    const build = () => polyfeed(['build', site, '--out', out, '--now', NOW]).stdout;
    expect(build()).toMatch(/^Built 3 languages/);
    // What `npm run compile` runs after tsc (which writes nothing when nothing changed):
    // files written again would change the stamp of Polyfeed's own files.
    for (const script of ['precompile-templates.mjs', 'bundle.mjs']) {
      const run = spawnSync(process.execPath, [join(REPO, 'scripts', script)], {
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
    expect(build()).toBe(`Up to date: nothing changed since the last build of ${out}\n`);
  }, 60_000);

  test('writes the site and replaces the previous output whole', () => {
    const result = polyfeed(['build', join(FIXTURES, 'basic'), '--out', out, '--now', NOW]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Built 3 languages: 4 articles, \d+ pages, \d+ feeds, 0 warnings in \d+\.\d\d s → .*dist\n$/,
    );
    // The golden files, and the manifest of published URLs the next build reads.
    expect(listFiles(out)).toEqual(
      [
        ...readFileSync(join(FIXTURES, 'basic', 'expected', 'files.txt'), 'utf8')
          .trim()
          .split('\n'),
        'published-urls.json',
      ].sort(),
    );
  });

  test('the previous output is moved aside and removed in the background; the next build finishes what is left', async () => {
    const parent = dirname(out);
    const aside = () =>
      readdirSync(parent).filter(
        (name) => /^\.dist-old-[0-9a-f]{12}$/.test(name) || name === killed || name === unnamedOld,
      );
    // A removal cut short by an earlier build: the next one finishes it.
    mkdirSync(join(parent, '.dist-old-c0ffee15a11e', 'en'), { recursive: true });
    writeFileSync(join(parent, '.dist-old-c0ffee15a11e', 'en', 'index.html'), 'old');
    // Not ours: the new folder of a build of an output called dist-old.
    const other = '.dist-old-new-1-0123456789ab';
    mkdirSync(join(parent, other));
    // New folders of builds: one killed an hour ago goes; one whose process runs, or
    // whose process was seen last a minute ago, stays (a process id may be another
    // machine's where a file system is shared).
    // A process id no process has: above any system's largest.
    const gone = 999_999_999;
    const killed = `.dist-new-${gone}-0123456789ab`;
    const recent = `.dist-new-${gone}-ba9876543210`;
    const running = `.dist-new-${process.pid}-0123456789ab`;
    // Named by an earlier version, without a process id: two days old goes, an hour stays.
    const unnamedOld = '.dist-new-00112233aabb';
    const unnamedRecent = '.dist-new-44556677ccdd';
    for (const name of [killed, recent, running, unnamedOld, unnamedRecent]) {
      mkdirSync(join(parent, name, 'en'), { recursive: true });
      const age = name === recent ? 60_000 : name === unnamedOld ? 48 * 3600_000 : 2 * 3600_000;
      const then = new Date(Date.now() - age);
      utimesSync(join(parent, name), then, then);
    }
    const result = polyfeed(['build', join(FIXTURES, 'basic'), '--out', out, '--now', NOW]);
    expect(result.code).toBe(0);
    // The new output is in place as soon as the command returns.
    expect(existsSync(join(out, 'previous.txt'))).toBe(false);
    expect(existsSync(join(out, 'en', 'index.html'))).toBe(true);
    const deadline = Date.now() + 20_000;
    while (aside().length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(aside()).toEqual([]);
    expect(readdirSync(parent).sort()).toEqual(
      [running, recent, unnamedRecent, other, 'dist'].sort(),
    );
  });

  test('the output folder is readable by a web server, as a folder made with mkdir is', () => {
    // Under umask 022, as most servers have: drwxr-xr-x, not a temporary folder's drwx------.
    const built = spawnSync(
      'sh',
      [
        '-c',
        'umask 022 && exec "$0" "$@"',
        process.execPath,
        BIN,
        'build',
        join(FIXTURES, 'basic'),
        '--out',
        out,
        '--now',
        NOW,
      ],
      { encoding: 'utf8' },
    );
    expect(built.status).toBe(0);
    expect((statSync(out).mode & 0o777).toString(8)).toBe('755');
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

  test('stopped by a signal while writing, it leaves no half-written folder behind', async () => {
    const site = benchSite(300, { langs: 'en,uk' });
    const staging = () => readdirSync(site).filter((name) => name.startsWith('.dist-new-'));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const running = spawn(process.execPath, [BIN, 'build', site, '--no-cache', '--now', NOW], {
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => running.once('exit', (_code, by) => resolve(by)));
      // Stopped as soon as the new folder is there: long before the build ends.
      const deadline = Date.now() + 20_000;
      while (!staging().length && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      expect(staging(), signal).toHaveLength(1);
      running.kill(signal);
      // Stopped by the signal, as before: the exit status says so.
      expect(await exited).toBe(signal);
      expect(staging(), signal).toEqual([]);
      expect(readdirSync(site)).not.toContain('dist');
    }
  }, 90_000);

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

  test('a template syntax error is a located error from check and build, never a crash', () => {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-cli-template-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    mkdirSync(join(site, 'templates', 'partials'), { recursive: true });
    const { text, error } = brokenFooter();
    writeFileSync(join(site, 'templates', 'partials', 'footer.njk'), text);
    mkdirSync(join(site, 'dist'));
    writeFileSync(join(site, 'dist', 'previous.txt'), 'the last good build');

    const checked = polyfeed(['check', site, '--now', NOW]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toBe(`${error}\n\n✖ 1 error in 1 file\n`);

    const built = polyfeed(['build', site, '--now', NOW]);
    expect(built.code).toBe(1);
    expect(built.stderr).toBe(
      `${error}\n\n✖ 1 error in 1 file; nothing was written to ${join(site, 'dist')}\n`,
    );
    expect(listFiles(join(site, 'dist'))).toEqual(['previous.txt']);
    // No half-written output folder is left beside it.
    expect(readdirSync(site).filter((name) => name.startsWith('.dist'))).toEqual([]);
  });

  test('a template that links to nowhere, or to itself: one located line each, not a stack trace', () => {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-cli-link-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    mkdirSync(join(site, 'templates', 'partials'), { recursive: true });
    // Named as Polyfeed's own partials, which would be taken instead without a word.
    symlinkSync('../../shared/footer.njk', join(site, 'templates', 'partials', 'footer.njk'));
    symlinkSync('header.njk', join(site, 'templates', 'partials', 'header.njk'));
    for (const command of ['build', 'check']) {
      const run = polyfeed([command, site, '--now', NOW]);
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n').slice(0, 2)).toEqual([
        'templates/partials/footer.njk: error: is a link to ../../shared/footer.njk, which leads to no file [template/link]',
        'templates/partials/header.njk: error: is a link to header.njk, which leads to no file [template/link]',
      ]);
    }
    expect(existsSync(join(site, 'dist'))).toBe(false);
  });

  test('passes a good site, with the summary line', () => {
    const result = polyfeed(['check', '--site', join(FIXTURES, 'basic'), '--now', NOW]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Checked 3 languages: 4 articles, \d+ pages, \d+ feeds, 0 warnings in .* s; nothing written\n$/,
    );
    expect(listFiles(join(FIXTURES, 'basic')).some((f) => f.startsWith('dist/'))).toBe(false);
  });

  test('says, as build does, when dist/ holds a list of published URLs it cannot read', () => {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-cli-urls-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    mkdirSync(join(site, 'dist'));
    writeFileSync(join(site, 'dist', 'published-urls.json'), '{"not": "a manifest"}');
    const warning = `polyfeed: warning: ${join(site, 'dist', 'published-urls.json')} is not a list of published URLs`;
    const checked = polyfeed(['check', site, '--now', NOW]);
    expect(checked.code).toBe(0);
    expect(checked.stderr).toContain(warning);
    expect(polyfeed(['build', site, '--now', NOW]).stderr).toContain(warning);
    rmSync(site, { recursive: true, force: true });
  });
});

describe('how much build, check and dev print', () => {
  /** The basic site with a partner that finds every title too short: one warning per article. */
  function siteWithAlikeWarnings(): string {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-alike-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    const config = join(site, 'site.yaml');
    writeFileSync(
      config,
      `${readFileSync(config, 'utf8')}partners:\n  - id: long-titles\n    name: Long Titles\n    requirements: { titleLength: { min: 200 } }\n`,
    );
    return site;
  }
  const alike =
    /^articles\/flood-warning\/ar\.md: warning: title: the title has \d+ characters; Long Titles takes 200–∞, so Long Titles will reject it \(partner "long-titles"\) \[partner\/title-length\] \(and 3 more like it, in articles\/flood-warning\/en\.md, articles\/flood-warning\/uk\.md, articles\/museum-reopens\/en\.md; --verbose lists each\)\n$/;

  test('warnings of one kind are one line; --verbose prints each; --quiet none', () => {
    const site = siteWithAlikeWarnings();
    const built = polyfeed(['build', site, '--out', out, '--now', NOW, '--no-cache']);
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(alike);
    expect(built.stdout).toContain(', 4 warnings in ');
    const verbose = polyfeed([
      'build',
      site,
      '--out',
      out,
      '--now',
      NOW,
      '--verbose',
      '--no-cache',
    ]);
    expect(verbose.stderr.trim().split('\n')).toHaveLength(4);
    const quiet = polyfeed(['build', site, '--out', out, '--now', NOW, '--quiet', '--no-cache']);
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(polyfeed(['check', site, '--now', NOW]).stderr).toMatch(alike);
    expect(polyfeed(['check', site, '--now', NOW, '--quiet'])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(polyfeed(['build', site, '--quiet', '--verbose']).code).toBe(2);
  });

  test('polyfeed dev logs them the same way', async () => {
    const site = siteWithAlikeWarnings();
    const run = async (extra: string[]) => {
      const child = spawn(process.execPath, [
        BIN,
        'dev',
        site,
        '--port',
        '0',
        '--now',
        NOW,
        ...extra,
      ]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      try {
        // It serves once the first build is done, and that build's messages are printed.
        const deadline = Date.now() + 15_000;
        while (!stdout.includes('Serving') && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 50));
        expect(stdout).toContain('Serving');
        return stderr;
      } finally {
        child.kill('SIGTERM');
      }
    };
    const grouped = await run([]);
    expect(grouped.split('\n')[0]).toMatch(/\(and 4 more like it, in .*; --verbose lists each\)$/); // drafts too
    expect(grouped).toMatch(/\nRebuilt \d+ files/);
    expect(await run(['--quiet'])).toBe('');
  });

  test('--quiet still prints errors and the summary line', () => {
    const result = polyfeed(['check', join(FIXTURES, 'impossible-date'), '--now', NOW, '--quiet']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/: error: [\s\S]*\n\n✖ 3 errors/);
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
        "# The article's URL: change it before publishing if you like, never after",
        'slug: night-shift',
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

  test('a new language version keeps the story’s section, dates and photo', () => {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-new-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    rmSync(join(site, 'articles', 'flood-warning', 'uk.md'));
    const story = (lang: string) => ['new', 'flood-warning', '--site', site, '--lang', lang];
    // Written now, a day after its story: the dates are the story's, not now.
    const result = polyfeed([...story('uk'), '--author', 'Олена Коваленко', '--now', NOW]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ with the section, dates, photo of the en version\n$/);
    const file = join(site, 'articles', 'flood-warning', 'uk.md');
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '---',
        'title: Flood warning',
        "# The article's URL: change it before publishing if you like, never after",
        'slug: flood-warning',
        'published: 2024-11-04T07:15',
        'updated: 2024-11-04T12:40',
        'authors: [Олена Коваленко]',
        'section: politics',
        'tags: []',
        'image:',
        '  src: river.png',
        '  alt: "TODO (translate from English): The river embankment under grey clouds"',
        '  caption: "TODO (translate from English): The embankment on Monday morning."',
        '  credit: Olena Kovalenko',
        'draft: true',
        '---',
        'Write the first paragraph here: it becomes the summary unless you add `summary:` above.',
        '',
      ].join('\n'),
    );
    // The default language's version is missing: another gives it, embargo included.
    const embargoed = join(site, 'articles', 'embargoed-results');
    writeFileSync(
      join(embargoed, 'ar.md'),
      readFileSync(join(embargoed, 'en.md'), 'utf8').replace(
        'section: politics',
        'section: culture',
      ),
    );
    rmSync(join(embargoed, 'en.md'));
    expect(
      polyfeed(['new', 'embargoed-results', '--site', site, '--lang', 'uk', '--author', 'A']).code,
    ).toBe(0);
    expect(readFileSync(join(embargoed, 'uk.md'), 'utf8')).toContain(
      '\npublished: 2024-12-01T09:00\nembargo: 2025-06-01T09:00\nauthors: [A]\nsection: culture\n',
    );
    const built = polyfeed(['build', site, '--out', out, '--now', NOW, '--drafts']);
    expect(built.stderr).toBe('');
    const items = JSON.parse(readFileSync(join(out, 'uk', 'feed.json'), 'utf8')).items as {
      id: string;
      date_published: string;
    }[];
    expect(items.find((i) => i.id.endsWith(':flood-warning/uk'))?.date_published).toBe(
      '2024-11-04T07:15:00+02:00',
    );
    // Under embargo until June, like the story.
    expect(items.some((i) => i.id.endsWith(':embargoed-results/uk'))).toBe(false);
  });

  test('says only what it took from the other version', () => {
    const site = mkdtempSync(join(tmpdir(), 'polyfeed-new-'));
    cpSync(join(FIXTURES, 'basic'), site, { recursive: true });
    const story = join(site, 'articles', 'flood-warning');
    const en = readFileSync(join(story, 'en.md'), 'utf8');
    /** Makes uk.md from an en.md edited by `edit`; what `new` printed. */
    const translate = (edit: (text: string) => string, ...args: string[]) => {
      writeFileSync(join(story, 'en.md'), edit(en));
      rmSync(join(story, 'uk.md'), { force: true });
      const result = polyfeed(
        ['new', 'flood-warning', '--site', site, '--lang', 'uk'].concat(
          ['--author', 'A', '--now', NOW],
          args,
        ),
      );
      expect(result.code).toBe(0);
      return result.stdout;
    };
    const same = (text: string) => text;
    const unlisted = (text: string) => text.replace('section: politics', 'section: sport');
    const undated = (text: string) => unlisted(text).replace(/^published: .*\n/m, '');
    const bare = (text: string) => undated(text).replace(/^image:\n( {2}.*\n)+/m, '');
    expect(translate(same, '--section', 'culture')).toMatch(
      / with the dates, photo of the en version\n$/,
    );
    expect(translate(unlisted)).toMatch(/ with the dates, photo of the en version\n$/);
    expect(translate(undated)).toMatch(/ with the photo of the en version\n$/);
    expect(translate(bare)).toMatch(/uk\.md\n$/);
    rmSync(site, { recursive: true, force: true });
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
