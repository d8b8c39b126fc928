/**
 * The only module that imports nunjucks. Templates are looked up in the site folder first,
 * then in the package, so a site overrides one template without copying the others.
 */
import {
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import nunjucks, { type LoaderSource } from 'nunjucks';
import { digest } from '../digest.js';
import { PACKAGE_ROOT } from '../paths.js';

/**
 * nunjucks makes its SafeString with `Object.create(String.prototype)`. V8 then turns
 * String.prototype into a slow, dictionary-mode object "being set up as a prototype", and
 * nothing in our code turns it back: every string method call (`charCodeAt`, `slice`,
 * `indexOf`, in markdown-it, the YAML parser and our own checks) is looked up the slow
 * way and is not inlined. It made rendering the Markdown of a build twice as slow.
 * A property load through an inline cache on a String object makes V8 turn the prototype
 * back into a fast one and keep it so (an inline cache gets its feedback after a few
 * calls, hence the loop). `tests/string-prototype.test.ts` checks it with V8's own
 * `%HasFastProperties`, in the main thread and in a worker, which loads this module too.
 */
function restoreFastStringPrototype(): void {
  const load = (wrapper: object) => (wrapper as { charAt?: unknown }).charAt;
  const wrapper = Object('');
  for (let i = 0; i < 100; i++) load(wrapper);
}

/**
 * Puts the runtime in the shape builds are fast in: String.prototype fast again (see
 * above) and nunjucks' two hot paths sped up (see below). Nothing happens when this module
 * is imported: build() calls it, and the worker thread when it starts. Calling it again
 * changes nothing.
 */
export function prepareRuntime(): void {
  restoreFastStringPrototype();
  speedUpFrameSet();
  speedUpEscape();
}

export interface Templates {
  /** Renders `name` (e.g. `article.njk`) with `context`. Throws TemplateError. */
  render(name: string, context: Record<string, unknown>): string;
  /**
   * Compiles every `.njk` template (the site's, and the package's it does not override) and
   * returns their syntax errors: all of them in one run, before anything is rendered.
   */
  compile(): TemplateError[];
  /** A template folder's file as it is (the stylesheet), and where it was found. */
  raw(name: string): { text: string; file: string };
  /** Changes when any template file changes: part of every output's key. */
  fingerprint(): string;
}

/** A template that failed to compile or render, with its position when nunjucks knows it. */
export class TemplateError extends Error {
  constructor(
    message: string,
    /** `syntax` from compiling, `render` from rendering, `link` for a link to no file. */
    readonly phase: 'syntax' | 'render' | 'link',
    /** Path shown to the user: relative to the site root, or `templates/…` for the package's own. */
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/**
 * nunjucks stores every variable through `Frame.set(name, value)`, which splits the name on
 * dots to allow `{% set a.b = … %}`; a `{% for %}` sets seven `loop.*` variables per
 * iteration that way. A page of ours makes ~370 such calls, and they were a third of the
 * time nunjucks spent rendering. This does the same for the two common shapes (a plain
 * name, and `loop.<name>`) without the split, and leaves every other call to nunjucks.
 * The goldens pin the output; `nunjucks` is at 3.2.4, whose Frame this matches.
 */
function speedUpFrameSet(): void {
  type FrameSet = (this: { variables: Record<string, unknown> }, ...args: unknown[]) => void;
  const frame = (nunjucks.runtime as unknown as { Frame?: { prototype: { set: FrameSet } } }).Frame;
  if (!frame || (frame.prototype.set as { fast?: true }).fast) return;
  const original = frame.prototype.set;
  const fast: FrameSet = function (this, name, value, resolveUp) {
    if (!resolveUp && typeof name === 'string') {
      const variables = this.variables;
      const member = LOOP_MEMBERS.get(name);
      if (member) {
        let loop = variables.loop as Record<string, unknown> | undefined;
        if (!loop) {
          loop = {};
          variables.loop = loop;
        }
        loop[member] = value;
        return;
      }
      if (!name.includes('.')) {
        variables[name] = value;
        return;
      }
    }
    original.call(this, name, value, resolveUp);
  };
  Object.assign(fast, { fast: true, original });
  frame.prototype.set = fast;
}

/**
 * nunjucks escapes every value a template prints with `str.replace(/[&"'<>\\]/g, fn)`: half
 * a million calls for a 1,000-story build, of which one in 200 has anything to escape.
 * Testing first and returning the string itself when there is nothing to replace gives the
 * same strings in less than half the time. `environment.test.ts` compares it with nunjucks'
 * own on every character it escapes.
 */
function speedUpEscape(): void {
  type Escape = ((value: string) => string) & { fast?: true; original?: Escape };
  const lib = (nunjucks as unknown as { lib?: { escape: Escape } }).lib;
  if (!lib || lib.escape.fast) return;
  const original = lib.escape;
  const escaped = /[&"'<>\\]/;
  const fast: Escape = (value) => (escaped.test(value) ? original(value) : value);
  Object.assign(fast, { fast: true, original });
  lib.escape = fast;
}

const LOOP_MEMBERS = new Map(
  ['index', 'index0', 'revindex', 'revindex0', 'first', 'last', 'length'].map((m) => [
    `loop.${m}`,
    m,
  ]),
);

const ENVIRONMENT = {
  // Only then does nunjucks keep the position on its error (lineno, colno), and not just
  // in the message's text; it changes nothing else.
  dev: true,
  autoescape: true,
  throwOnUndefined: false,
  trimBlocks: true,
  lstripBlocks: true,
} as const;

/**
 * Polyfeed's own templates, compiled when the package is (`npm run compile` writes this
 * file with `precompileTemplates`): a process that renders them then skips nunjucks'
 * lexer, parser and compiler, 50 ms for every template, in each thread.
 */
const PRECOMPILED_FILE = join(PACKAGE_ROOT, 'lib', 'templates.precompiled.json');

interface PrecompiledFile {
  nunjucks: string;
  environment: typeof ENVIRONMENT;
  /**
   * By name: the template's text, and the JavaScript nunjucks made of it. The code names
   * its own file (for includes relative to it): compiled under PATH_MARK, that is replaced
   * by where the package is when it is used, so the file stays right when the package is
   * installed or moved elsewhere.
   */
  templates: Record<string, { source: string; code: string }>;
}

/** nunjucks' compiler, which its type definitions leave out. */
const compiler = (nunjucks as unknown as { compiler: NunjucksCompiler }).compiler;
interface NunjucksCompiler {
  compile(
    source: string,
    asyncFilters: string[],
    extensions: unknown[],
    name: string,
    options: typeof ENVIRONMENT,
  ): string;
}

function nunjucksVersion(): string {
  return (createRequire(import.meta.url)('nunjucks/package.json') as { version: string }).version;
}

/**
 * Writes PRECOMPILED_FILE: every `.njk` template of the package, compiled. (Into a file of
 * its own first: a build reading it meanwhile reads the last one whole, or none.) Left as
 * it is when that is what it holds: `polyfeed build` stamps Polyfeed's own files, and
 * `npm run build` compiles first, so a file written again would make it build again.
 */
export function writePrecompiledTemplates(): void {
  const text = precompileTemplates();
  if (existsSync(PRECOMPILED_FILE) && readFileSync(PRECOMPILED_FILE, 'utf8') === text) return;
  const next = `${PRECOMPILED_FILE}.${process.pid}`;
  writeFileSync(next, text);
  renameSync(next, PRECOMPILED_FILE);
}

const PATH_MARK = 'polyfeed-precompiled:';

function precompileTemplates(): string {
  const folder = join(PACKAGE_ROOT, 'templates');
  const templates: PrecompiledFile['templates'] = {};
  for (const file of (readdirSync(folder, { recursive: true }) as string[]).sort()) {
    if (!file.endsWith('.njk')) continue;
    const name = file.split('\\').join('/');
    const source = readFileSync(join(folder, file), 'utf8');
    const code = compiler.compile(source, [], [], `${PATH_MARK}${name}`, ENVIRONMENT);
    templates[name] = { source, code };
  }
  const file: PrecompiledFile = {
    nunjucks: nunjucksVersion(),
    environment: ENVIRONMENT,
    templates,
  };
  return JSON.stringify(file);
}

/** The compiled templates of PRECOMPILED_FILE, made into functions when first used. */
let precompiled: Map<string, { source: string; code: string; props?: object }>;

/**
 * What the loader found, with nunjucks' compiled form in place of the text when it is the
 * package's own template with the text PRECOMPILED_FILE was made from, by this nunjucks
 * with these options. Anything else (a site's own template, a package template edited
 * since) is compiled from its text as before.
 */
function withPrecompiled(name: string, found: LoaderSource | null): LoaderSource | null {
  precompiled ??= readPrecompiled();
  const entry = found && precompiled.get(name);
  const ours = found && found.path === resolve(PACKAGE_ROOT, 'templates', name);
  if (!entry || !ours || entry.source !== found.src) return found;
  // Its own path in place of the mark (the same path whenever it is used: see `ours`).
  entry.props ??= new Function(
    entry.code.split(JSON.stringify(`${PATH_MARK}${name}`)).join(JSON.stringify(found.path)),
  )() as object;
  const src = { type: 'code', obj: entry.props } as unknown as string;
  return { ...found, src };
}

function readPrecompiled(): typeof precompiled {
  try {
    const file = JSON.parse(readFileSync(PRECOMPILED_FILE, 'utf8')) as PrecompiledFile;
    const same =
      file.nunjucks === nunjucksVersion() &&
      JSON.stringify(file.environment) === JSON.stringify(ENVIRONMENT);
    return new Map(same ? Object.entries(file.templates) : []);
  } catch {
    return new Map();
  }
}

export function createTemplates(siteRoot: string): Templates {
  const folders = [...new Set([resolve(siteRoot, 'templates'), join(PACKAGE_ROOT, 'templates')])];
  const loader = new nunjucks.FileSystemLoader(folders, { noCache: false });
  // It returns null for a name it has no file for, which its type definitions leave out.
  const readSource = loader.getSource.bind(loader) as (name: string) => LoaderSource | null;
  loader.getSource = (name) => withPrecompiled(name, readSource(name)) as LoaderSource;
  const env = new nunjucks.Environment(loader, ENVIRONMENT);
  // JSON inside <script type="application/ld+json">: "<" escaped so no text can close the tag.
  env.addFilter(
    'jsonld',
    (value: unknown) =>
      new nunjucks.runtime.SafeString(JSON.stringify(value).replace(/</g, '\\u003c')),
  );
  const shown = (path: string) => {
    const fromSite = relative(resolve(siteRoot), path);
    return (
      fromSite.startsWith('..')
        ? `templates/${relative(join(PACKAGE_ROOT, 'templates'), path)}`
        : fromSite
    )
      .split('\\')
      .join('/');
  };
  return {
    render(name, context) {
      try {
        return env.render(name, context);
      } catch (error) {
        throw toTemplateError(error, name, shown);
      }
    },
    compile() {
      // Compiled now, a template is kept compiled for rendering. Left to be compiled when
      // first included, a broken partial made nunjucks throw outside any try (it reports an
      // include's compile error through a callback run later), which killed the process.
      const errors: TemplateError[] = [];
      const names = templateNames(folders, shown, errors);
      for (const name of names) {
        try {
          env.getTemplate(name, true);
        } catch (error) {
          errors.push(toTemplateError(error, name, shown, 'syntax'));
        }
      }
      return errors;
    },
    fingerprint() {
      const parts: string[] = [];
      for (const folder of folders) {
        if (!existsSync(folder)) continue;
        for (const name of (readdirSync(folder, { recursive: true }) as string[]).sort()) {
          const path = join(folder, name);
          // A link to no file is named: compile() reports it if it is a template.
          const info = fileBehind(path);
          if (info === undefined) parts.push(name, '');
          else if (info.isFile()) parts.push(name, readFileSync(path, 'utf8'));
        }
      }
      return digest(...parts);
    },
    raw(name) {
      const source = readSource(name);
      if (!source)
        throw new TemplateError(`template "${name}" not found`, 'render', `templates/${name}`);
      return { text: source.src, file: shown(source.path) };
    },
  };
}

/**
 * The templates' names (`partials/footer.njk`), sorted, each once. A name that leads to no
 * file (a link to nothing, or a loop of links) is reported: nunjucks would take the
 * package's template of that name instead without a word, or none.
 */
function templateNames(
  folders: readonly string[],
  shown: (path: string) => string,
  errors: TemplateError[],
): string[] {
  const names = new Set<string>();
  for (const folder of folders) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder, { recursive: true }) as string[]) {
      if (!name.endsWith('.njk')) continue;
      const path = join(folder, name);
      if (fileBehind(path)) names.add(name.split('\\').join('/'));
      else
        errors.push(
          new TemplateError(
            `is a link to ${readlinkSync(path)}, which leads to no file`,
            'link',
            shown(path),
          ),
        );
    }
  }
  return [...names].sort();
}

/** What a path leads to; undefined for a link to nothing or a loop of links. */
function fileBehind(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Where nunjucks says an error is: the position is on the error (with `dev: true`), the file
 * only in the message, `(path) [Line 3, Column 7]`, one such part per template the error
 * went through, outermost first. Syntax errors count from 1; errors while rendering count
 * from 0, and have no position when both are 0 (a missing filter or included template).
 */
function toTemplateError(
  error: unknown,
  name: string,
  shown: (path: string) => string,
  phase: 'syntax' | 'render' = 'render',
): TemplateError {
  const {
    message = String(error),
    lineno,
    colno,
  } = error as {
    message?: string;
    lineno?: number;
    colno?: number;
  };
  const paths = [...message.matchAll(/\(([^)\n]+)\)(?: \[Line \d+(?:, Column \d+)?\])?\n/g)];
  const innermost = paths.at(-1)?.[1];
  const path = innermost && innermost !== 'unknown path' ? shown(innermost) : `templates/${name}`;
  const reason =
    message
      .split('\n')
      .pop()
      ?.trim()
      .replace(/^Error: /, '') ?? message;
  const from = phase === 'syntax' ? 0 : 1;
  const known =
    typeof lineno === 'number' &&
    typeof colno === 'number' &&
    (phase === 'syntax' || lineno + colno > 0);
  return new TemplateError(
    reason,
    phase,
    path,
    known ? lineno + from : undefined,
    known ? colno + from : undefined,
  );
}
