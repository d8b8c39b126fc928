/**
 * The only code that writes the output folder. A build is written into a new folder next
 * to it, so a failed build leaves the output as it was. Then either the new folder is
 * swapped in whole (commit), or, when the build kept at least as many unchanged files as
 * it rendered (an edit-build, see cli/build-and-write.ts), the files it holds are moved into
 * the output one by one and those no longer built removed (updateInPlace). A swap cut short
 * leaves the previous output (or none, between its two renames); an update in place cut
 * short leaves the output part old, part new, each file whole, until the next build puts
 * it right.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Asset, OutputFile } from '../model/model.js';
import {
  emptyUrlManifest,
  URL_MANIFEST_PATH,
  type UrlManifest,
  urlManifestSchema,
} from '../model/url-manifest.js';
import { moveAsideAndRemove, newFolderName, sweepOld } from './remove-later.js';
import { removedOnExit } from './remove-on-exit.js';

/** Where files go as they are rendered (see BuildOptions.sink). */
export interface OutputSink {
  write(file: OutputFile): void;
  /**
   * The folder being filled, as plain data: a worker thread then writes its files there
   * itself (StagedOutput.join) instead of sending their bytes back to be written.
   */
  area?(): StagingArea;
  /** Takes the feeds a worker's writer found changed (see StagedOutput.changedFeeds). */
  addChangedFeeds?(paths: readonly string[]): void;
}

export interface StagingArea {
  /** The output folder the build replaces. */
  target: string;
  /** The new folder next to it. */
  staging: string;
  compareFeeds: boolean;
}

/**
 * A new output folder being filled. Files can be written as they are rendered (so a big
 * site is never all in memory at once); nothing is visible until `commit()`.
 */
export class StagedOutput implements OutputSink {
  readonly target: string;
  /**
   * Feeds whose bytes differ from the current output's (for WebSub, see websub.ts), kept
   * when made with `compareFeeds`.
   */
  readonly changedFeeds: string[] = [];
  private readonly staging: string;
  private readonly compareFeeds: boolean;
  private readonly made = new Set<string>();
  /** Cancels removing the new folder when the process ends (only its maker removes it). */
  private readonly keep: () => void = () => {};

  constructor(outDir: string, options: { compareFeeds?: boolean } = {}, joined?: StagingArea) {
    this.target = resolve(outDir);
    this.compareFeeds = options.compareFeeds ?? false;
    if (joined) {
      this.staging = joined.staging;
    } else {
      mkdirSync(dirname(this.target), { recursive: true });
      sweepOld(this.target);
      // A sibling folder: same file system, so the final renames are cheap and atomic.
      // Interrupted or crashed, a build leaves no half-written folder beside the output.
      // Made with mkdir, not mkdtemp: it becomes the output folder, which a web server's
      // user must be able to read (mkdtemp makes it drwx------ whatever the umask).
      const made = removedOnExit(() => {
        const folder = join(dirname(this.target), newFolderName(this.target));
        mkdirSync(folder);
        return folder;
      });
      this.staging = made.folder;
      this.keep = made.keep;
    }
    this.made.add(this.staging);
  }

  /** A writer into another's folder (in a worker thread); committing stays with its maker. */
  static join(area: StagingArea): StagedOutput {
    return new StagedOutput(area.target, { compareFeeds: area.compareFeeds }, area);
  }

  area(): StagingArea {
    return { target: this.target, staging: this.staging, compareFeeds: this.compareFeeds };
  }

  addChangedFeeds(paths: readonly string[]): void {
    this.changedFeeds.push(...paths);
  }

  // Synchronous calls: for thousands of small files they beat fs.promises by ~2x here.
  write(file: OutputFile): void {
    if (this.compareFeeds && file.feed && !this.sameAsCurrent(file)) {
      this.changedFeeds.push(file.path);
    }
    writeFileSync(this.place(file.path), file.contents);
  }

  private sameAsCurrent(file: OutputFile): boolean {
    const current = join(this.target, file.path);
    if (!existsSync(current)) return false;
    const bytes = typeof file.contents === 'string' ? Buffer.from(file.contents) : file.contents;
    return readFileSync(current).equals(bytes);
  }

  copy(asset: Asset): void {
    copyFileSync(asset.from, this.place(asset.path));
  }

  /**
   * In an update in place (see updateInPlace), an asset only when the output's copy is not
   * the same file: missing, another size, or older than the source.
   */
  copyIfChanged(asset: Asset): void {
    try {
      const source = statSync(asset.from);
      const current = statSync(join(this.target, asset.path));
      if (current.size === source.size && current.mtimeMs >= source.mtimeMs) return;
    } catch {
      // No copy in the output yet.
    }
    this.copy(asset);
  }

