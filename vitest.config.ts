import { existsSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

/** Every test file: unit tests beside the code, the rest (goldens, servers, CLI) in tests/. */
const TEST_FILES = ['src/**/*.test.ts', 'tests/**/*.test.ts'];

/**
 * The test files of the `slow` project; every other test file is in `fast`, so a new file
 * lands in exactly one of them (tests/projects.test.ts checks it). A file is slow when it
 * needs a browser, the dev server, worker threads, PostgreSQL, HTTP load or the CLI run as
 * a child process (end to end), or when it takes over 15 s alone on a 2-core machine
 * (`npx vitest run FILE`). Everything else runs in-process and belongs in `fast`, which must
 * stay under 60 s on an idle 2-core machine (`time npx vitest run --project fast`). So
 * tests/readers.test.ts is fast: its feed readers are short child processes, and the file
 * takes about 10 s alone and adds about 4 s to `fast`.
 */
const SLOW_TEST_FILES = [
  // a browser (Chromium through playwright-core)
  'tests/browser.test.ts',
  'tests/corrections-e2e.test.ts',
  'tests/partners-preview-browser.test.ts',
  'tests/republish-browser.test.ts',
  'tests/typo-browser.test.ts',
  // the dev server, and the dev server's rebuilds
  'tests/dev-server.test.ts',
  'tests/dev-incremental.test.ts',
  'tests/dev-start-up.test.ts',
  // worker threads
  'tests/threads.test.ts',
  'tests/string-prototype.test.ts',
  // PostgreSQL
  'tests/postgres-server.test.ts',
  'tests/typo-notify.test.ts',
  'tests/typo-server.test.ts',
  // HTTP load
  'tests/typo-load.test.ts',
  // the CLI end to end
  'tests/cli.test.ts',
  'tests/incremental.test.ts',
  'tests/partners-preview.test.ts',
  'tests/published-urls.test.ts',
  'tests/republications.test.ts',
  'tests/typos-cli.test.ts',
  'tests/typos-fix.test.ts',
  'tests/websub.test.ts',
];

const stale = SLOW_TEST_FILES.filter((file) => !existsSync(new URL(file, import.meta.url)));
if (stale.length)
  throw new Error(`vitest.config.ts: SLOW_TEST_FILES names missing files: ${stale.join(', ')}`);

// Fixture builds and CLI runs read many files; the default 5 s is tight on a loaded 2-core CI.
const testTimeout = 30_000;

export default defineConfig({
  test: {
    // Runs once per run, whichever projects run (so the projects do not repeat it).
    globalSetup: ['tests/temp-root.ts'],
    projects: [
      {
        test: {
          name: 'fast',
          include: TEST_FILES,
          exclude: [...configDefaults.exclude, ...SLOW_TEST_FILES],
          testTimeout,
          // In-process and independent of each other (each writes only under its own
          // temporary folders), so a worker per core; Vitest's default leaves one core idle.
          maxWorkers: '100%',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'slow',
          include: SLOW_TEST_FILES,
          testTimeout,
          // Vitest's default workers, as before the split (one on a 2-core machine): the
          // browser, server and load tests were written and timed that way.
          // Projects with different `maxWorkers` run one after the other: fast first.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
