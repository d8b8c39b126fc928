/**
 * The shape of the code, as the engine's second design set it (CONTRIBUTING.md, "Code
 * layout"): the import graph follows the rules of .dependency-cruiser.cjs (no cycle, the
 * stages import no machinery, outputs import the contract and not the list), build.ts
 * reads as the pipeline, and no function of src/ runs over 80 lines.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { REPO } from './helpers.js';

const require = createRequire(import.meta.url);
const config = require(join(REPO, '.dependency-cruiser.cjs')) as {
  forbidden: IForbiddenRuleType[];
  options: Record<string, unknown>;
};

/** Every rule broken in the `src` folder of `base`, as `rule: from → to`. */
async function violations(base: string): Promise<string[]> {
  const previous = process.cwd();
  process.chdir(base);
  try {
    const result = await cruise(['src'], {
      ...config.options,
      tsConfig: { fileName: join(REPO, 'tsconfig.json') },
      validate: true,
      ruleSet: { forbidden: config.forbidden },
    });
    const output = result.output as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  } finally {
    process.chdir(previous);
  }
}

describe('the import graph', () => {
  test('follows every rule of .dependency-cruiser.cjs', async () => {
    expect(await violations(REPO)).toEqual([]);
  }, 60_000);

  test('the rules catch what they forbid', async () => {
    // A small tree in the shape of src/ that breaks each rule once.
    const found = await violations(join(REPO, 'tests', 'fixtures-code', 'architecture'));
    expect(found.map((v) => v.split(':')[0]).sort()).toEqual([
      'load-before-the-others',
      'model-is-data',
      'no-circular',
      'outputs-import-the-contract',
      'stages-without-machinery',
    ]);
  }, 60_000);
});

/** Every function of the TypeScript files under `folder` (tests left out) with its length. */
function functions(folder: string): { where: string; lines: number }[] {
  const found: { where: string; lines: number }[] = [];
  const visit = (file: string) => {
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const walk = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        found.push({ where: `${relative(REPO, file)}:${first + 1}`, lines: last - first + 1 });
      }
      ts.forEachChild(node, walk);
    };
    walk(source);
  };
  const walkFolder = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walkFolder(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) visit(path);
    }
  };
  walkFolder(folder);
  return found;
}

describe('the code reads in small pieces', () => {
  test('no function of src/ runs over 80 lines', () => {
    const all = functions(join(REPO, 'src'));
    expect(all.length).toBeGreaterThan(500);
    expect(all.filter((f) => f.lines > 80)).toEqual([]);
  });

  test('build.ts is the pipeline, under 150 lines', () => {
    const text = readFileSync(join(REPO, 'src', 'build.ts'), 'utf8');
    expect(text.split('\n').length).toBeLessThan(150);
    // The stages in order, each one call.
    const calls = [
      'prepare(',
      'loadModel(',
      'outputKeys(',
      'run.plan(',
      'run.render(',
      'run.finish(',
    ];
    const at = calls.map((call) => text.indexOf(call));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});
