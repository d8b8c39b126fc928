/**
 * Planning, the stage between the model and rendering. Every output lists the files it
 * writes, each with a key of what its bytes depend on; a file whose key is the one it was
 * last rendered with is not rendered again. What the last build made of each file comes in
 * through `previous`, which whoever keeps it supplies (engine/); planning only compares.
 */
import { type Diagnostic, FileReport } from '../diagnostics.js';
import { digest } from '../digest.js';
import type { Site } from '../model/model.js';
import { VERSION } from '../paths.js';
import type { Output, OutputJob, RenderContext } from '../render/output.js';
import { outputs } from '../render/outputs.js';

/** What the last build made of a file, as far as planning is concerned. */
export interface PreviousFile {
  key: string;
  /** See OutputKeys: what all of its output's files depend on, when keys are kept apart. */
  scope?: string;
}

/** A file to render, and the key it will be known by. */
export interface Pending {
  output: string;
  job: OutputJob;
  key: string;
  scope?: string;
}

/** A file whose key did not change since the last build. */
export interface Unchanged<P extends PreviousFile> {
  path: string;
  previous: P;
  group?: string;
  feed: boolean;
}

export interface Plan<P extends PreviousFile = PreviousFile> {
  pending: Pending[];
  unchanged: Unchanged<P>[];
  /** Every path planned, rendered or not. */
  planned: Set<string>;
  feedPaths: Set<string>;
}

/** What every file depends on, and what pages depend on besides. */
export interface OutputKeys {
  /** Polyfeed's version, the config, the UI strings, the logo and icon. */
  shared: string;
  /** `shared`, the templates and the stylesheet: feeds do not use them. */
  forPages: string;
}

export interface PlanOptions<P extends PreviousFile> {
  keys: OutputKeys;
  /**
   * Compare keys as they are, each beside its output's scope, instead of hashing them with
   * it: where they are kept in memory (the dev server), joining or hashing cost more.
   */
  keysApart: boolean;
  /** The last build's files that this build plans again, by path. */
  previous?: ReadonlyMap<string, P>;
  /** Files an incremental rebuild keeps without planning them (another output's, if planned). */
  isKept?(path: string): boolean;
  onPhase?(phase: string): void;
}

export function outputKeys(
  site: Site,
  localesKey: string,
  templatesKey: string,
  stylesheet: string,
): OutputKeys {
  const shared = digest(
    VERSION,
    JSON.stringify(site.config),
    localesKey,
    JSON.stringify([site.logo, site.icon]),
  );
  return { shared, forPages: digest(shared, templatesKey, stylesheet) };
}

export function planOutputs<P extends PreviousFile>(
  site: Site,
  context: RenderContext,
  options: PlanOptions<P>,
): Plan<P> {
  const plan: Plan<P> = { pending: [], unchanged: [], planned: new Set(), feedPaths: new Set() };
  for (const [i, output] of outputs.entries()) {
    options.onPhase?.(`planning ${output.name} (${i + 1}/${outputs.length})`);
    planOutput(output, site, context, options, plan);
  }
  return plan;
}

function planOutput<P extends PreviousFile>(
  output: Output,
  site: Site,
  context: RenderContext,
  options: PlanOptions<P>,
  plan: Plan<P>,
): void {
  const base = output.usesTemplates ? options.keys.forPages : options.keys.shared;
  const scope = options.keysApart ? `${base}\u0000${output.name}` : undefined;
  for (const job of output.plan(site, context)) {
    // Two outputs writing one path is a bug in an output module, not a user mistake.
    if (plan.planned.has(job.path) || options.isKept?.(job.path))
      throw new Error(`two outputs write ${job.path}`);
    plan.planned.add(job.path);
    if (output.feeds) plan.feedPaths.add(job.path);
    const key = scope ? job.key : digest(base, output.name, job.key);
    const previous = options.previous?.get(job.path);
    if (previous?.key === key && previous.scope === scope)
      plan.unchanged.push({ path: job.path, previous, group: job.group, feed: output.feeds });
    else plan.pending.push({ output: output.name, job, key, scope });
  }
}

/** The asset paths join the plan; one an output writes too is a bug. */
export function planAssets(plan: Plan, site: Site, isKept?: (path: string) => boolean): void {
  for (const asset of site.assets) {
    if (plan.planned.has(asset.path) || isKept?.(asset.path))
      throw new Error(`two outputs write ${asset.path}`);
    plan.planned.add(asset.path);
  }
}

/** An error for each UI key a template asked for and no locale has. */
export function reportUnknownKeys(keys: ReadonlySet<string>, diagnostics: Diagnostic[]): void {
  for (const key of [...keys].sort()) {
    new FileReport('templates', diagnostics).error(
      'i18n/unknown-key',
      `a template uses the key "${key}", which no locale file has`,
    );
  }
}
