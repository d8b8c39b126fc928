/**
 * Feed items are made once per article and format and shared by every feed that lists
 * them; each is dropped after its last use (RenderContext.itemUses). The uses are those of
 * the feeds a thread renders, counted before it renders the first: a feed that planning
 * finds unchanged, or that the other thread renders, must not keep items alive.
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { loadSite } from '../src/load/load-site.js';
import { createTemplates } from '../src/render/environment.js';
import type { RenderContext } from '../src/render/output.js';
import { outputs } from '../src/render/outputs.js';
import { renderPending } from '../src/render/render-files.js';
import { FIXTURES, NOW } from './helpers.js';

test('planning counts no item use; rendering counts its files first and drops every item after its last use', async () => {
  const root = join(FIXTURES, 'partners');
  const diagnostics: Diagnostic[] = [];
  const loaded = await loadSite(root, { now: NOW, drafts: false, strict: false }, diagnostics);
  if (!loaded) throw new Error(`the partners fixture did not load: ${diagnostics[0]?.message}`);
  const context: RenderContext = {
    templates: createTemplates(root),
    diagnostics,
    items: new Map(),
    itemUses: new Map(),
  };
  const feeds = outputs
    .filter((output) => output.feeds)
    .flatMap((output) =>
      output.plan(loaded.site, context).map((job) => ({ output: output.name, key: '', job })),
    );
  expect(feeds.map((f) => f.output)).toContain('partners');
  expect(context.itemUses?.size).toBe(0);

  // Rendered in the order planned, each file's uses counted before the first is rendered.
  const order: string[] = [];
  const watched = feeds.map(({ output, key, job }) => ({
    output,
    key,
    job: {
      ...job,
      countItemUses: () => {
        order.push('count');
        job.countItemUses?.();
      },
      render: () => {
        order.push('render');
        return job.render();
      },
    },
  }));
  let made = 0;
  await renderPending(
    watched,
    () => {
      made = Math.max(made, context.items.size);
    },
    diagnostics,
    false,
  );
  expect(order.indexOf('render')).toBe(feeds.length);
  expect(order.filter((step) => step === 'render')).toHaveLength(feeds.length);
  // Items were shared between feeds, then dropped: none is left, nor any count of uses.
  expect(made).toBeGreaterThan(1);
  expect(context.items.size).toBe(0);
  expect(context.itemUses?.size).toBe(0);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
});
