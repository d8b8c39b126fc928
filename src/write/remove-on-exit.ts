/**
 * Folders that must not outlive the process: the output folder a build fills beside the
 * real one (`.dist-new-*`), and the dev server's file store in the temporary folder. They
 * are removed however the process ends: normally, on an uncaught exception, or on a signal
 * (Ctrl+C, SIGTERM, a closed terminal's SIGHUP). signal-exit does the part that is easy to
 * get wrong by hand: it runs on `exit` too, and after a signal it raises it again when no
 * one else handles it, so the process still stops with that signal's status.
 */
import { rmSync } from 'node:fs';
import { onExit } from 'signal-exit';

/**
 * Makes a folder with `make` and removes it when the process ends, unless `keep()` was
 * called (once the folder is put in place, or removed in the ordinary way).
 */
export function removedOnExit(make: () => string): { folder: string; keep(): void } {
  // Watched before it exists: a signal right after the folder is made must find it.
  let folder: string | undefined;
  const keep = onExit(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });
  try {
    folder = make();
  } catch (error) {
    keep();
    throw error;
  }
  return { folder, keep };
}
