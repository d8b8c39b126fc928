/**
 * The only code that writes the output folder. A build is written next to it and swapped
 * in whole, so a failed or interrupted build never leaves a half-written folder behind.
 */
import { copyFileSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Asset, OutputFile } from './model.js';

/**
 * Writes `files`, copies `assets`, and takes `reused` (paths whose bytes did not change)
 * from the current output folder by hard link, so an unchanged file is not rewritten.
 */
export async function writeOutput(
  outDir: string,
  files: readonly OutputFile[],
  assets: readonly Asset[],
  reused: readonly string[] = [],
): Promise<void> {
  const target = resolve(outDir);
  mkdirSync(dirname(target), { recursive: true });
  // A sibling folder: same file system, so the final rename is atomic.
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}-new-`));
  try {
    const made = new Set<string>();
    const place = (path: string): string => {
      const full = join(staging, path);
      const folder = dirname(full);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      return full;
    };
    // Synchronous calls: for thousands of small files they beat fs.promises by ~2x here.
    for (const file of files) writeFileSync(place(file.path), file.contents);
    for (const asset of assets) copyFileSync(asset.from, place(asset.path));
    for (const path of reused) linkOrCopy(join(target, path), place(path));
    await swap(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function swap(staging: string, target: string): Promise<void> {
  const old = `${staging}-old`;
  let hadOld = true;
  try {
    await rename(target, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    hadOld = false;
  }
  await rename(staging, target);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    // A file system without hard links: the bytes are the same, copy them.
    copyFileSync(from, to);
  }
}
