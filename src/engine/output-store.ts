/**
 * Where `polyfeed dev` keeps the bytes of the files it serves: on disk, in a temporary
 * folder, not in memory. At 5,000 stories the output is 2.2 GiB, and it grows with the
 * archive; in memory it was most of the dev server's footprint.
 *
 * Each build writes the files it renders into a folder of its own (a generation), and a
 * file's cache entry names the generation that holds its bytes. So a build that fails
 * leaves every entry, and every file served, as it was; its generation is removed with the
 * others that no entry names any more, after each build.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removedOnExit } from '../write/remove-on-exit.js';
import { StagedOutput } from '../write/write-output.js';

export class OutputStore {
  readonly folder: string;
  private last = 0;
  /** Generations with a folder on disk, each with the writer that makes its subfolders. */
  private readonly writers = new Map<number, StagedOutput>();
  /** Cancels removing the folder when the process ends. */
  private readonly keep: () => void;

  constructor(parent = tmpdir()) {
    // A dev server that crashes or is stopped by a signal leaves no gigabytes behind.
    const made = removedOnExit(() => mkdtempSync(join(parent, 'polyfeed-dev-output-')));
    this.folder = made.folder;
    this.keep = made.keep;
  }

  /** A new generation for a build to write its files into. */
  begin(): number {
    this.last += 1;
    return this.last;
  }

  write(generation: number, path: string, contents: string | Uint8Array): void {
    let writer = this.writers.get(generation);
    if (!writer) {
      const staging = this.folderOf(generation);
      mkdirSync(staging);
      writer = StagedOutput.join({ target: this.folder, staging, compareFeeds: false });
      this.writers.set(generation, writer);
    }
    writer.write({ path, contents });
  }

  read(generation: number, path: string): Buffer {
    return readFileSync(join(this.folderOf(generation), path));
  }

  /**
   * Removes every generation that none of `entries` names: superseded ones, and a failed
   * build's. Removal runs in the background; nothing can be served from those folders
   * any more, as requests look an entry up and read its file in one go.
   */
  prune(entries: Iterable<{ generation?: number }>): void {
    const named = new Set<number>();
    for (const entry of entries) if (entry.generation !== undefined) named.add(entry.generation);
    for (const generation of [...this.writers.keys()]) {
      if (named.has(generation)) continue;
      this.writers.delete(generation);
      void rm(this.folderOf(generation), { recursive: true, force: true });
    }
  }

  /** Removes the whole folder (when the dev server stops). */
  close(): void {
    this.writers.clear();
    rmSync(this.folder, { recursive: true, force: true });
    this.keep();
  }

  private folderOf(generation: number): string {
    return join(this.folder, String(generation));
  }
}
