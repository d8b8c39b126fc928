/**
 * The shape of the code, checked by tests/architecture.test.ts (and `npx depcruise src`).
 * The build's stages are folders: load → model → plan → render → write. Stages import
 * nothing from the machinery that runs builds (engine/: caches, threads, the dev server's
 * store), nor from its users (cli/, dev/, typo/, preview/); they define the small
 * interfaces the engine supplies (load/memo.ts). See CONTRIBUTING.md, "Code layout".
 */
const STAGES = '^src/(load|model|plan|render|write|config|content|i18n)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes modules depend on each other for their meaning.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'stages-without-machinery',
      severity: 'error',
      comment: 'Stages know nothing of caches, threads or the dev server (load/memo.ts).',
      from: { path: STAGES },
      to: { path: '^src/(engine|dev|cli|typo|preview)/|^src/build(-result)?\\.ts$' },
    },
    {
      name: 'load-before-the-others',
      severity: 'error',
      comment: 'Loading makes the model; planning, rendering and writing come after it.',
      from: { path: '^src/(load|model|config|content|i18n)/' },
      to: { path: '^src/(plan|render|write)/' },
    },
    {
      name: 'model-is-data',
      severity: 'error',
      comment: 'The model is what loading makes; it does not load.',
      from: { path: '^src/model/' },
      to: { path: '^src/load/' },
    },
    {
      name: 'outputs-import-the-contract',
      severity: 'error',
      comment: 'An output imports render/output.ts; only planning and the engine use the list.',
      from: { path: '^src/render/', pathNot: '^src/render/outputs\\.ts$' },
      to: { path: '^src/render/outputs\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
