/**
 * What starts the dev server's builds: a watcher on the site's sources.
 *
 * chokidar watches each folder, so a file replaced by a rename (an editor's safe save,
 * `sed -i`, `git checkout`) is still followed: fs.watch's recursive mode on Linux watched
 * the file itself, and after such a save no later edit of it started a rebuild.
 */
import { relative, sep } from 'node:path';
import { watch } from 'chokidar';
import type { DevBuilds } from './dev-builds.js';

/** A site's sources: only their changes start a build. */
const WATCHED = ['articles', 'locales', 'templates', 'assets', 'site.yaml'];

export interface SourceWatcher {
  /** Settles once the watcher has taken its first look at the sources. */
  ready: Promise<void>;
  /** Stops watching; a build waiting for the end of a burst of changes is not started. */
  close(): Promise<void>;
}

/**
 * Watches `root`'s sources: each change is noted in `builds` at once, and a burst of them
 * starts one build.
 */
export function watchSources(
  root: string,
  builds: DevBuilds,
  log: (line: string) => void,
): SourceWatcher {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(root, {
    ignoreInitial: true,
    // Only the sources: not dist/, the cache, node_modules or .git of a site's folder.
    ignored: (path) => {
      const top = relative(root, path).split(sep)[0] ?? '';
      return top !== '' && !WATCHED.includes(top);
    },
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', resolve));
  watcher.on('all', (_event, path) => {
    const [top = '', story] = relative(root, path).split(sep);
    if (!WATCHED.includes(top)) return;
    builds.sourceChanged(top, story);
    clearTimeout(timer);
    // Editors write a file in several steps; one rebuild for the burst.
    timer = setTimeout(() => builds.schedule(), 60);
  });
  watcher.on('error', (error) => log(`polyfeed: watching the sources: ${error}`));
  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
