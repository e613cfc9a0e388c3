/**
 * `kubebay synth`: one bay from a config file to Terraform JSON
 * (`<out>/terraform`, cdktf layout) and/or a HOT template set
 * (`<out>/hot/<bay>/`). Each directory is replaced whole, and only when
 * everything succeeded: on any error nothing is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stackIdFor } from '../../bay/validate';
import { PkiStore } from '../../pki';
import { synthesizeBayOutputs } from '../../app/bay-outputs';
import { assertSafeOutputDir } from '../../synth/outdir';
import { buildBay, located } from '../bay';
import { loadConfig } from '../config';
import { CliIo, shownPath, UsageError } from '../io';
import { checkOutputDir } from '../paths';

/** `--target`: which formats to write. */
export type TargetOption = 'hot' | 'terraform' | 'all';

export interface SynthOptions {
  readonly config: string;
  readonly target: TargetOption;
  readonly out: string;
  /** Write hidden parameter values into stack-create.json (mode 0600). */
  readonly includeSecrets?: boolean;
}

export async function synthCommand(opts: SynthOptions, io: CliIo): Promise<number> {
  if (opts.includeSecrets && opts.target === 'terraform') {
    throw new UsageError('--include-secrets concerns the HOT payload stack-create.json; use it with --target hot or all');
  }
  assertSafeOutputDir(opts.out, '--out directory');
  const config = loadConfig(opts.config);
  checkOutputDir('--out', opts.out);
  const name = config.props.name;
  process.env.CHECKPOINT_DISABLE = '1';
  const out = path.resolve(opts.out);
  assertNoOverlap(out, new PkiStore(config.props.pkiDir));
  const tfDir = path.join(out, 'terraform');
  const hotDir = path.join(out, 'hot', name);
  const wantHot = opts.target !== 'terraform';

  // Directories this run may create (the output dir and its missing parents, DIR/hot): removed again if left empty by an error.
  const created = [...missingDirs(out), path.dirname(hotDir)].filter((d) => !fs.existsSync(d));
  // cdktf checks stack ids before the bay validates its name: a bad name gets the bay's message, not cdktf's.
  const stackId = stackIdFor(name);
  const result = withoutTrace(created, () =>
    located(config, () =>
      synthesizeBayOutputs((scope, root) => buildBay(config, scope, root, io), {
        id: stackId,
        tfOutdir: opts.target === 'hot' ? undefined : tfDir,
        hotOutdir: wantHot ? path.dirname(hotDir) : undefined,
        includeSecrets: opts.includeSecrets,
      }),
    ),
  );
  printSummary(io, `kubebay: synthesized bay "${name}" from ${shownPath(config.file)}`, result, hotDir);
  return 0;
}

/** The summary on stdout: the files of each format, what they hold, and the warnings. */
function printSummary(io: CliIo, title: string, result: ReturnType<typeof synthesizeBayOutputs>, hotDir: string): void {
  const w = (s: string) => io.stdout.write(`${s}\n`);
  w(title);
  if (result.terraform) {
    const c = tfCounts(result.terraform.json);
    w(`  terraform  ${shownPath(path.join(result.terraform.dir, 'cdk.tf.json'))}`);
    w(`             ${[plural(c.resource, 'resource'), plural(c.data, 'data source'), plural(c.variable, 'variable'), plural(c.output, 'output')].join(', ')}`);
  }
  const hot = result.hot?.synthesis;
  if (hot) {
    w(`  hot        ${shownPath(hotDir)}${path.sep}`);
    for (const f of hot.files) {
      const doc = hot.set.templates.get(f.path) as { resources?: Record<string, unknown> } | undefined;
      const notes: string[] = [];
      if (doc) {
        const n = Object.keys(doc.resources ?? {}).length;
        notes.push(f.path === hot.set.rootTemplate ? `root template, ${plural(n, 'resource')}` : `nested template, ${plural(n, 'resource')} per node`);
      }
      if (f.mode === 0o600) notes.push('mode 0600, secret');
      w(`             ${f.path}${notes.length ? `  (${notes.join('; ')})` : ''}`);
    }
  }
  const warnings = [...result.bay.pki.warnings, ...result.warnings.map((x) => `${x.path}: ${x.message}`)];
  if (warnings.length) {
    w(`warnings (${warnings.length}):`);
    for (const x of warnings) w(`  ${x}`);
  }
}

function tfCounts(json: Record<string, any>): Record<string, number> {
  const blocks = (section: unknown) =>
    Object.values((section ?? {}) as Record<string, Record<string, unknown>>).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return {
    resource: blocks(json.resource),
    data: blocks(json.data),
    variable: Object.keys(json.variable ?? {}).length,
    output: Object.keys(json.output ?? {}).length,
  };
}

/** `dir` and its ancestors that do not exist yet, outermost first. */
function missingDirs(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; !fs.existsSync(d) && d !== path.dirname(d); d = path.dirname(d)) out.unshift(d);
  return out;
}

/** Runs `fn`; on error removes the directories of `created` (outermost first) that staging left empty, deepest first. */
function withoutTrace<T>(created: readonly string[], fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    for (const d of [...created].reverse()) {
      try {
        fs.rmdirSync(d); // only if empty
      } catch {
        // not empty, or already gone
      }
    }
    throw e;
  }
}

/** The output tree and the PKI store (or the bay records) must not contain each other: checked before anything is built. */
function assertNoOverlap(out: string, store: PkiStore): void {
  const inside = (a: string, b: string) => a === b || a.startsWith(b + path.sep);
  for (const [what, dir] of [['pkiDir', store.rootDir], ['the bay records', store.recordDir]] as const) {
    if (inside(dir, out) || inside(out, dir)) {
      throw new UsageError(`${what} ${shownPath(dir)} and --out ${shownPath(out)} overlap; keep the PKI store outside the output tree (e.g. --out out, pkiDir .kubebay/pki)`);
    }
  }
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
