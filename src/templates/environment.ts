/**
 * The only module that imports nunjucks. Templates are looked up in the site folder first,
 * then in the package, so a site overrides one template without copying the others.
 */
import { join, resolve } from 'node:path';
import nunjucks from 'nunjucks';
import { PACKAGE_ROOT } from '../paths.js';

export interface Templates {
  /** Renders `name` (e.g. `article.njk`) with `context`. */
  render(name: string, context: Record<string, unknown>): string;
}

export function createTemplates(siteRoot: string): Templates {
  const folders = [...new Set([resolve(siteRoot, 'templates'), join(PACKAGE_ROOT, 'templates')])];
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(folders, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  return { render: (name, context) => env.render(name, context) };
}
