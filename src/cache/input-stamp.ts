/**
 * A stamp of every file a build reads (path, size, modification time) and of the options
 * that change its output. Equal stamps mean a build would write what is already there, so
 * `polyfeed build` can stop before loading anything else: this module imports only Node's.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { digest } from './fingerprint.js';

/** The folders and files of a site that a build reads. */
const SITE_INPUTS = ['site.yaml', 'articles', 'locales', 'templates', 'assets'];
/** Polyfeed's own files that a build reads (its defaults and itself). */
const PACKAGE_INPUTS = ['package.json', 'locales', 'templates', 'lib'];

export async function inputStamp(
  siteRoot: string,
  packageRoot: string,
  options: string,
): Promise<string> {
  const parts: string[] = [options];
  for (const [root, names] of [
    [siteRoot, SITE_INPUTS],
    [packageRoot, PACKAGE_INPUTS],
  ] as const) {
    for (const name of names) parts.push(...(await stampTree(join(root, name), name)));
  }
  return digest(...parts);
}

/** `name:size:mtime` of a file, or of every file under a folder, in a stable order. */
async function stampTree(path: string, shown: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return [`${shown}:absent`];
  }
  if (!info.isDirectory()) return [`${shown}:${info.size}:${info.mtimeMs}`];
  const names = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
  const children = await Promise.all(
    names.map((name) => stampTree(join(path, name), `${shown}/${name}`)),
  );
  return children.flat();
}
