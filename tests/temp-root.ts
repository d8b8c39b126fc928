/**
 * Vitest global setup: every temporary folder the tests make (fixture sites, build outputs,
 * the CLI's and Chromium's own) goes under one folder per run, removed when the run ends,
 * so `npm test` does not leave hundreds of folders in the system's temp directory.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'polyfeed-tests-'));
  // Others may pass through it: the PostgreSQL test's server runs as its own user when we are root.
  chmodSync(root, 0o711);
  // os.tmpdir() reads these on every call; the test workers and the processes they start inherit them.
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
