import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { build } from '../src/build.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { writePrecompiledTemplates } from '../src/render/environment.js';
import { basicSite, NOW } from './helpers.js';

const compiler = (nunjucks as unknown as { compiler: { compile: (...args: unknown[]) => string } })
  .compiler;

async function files(root: string): Promise<Map<string, string>> {
  const result = await build(root, { now: NOW, drafts: false, strict: false });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map(result.files.map((f) => [f.path, Buffer.from(f.contents).toString('utf8')]));
}

describe("Polyfeed's own templates, precompiled", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are rendered without compiling them, to the same bytes as a site copy compiled from its text', async () => {
    writePrecompiledTemplates();
    const precompiled = JSON.parse(
      readFileSync(join(PACKAGE_ROOT, 'lib', 'templates.precompiled.json'), 'utf8'),
    ) as { templates: Record<string, unknown> };
    const ours = (readdirSync(join(PACKAGE_ROOT, 'templates'), { recursive: true }) as string[])
      .filter((name) => name.endsWith('.njk'))
      .map((name) => name.split('\\').join('/'))
      .sort();
    expect(Object.keys(precompiled.templates)).toEqual(ours);
    // Right wherever the package is installed: it names no folder of this machine.
    expect(JSON.stringify(precompiled)).not.toContain(JSON.stringify(PACKAGE_ROOT).slice(1, -1));

    const compile = vi.spyOn(compiler, 'compile');
    const plain = await files(basicSite());
    expect(compile).not.toHaveBeenCalled();

    // The same templates as the site's own: another path, so compiled from their text.
    const copied = basicSite();
    cpSync(join(PACKAGE_ROOT, 'templates'), join(copied, 'templates'), { recursive: true });
    const fromText = await files(copied);
    expect(compile.mock.calls.length).toBe(ours.length);
    expect(fromText.size).toBeGreaterThan(20);
    expect([...fromText.keys()].sort()).toEqual([...plain.keys()].sort());
    for (const [path, contents] of plain) expect(fromText.get(path), path).toBe(contents);
  });

  it('are compiled from their text when a template was edited since', async () => {
    writePrecompiledTemplates();
    const plain = await files(basicSite());
    const file = join(PACKAGE_ROOT, 'lib', 'templates.precompiled.json');
    // As if partials/footer.njk had been edited after `npm run compile`: the text it was
    // compiled from is not the file's. Read so by a fresh module graph only: the file
    // itself stays as it is, as other tests read it meanwhile.
    const stale = JSON.parse(readFileSync(file, 'utf8')) as {
      templates: Record<string, { source: string }>;
    };
    const footer = stale.templates['partials/footer.njk'];
    if (!footer) throw new Error('no precompiled footer');
    footer.source = `${footer.source}<p>an older footer</p>`;
    vi.resetModules();
    vi.doMock('node:fs', async (original) => {
      const fs = await original<typeof import('node:fs')>();
      const read = ((path: unknown, ...rest: unknown[]) =>
        path === file
          ? JSON.stringify(stale)
          : (fs.readFileSync as (...args: unknown[]) => unknown)(
              path,
              ...rest,
            )) as typeof fs.readFileSync;
      return { ...fs, default: { ...fs, readFileSync: read }, readFileSync: read };
    });
    try {
      const fresh = (await import('../src/build.js')).build;
      const compile = vi.spyOn(compiler, 'compile');
      const result = await fresh(basicSite(), { now: NOW, drafts: false, strict: false });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(compile.mock.calls.map((call) => call[3])).toEqual([
        join(PACKAGE_ROOT, 'templates', 'partials', 'footer.njk'),
      ]);
      const edited = new Map(
        result.files.map((f) => [f.path, Buffer.from(f.contents).toString('utf8')]),
      );
      expect([...edited.keys()].sort()).toEqual([...plain.keys()].sort());
      for (const [path, contents] of plain) expect(edited.get(path), path).toBe(contents);
    } finally {
      vi.doUnmock('node:fs');
      vi.resetModules();
    }
  });
});