  /** Takes a file whose bytes did not change from the current output, by hard link. */
  reuse(path: string): void {
    const to = this.place(path);
    try {
      linkSync(join(this.target, path), to);
    } catch {
      // A file system without hard links: the bytes are the same, copy them.
      copyFileSync(join(this.target, path), to);
    }
  }

  /** Puts the new folder in place of the old one. */
  async commit(): Promise<void> {
    // Moved aside, then the new one in: the output folder is missing only between two
    // renames, and the old one is removed without the command waiting for it.
    await moveAsideAndRemove(this.target);
    await rename(this.staging, this.target);
    this.keep();
  }

  /**
   * Moves the files written into the new folder into the output folder, one by one, and
   * removes the output's files at `removed` (files the build no longer writes). For a
   * rebuild that rendered a few files of a big site: swapping whole folders meant linking
   * every unchanged file into the new one (15 s for 59,000 files after a one-line edit).
   * Only a build without errors gets here, so a failed build still leaves the output as it
   * was; a crash in the middle leaves it part old, part new, each file whole, and the next
   * build (whose cache is written only after this) puts it right.
   */
  async updateInPlace(removed: readonly string[]): Promise<void> {
    const made = new Set<string>([this.target]);
    const moveIn = (folder: string, relative: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = relative ? `${relative}/${entry.name}` : entry.name;
        const from = join(folder, entry.name);
        if (entry.isDirectory()) {
          moveIn(from, path);
          continue;
        }
        const to = join(this.target, path);
        if (!made.has(dirname(to))) {
          mkdirSync(dirname(to), { recursive: true });
          made.add(dirname(to));
        }
        renameSync(from, to);
      }
    };
    moveIn(this.staging, '');
    for (const path of removed) {
      rmSync(join(this.target, path), { force: true });
      // A folder goes with its last file, and so do the folders it empties (a tag's
      // `page/2/` and then the tag's own), as a clean build would not have them.
      for (let folder = dirname(path); folder !== '.'; folder = dirname(folder)) {
        try {
          rmdirSync(join(this.target, folder));
        } catch {
          break; // not empty, or gone already
        }
      }
    }
    await rm(this.staging, { recursive: true, force: true });
    this.keep();
  }

  /** Throws the new folder away; the previous output is untouched. */
  async abort(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
    this.keep();
  }

  private place(path: string): string {
    const full = join(this.staging, path);
    this.makeFolder(dirname(full));
    return full;
  }

  /**
   * Makes `folder` and the parents it lacks: one plain mkdir per folder, as its parent is
   * known to exist (a recursive mkdir per new folder cost a build of 10,000 files 2 s).
   * Another thread may write into the same folder, hence EEXIST is fine.
   */
  private makeFolder(folder: string): void {
    if (this.made.has(folder)) return;
    const parent = dirname(folder);
    if (parent !== folder) this.makeFolder(parent);
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    this.made.add(folder);
  }
}

/** Writes a whole build at once (files, assets, and files reused from the current output). */
export async function writeOutput(
  outDir: string,
  files: readonly OutputFile[],
  assets: readonly Asset[],
  reused: readonly string[] = [],
): Promise<void> {
  const staged = new StagedOutput(outDir);
  try {
    for (const file of files) staged.write(file);
    for (const asset of assets) staged.copy(asset);
    for (const path of reused) staged.reuse(path);
    await staged.commit();
  } catch (error) {
    await staged.abort();
    throw error;
  }
}

/**
 * The manifest of published URLs the output folder holds (see published-urls.ts): empty
 * when there is none (a first build); with `problem` when the file is not one Polyfeed
 * wrote (then the old URLs of renamed articles are unknown to this build).
 */
export function readPublishedUrls(outDir: string): { manifest: UrlManifest; problem?: string } {
  const file = join(outDir, URL_MANIFEST_PATH);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { manifest: emptyUrlManifest() };
    throw error;
  }
  let parsed: ReturnType<typeof urlManifestSchema.safeParse>;
  try {
    parsed = urlManifestSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = urlManifestSchema.safeParse(undefined);
  }
  if (parsed.success) return { manifest: parsed.data };
  return {
    manifest: emptyUrlManifest(),
    problem: `${file} is not a list of published URLs this version of Polyfeed wrote; the old URLs of articles renamed since the last build are not known, and get no redirect`,
  };
}
