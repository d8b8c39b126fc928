/**
 * `<site>/assets/`: site-wide files (logo, icon), published as they are at `/assets/`.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SiteConfig } from '../config/schema.js';
import { readFileInfo } from '../content/image-info.js';
import { type Diagnostic, FileReport } from '../diagnostics.js';
import type { Asset, SiteImage } from '../model/model.js';
import { urlOf } from '../model/urls.js';

export const ASSETS_FOLDER = 'assets';

export interface SiteAssets {
  assets: Asset[];
  logo?: SiteImage;
  icon?: SiteImage;
}

export async function loadSiteAssets(
  root: string,
  config: SiteConfig,
  diagnostics: Diagnostic[],
): Promise<SiteAssets> {
  const files = await listFiles(join(root, ASSETS_FOLDER));
  const assets = files.map((file) => ({
    from: join(root, ASSETS_FOLDER, file),
    path: `${ASSETS_FOLDER}/${file}`,
  }));
  const image = async (field: 'logo' | 'icon'): Promise<SiteImage | undefined> => {
    const path = config[field];
    if (!path) return undefined;
    const asset = assets.find((a) => a.path === path);
    const report = new FileReport('site.yaml', diagnostics);
    if (!asset) {
      report.error(
        'config/missing-asset',
        `"${path}" is not a file of the site's assets/ folder`,
        field,
      );
      return undefined;
    }
    const info = await readFileInfo(asset.from);
    if (!info.type || !info.width || !info.height) {
      report.error(
        'config/not-an-image',
        `"${path}" is not an image whose size can be read (PNG, JPEG, GIF, WebP or SVG)`,
        field,
      );
      return undefined;
    }
    return {
      url: urlOf(config.baseUrl, path),
      width: info.width,
      height: info.height,
      type: info.type,
    };
  };
  return { assets, logo: await image('logo'), icon: await image('icon') };
}

async function listFiles(folder: string, prefix = ''): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(join(folder, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(folder, path)));
    else files.push(path);
  }
  return files;
}
