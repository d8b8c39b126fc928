/**
 * The manifest of published URLs (see published-urls.ts), written into the output folder
 * so that the next build, reading it from there, knows where every article was.
 */
import { formatUrlManifest, URL_MANIFEST_PATH } from '../published-urls.js';
import type { Output } from './index.js';

export const urlManifest: Output = {
  name: 'url-manifest',
  usesTemplates: false,
  feeds: false,
  plan(site) {
    const manifest = site.urls?.manifest;
    if (!manifest) return [];
    const text = formatUrlManifest(manifest);
    return [{ path: URL_MANIFEST_PATH, key: text, render: () => text }];
  },
};
