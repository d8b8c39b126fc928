/**
 * Removing the previous output without waiting for it. A big site's output is tens of
 * thousands of files, and deleting them took about 3 s of a one-shot rebuild after a
 * one-line edit, after the new output was already in place. The old folder is renamed to
 * `.<name>-old-<random>` beside the output (a cheap rename: same file system), then removed
 * by a detached process, so the command returns at once; a removal that was itself cut
 * short is finished by the next build (sweepOld).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const REMOVE = "require('node:fs').rmSync(process.argv[1], { recursive: true, force: true })";

/** `.dist-old-` for `dist`: the prefix of the folders an output is moved aside to. */
function oldPrefix(target: string): string {
  return `.${basename(target)}-old-`;
}

/** Moves `target` aside and has it removed in the background; false when there was no `target`. */
export async function moveAsideAndRemove(target: string): Promise<boolean> {
  const aside = join(dirname(target), `${oldPrefix(target)}${randomBytes(6).toString('hex')}`);
  try {
    await rename(target, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return false;
  }
  removeInBackground(aside);
  return true;
}

/** Finishes the removal of earlier outputs moved aside (a removal cut short, say). */
export function sweepOld(target: string): void {
  const folder = dirname(target);
  const prefix = oldPrefix(target);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix)) removeInBackground(join(folder, name));
}

function removeInBackground(folder: string): void {
  const child = spawn(process.execPath, ['-e', REMOVE, folder], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}
