/**
 * Removing the previous output without waiting for it. A big site's output is tens of
 * thousands of files, and deleting them took about 3 s of a one-shot rebuild after a
 * one-line edit, after the new output was already in place. The old folder is renamed to
 * `.<name>-old-<random>` beside the output (a cheap rename: same file system), then removed
 * by a detached process, so the command returns at once; a removal that was itself cut
 * short is finished by the next build (sweepOld), which also removes the new folder of a
 * build killed outright (`kill -9`, the kernel out of memory).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const REMOVE = "require('node:fs').rmSync(process.argv[1], { recursive: true, force: true })";

/** `.dist-old-` for `dist`: the prefix of the folders an output is moved aside to. */
function oldPrefix(target: string): string {
  return `.${basename(target)}-old-`;
}

/**
 * The name of a new folder for `target` (`.dist-new-<pid>-<random>` for `dist`), filled by
 * a build and renamed to `target` when it succeeds. The process id tells the next build
 * whether its maker was killed before it could remove it (see removedOnExit).
 */
export function newFolderName(target: string): string {
  return `${newPrefix(target)}${process.pid}-${randomBytes(6).toString('hex')}`;
}

function newPrefix(target: string): string {
  return `.${basename(target)}-new-`;
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

/**
 * Finishes the removal of earlier outputs moved aside (a removal cut short, say), and of
 * new folders whose build was killed.
 */
export function sweepOld(target: string): void {
  const folder = dirname(target);
  const prefix = oldPrefix(target);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names)
    if (movedAside(name, prefix) || abandoned(folder, name, newPrefix(target)))
      removeInBackground(join(folder, name));
}

/**
 * Whether `name` is an output moved aside (`.dist-old-<random>`), and not, say, the new
 * folder of an output called `dist-old` beside it (`.dist-old-new-…`).
 */
function movedAside(name: string, prefix: string): boolean {
  return name.startsWith(prefix) && /^[0-9a-f]{12}$/.test(name.slice(prefix.length));
}

/** A build that could still be running leaves its new folder alone for this long. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;
/**
 * A new folder named by an earlier version, without a process id: only its age tells that
 * its build is gone (a build takes minutes).
 */
const UNNAMED_ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Whether `name` is a new folder whose build is gone: its process is not running, and it
 * has not changed for an hour (a process id may be another's where file systems are shared
 * between machines or containers).
 */
function abandoned(folder: string, name: string, prefix: string): boolean {
  if (!name.startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  if (/^[0-9a-f]{12}$/.test(rest))
    return unchangedFor(join(folder, name), UNNAMED_ABANDONED_AFTER_MS);
  const pid = Number(/^(\d+)-[0-9a-f]{12}$/.exec(rest)?.[1]);
  if (!Number.isInteger(pid) || pid === process.pid || running(pid)) return false;
  return unchangedFor(join(folder, name), ABANDONED_AFTER_MS);
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function unchangedFor(path: string, ms: number): boolean {
  const changed = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
  return changed !== undefined && Date.now() - changed > ms;
}

function removeInBackground(folder: string): void {
  const child = spawn(process.execPath, ['-e', REMOVE, folder], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}
