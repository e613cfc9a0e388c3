/**
 * The lifecycle tools (../shared/tools: tf-lifecycle with real Terraform and
 * a fake OpenStack provider, heat-lifecycle with Heat's engine) for the
 * lifecycle suite. They exist in CI, not on every machine: the suite runs
 * when KUBEBAY_LIFECYCLE=1 (scripts/ci-lifecycle.sh sets it) and is skipped
 * otherwise, with one message saying why.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const TOOLS = path.resolve(process.env.KUBEBAY_TOOLS ?? path.join(__dirname, '..', '..', '..', 'shared', 'tools'));
export const ENABLED = process.env.KUBEBAY_LIFECYCLE === '1';

let told = false;
/** `describe`, or `describe.skip` with a message printed once per run. */
export function describeLifecycle(name: string, fn: () => void): void {
  if (ENABLED) {
    for (const t of ['tf-lifecycle', 'heat-lifecycle']) {
      if (!fs.existsSync(path.join(TOOLS, t))) throw new Error(`KUBEBAY_LIFECYCLE=1 but ${path.join(TOOLS, t)} is missing (set KUBEBAY_TOOLS)`);
    }
    describe(name, fn);
    return;
  }
  if (!told) {
    told = true;
    // stderr, not console.log: jest drops the console output of a file whose tests are all skipped.
    process.stderr.write('lifecycle tests skipped: they need Terraform and python3-heat with ../shared/tools; CI runs them (scripts/ci-lifecycle.sh sets KUBEBAY_LIFECYCLE=1)\n');
  }
  describe.skip(name, fn);
}

export interface TfPlan {
  readonly create: string[];
  readonly update: string[];
  readonly replace: string[];
  readonly delete: string[];
  readonly error?: boolean;
}

export interface TfRun {
  readonly status: number;
  readonly plan: TfPlan;
  readonly apply?: string;
  readonly diagnostics: { severity: string; summary: string; detail?: string }[];
}

/** `tf-lifecycle COMMAND DIR --work WORK ...args`; `env` adds variables (e.g. TF_CLI_ARGS_plan for -replace). */
export function tfLifecycle(command: 'apply' | 'plan', dir: string, work: string, args: string[] = [], env: Record<string, string> = {}): TfRun {
  const r = spawnSync(path.join(TOOLS, 'tf-lifecycle'), [command, dir, '--work', work, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  let j: any;
  try {
    j = JSON.parse(r.stdout);
  } catch {
    throw new Error(`tf-lifecycle ${command}: no JSON (exit ${r.status}): ${r.stderr}`);
  }
  return { status: r.status ?? 1, plan: j.plan, apply: j.apply, diagnostics: j.diagnostics ?? [] };
}

/** One step of heat-lifecycle's output. */
export interface HeatStep {
  readonly step: number;
  readonly action: string;
  readonly stack_status: string;
  readonly counts: Record<string, number>;
  readonly created: string[];
  readonly updated: string[];
  readonly replaced: string[];
  readonly deleted: string[];
  readonly groups: Record<string, { members: string[]; added?: string[]; removed?: string[]; members_with_replaced_resources?: string[] }>;
  readonly errors?: string[];
  /** Wall-clock seconds of the step. */
  readonly seconds: number;
}

/** heat-lifecycle on a HOT set: create, then `steps` (`--update k=v`, `--no-change`) in one run; every step's JSON. */
export function heatLifecycle(hotDir: string, steps: string[][]): { status: number; steps: HeatStep[]; stderr: string } {
  const args = ['-e', 'environment.yaml', '-e', 'secrets.env.yaml', 'kubecluster.yaml', '--compact', '-q', ...steps.flat()];
  const r = spawnSync(path.join(TOOLS, 'heat-lifecycle'), args, { cwd: hotDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as HeatStep);
  return { status: r.status ?? 1, steps: out, stderr: r.stderr };
}

/** Counts of a plan, for messages and the report. */
export function planCounts(p: TfPlan): string {
  return `create ${p.create.length}, update ${p.update.length}, replace ${p.replace.length}, delete ${p.delete.length}`;
}
