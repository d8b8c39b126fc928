/**
 * The manifest of published URLs (see published-urls.ts), written into the output folder
 * so that the next build, reading it from there, knows where every article was.
 */
import { formatUrlManifest } from '../model/published-urls.js';
import { URL_MANIFEST_PATH } from '../model/url-manifest.js';
import type { Output } from './output.js';

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
