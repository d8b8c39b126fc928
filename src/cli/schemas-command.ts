/** `polyfeed schemas`: write the JSON Schemas for site.yaml and article front matter. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Command, ExitCode } from './command.js';

export const schemasCommand: Command = {
  name: 'schemas',
  summary: 'write JSON Schemas of site.yaml and article front matter, for editors',
  help: `Usage: polyfeed schemas [--out <folder>]

Writes site.schema.json and article.schema.json (default folder: schemas/), made from the
schemas the build validates with. The package ships them in node_modules/polyfeed/schemas/.

Exit codes: 0 written, 2 wrong usage.
`,
  options: { out: { type: 'string' } },
  maxPositionals: 0,
  async run(values) {
    const out = resolve(typeof values.out === 'string' ? values.out : 'schemas');
    const { jsonSchemas } = await import('../json-schemas.js');
    await mkdir(out, { recursive: true });
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      await writeFile(join(out, name), `${JSON.stringify(schema, null, 2)}\n`);
      process.stdout.write(`Wrote ${join(out, name)}\n`);
    }
    return ExitCode.Ok;
  },
};
