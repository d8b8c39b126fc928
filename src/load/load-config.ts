import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SiteConfig, siteConfigSchema } from '../config/schema.js';
import { decodeUtf8 } from '../content/decode-utf8.js';
import { type Diagnostic, FileReport } from '../diagnostics.js';
import { parseYamlSource, validateYaml } from '../yaml-source.js';

/** The config file's name, at the root of a site folder. */
export const CONFIG_FILE = 'site.yaml';

/** Reads and validates `<root>/site.yaml`; the config is undefined when it has errors. */
export async function loadConfig(
  root: string,
  diagnostics: Diagnostic[],
): Promise<SiteConfig | undefined> {
  const report = new FileReport(CONFIG_FILE, diagnostics);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(join(root, CONFIG_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    report.error(
      'config/missing',
      `not found in ${root}: a site folder needs a ${CONFIG_FILE} (see docs/configuration.md)`,
    );
    return undefined;
  }
  const text = decodeUtf8(bytes, report);
  if (text === undefined) return undefined;
  const source = parseYamlSource(text, report);
  if (source.data === undefined) return undefined;
  return validateYaml(siteConfigSchema, source, report, 'config/invalid');
}
