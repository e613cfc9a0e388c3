/**
 * One benchmark case, run in a fresh process by bench/run.ts:
 *
 *   node dist/bench/case.js prep    --pki DIR [--bays N]          # warm PKI store (not timed)
 *   node dist/bench/case.js trivial --out DIR [--resources N --variables N --outputs N]  # bare cdktf app, N openstack_networking_network_v2 (1)
 *   node dist/bench/case.js bay     --out DIR --pki DIR [--bays N] [--masters N] [--minions N] [--series] [--writer direct|cdktf]
 *   node dist/bench/case.js pki     --pki EMPTY_DIR [--key-size 2048|4096]   # cold PkiStore.loadOrCreate
 *
 * Prints one JSON line (a {@link CaseResult}) on stdout. Modules are loaded
 * with `require` after the process clock is read, so `importMs` (process
 * start → modules loaded) and `synthMs` (hrtime around the synthesis only)
 * are separate. The bay case writes Terraform as the CLI does (the direct
 * writer when the build has one; `--writer cdktf`: a cdktf App, as a bay in
 * the user's own TerraformStack). For profiling: `node --cpu-prof dist/bench/case.js bay ...`.
 */
const processStartToMain = performance.now(); // ms since the process' time origin (before any module below)

import type * as Lib from '../lib';
import type * as Cdktf from 'cdktf';

export type CaseName = 'prep' | 'trivial' | 'bay' | 'pki';

export interface CaseResult {
  readonly case: CaseName;
  /** Process time origin → first line of this script (node boot). */
  readonly bootMs: number;
  /** Process time origin → every module of the case loaded. */
  readonly importMs: number;
  /** hrtime around the synthesis (or the PKI generation) alone. */
  readonly synthMs: number;
  /** Process time origin → end of the case. */
  readonly totalMs: number;
  /** Peak resident set size of the process, KiB (`process.resourceUsage().maxRSS`). */
  readonly maxRssKiB: number;
  /** Parts of `synthMs`, in order (ms). */
  readonly phases: Record<string, number>;
  /** The bay case: what wrote the Terraform JSON. */
  readonly writer?: 'direct' | 'cdktf';
}

/** Props shared by every bay of the flatness series, so that only the count defaults differ between runs. */
export const SERIES_PROPS = {
  // Room for 1005 nodes: a /22 node network and a /14 pod network (a /24 per node).
  fixedNetworkCidr: '10.0.0.0/22',
  podNetworkCidr: '10.64.0.0/14',
} as const;

/** Name of the i-th bay of a multi-bay app. */
export function bayName(i: number): string {
  return i === 0 ? 'example' : `example-${i + 1}`;
}

function args(argv: string[]): { name: CaseName; opts: Record<string, string> } {
  const [name, ...rest] = argv;
  const opts: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    if (i + 1 < rest.length && !rest[i + 1].startsWith('--')) opts[a.slice(2)] = rest[++i];
    else opts[a.slice(2)] = 'true';
  }
  if (!['prep', 'trivial', 'bay', 'pki'].includes(name)) throw new Error(`unknown case ${name}: prep | trivial | bay | pki`);
  return { name: name as CaseName, opts };
}

function need(opts: Record<string, string>, key: string): string {
  const v = opts[key];
  if (!v) throw new Error(`--${key} is required`);
  return v;
}

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Times consecutive phases: `lap('name')` ends the current phase. */
function stopwatch(): { phases: Record<string, number>; lap: (name: string) => void; total: () => number } {
  const phases: Record<string, number> = {};
  const start = process.hrtime.bigint();
  let last = start;
  return {
    phases,
    lap: (name) => {
      const now = process.hrtime.bigint();
      phases[name] = (phases[name] ?? 0) + Number(now - last) / 1e6;
      last = now;
    },
    total: () => Number(last - start) / 1e6,
  };
}

/** A one-stack tree the bay case builds its bays in, and what writes its Terraform JSON. */
interface BenchApp {
  readonly root: Cdktf.App | import('constructs').Construct;
  readonly stack: import('constructs').Construct;
  synth(): void;
}

/** The direct Terraform writer (lib/synth/terraform/json, what the CLI and synthesizeBay use), when this build has it. */
const DIRECT_WRITER = '../lib/synth/terraform/json/app';

function hasDirectWriter(): boolean {
  try {
    require.resolve(DIRECT_WRITER);
    return true;
  } catch {
    return false;
  }
}

/** `--writer direct|cdktf`; by default the CLI's: the direct writer when this build has one. */
function terraformWriter(opt: string | undefined): 'direct' | 'cdktf' {
  if (opt !== undefined && opt !== 'direct' && opt !== 'cdktf') throw new Error(`--writer ${opt}: direct | cdktf`);
  if (opt === 'direct' && !hasDirectWriter()) throw new Error('--writer direct: this build has no lib/synth/terraform/json');
  return (opt as 'direct' | 'cdktf' | undefined) ?? (hasDirectWriter() ? 'direct' : 'cdktf');
}

function directApp(outdir: string): BenchApp {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { directTerraformApp } = require(DIRECT_WRITER) as { directTerraformApp: (outdir: string, stack: string) => BenchApp };
  return directTerraformApp(outdir, 'example');
}

function cdktfApp(cdktf: typeof Cdktf, outdir: string): BenchApp {
  const app = new cdktf.App({ outdir });
  const stack = new cdktf.TerraformStack(app, 'example');
  return { root: app, stack, synth: () => app.synth() };
}

function main(): void {
  const { name, opts } = args(process.argv.slice(2));
  let importMs: number;
  let synthMs: number;
  let phases: Record<string, number> = {};
  let usedWriter: 'direct' | 'cdktf' | undefined;

  switch (name) {
    case 'trivial': {
      // A bare cdktf app as `cdktf init` would write it, with the same generated bindings;
      // --resources/--variables/--outputs make a reference of a given size (default: one resource).
      const { App, TerraformOutput, TerraformStack, TerraformVariable } = require('cdktf') as typeof Cdktf;
      const openstack = require('../.gen/providers/openstack') as typeof import('../.gen/providers/openstack');
      importMs = performance.now();
      const outdir = (require('node:path') as typeof import('node:path')).resolve(need(opts, 'out'), 'tf');
      (require('node:fs') as typeof import('node:fs')).mkdirSync(outdir, { recursive: true });
      const sw = stopwatch();
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'trivial');
      new openstack.provider.OpenstackProvider(stack, 'openstack', {});
      const resources = Number(opts.resources ?? 1);
      const networks: Cdktf.TerraformResource[] = [];
      for (let i = 0; i < resources; i++) {
        const id = i === 0 ? 'network' : `network${i}`;
        networks.push(new openstack.networkingNetworkV2.NetworkingNetworkV2(stack, id, { name: `trivial-${i}`, adminStateUp: true }));
      }
      for (let i = 0; i < Number(opts.variables ?? 0); i++) {
        new TerraformVariable(stack, `variable${i}`, { type: 'string', default: `value-${i}`, description: `variable ${i}`, nullable: false });
      }
      for (let i = 0; i < Number(opts.outputs ?? 0); i++) {
        new TerraformOutput(stack, `output${i}`, { value: (networks[i % networks.length] as { id?: string }).id, description: `output ${i}` });
      }
      sw.lap('construct');
      app.synth();
      sw.lap('terraform');
      synthMs = sw.total();
      phases = sw.phases;
      break;
    }

    case 'bay': {
      // What stacks/main.ts (synthesizeBay) does, with N bays and the counts given.
      const path = require('node:path') as typeof import('node:path');
      const writer = terraformWriter(opts.writer);
      const cdktf = writer === 'cdktf' ? (require('cdktf') as typeof Cdktf) : undefined;
      const lib = require('../lib') as typeof Lib;
      const { replaceDirs } = require('../lib/synth/outdir') as typeof import('../lib/synth/outdir');
      const { EXAMPLE_BAY } = require('../stacks/example') as typeof import('../stacks/example');
      importMs = performance.now();
      const out = path.resolve(need(opts, 'out'));
      const pkiDir = path.resolve(need(opts, 'pki'));
      const bays = Number(opts.bays ?? 1);
      const counts = {
        ...(opts.masters ? { masterCount: Number(opts.masters) } : {}),
        ...(opts.minions ? { minionCount: Number(opts.minions) } : {}),
        ...(opts.series ? SERIES_PROPS : {}),
      };
      usedWriter = writer;
      const sw = stopwatch();
      replaceDirs((stage) => {
        const app = cdktf ? cdktfApp(cdktf, stage(path.join(out, 'tf'))) : directApp(stage(path.join(out, 'tf')));
        const created: Lib.KubernetesBay[] = [];
        for (let i = 0; i < bays; i++) {
          created.push(new lib.KubernetesBay(app.stack, bayName(i), { ...EXAMPLE_BAY, ...counts, name: bayName(i), pkiDir }));
        }
        sw.lap('construct');
        lib.assertValid(app.root);
        sw.lap('validate');
        const hot = created.map((b) => lib.synthesizeBayHot(b));
        sw.lap('hot');
        app.synth();
        sw.lap('terraform');
        hot.forEach((h, i) => lib.writeStagedFiles(stage(path.join(out, 'hot', created[i].config.name)), h.files));
        lib.collectWarnings(app.root);
        sw.lap('write');
      });
      sw.lap('write');
      synthMs = sw.total();
      phases = sw.phases;
      break;
    }

    case 'pki':
    case 'prep': {
      const fs = require('node:fs') as typeof import('node:fs');
      const path = require('node:path') as typeof import('node:path');
      const { PkiStore } = require('../lib/pki') as typeof import('../lib/pki');
      importMs = performance.now();
      const root = path.resolve(need(opts, 'pki'));
      if (name === 'pki') {
        if (fs.existsSync(root) && fs.readdirSync(root).length) throw new Error(`${root} is not empty: the cold case needs an empty PKI dir`);
        const keySize = Number(opts['key-size'] ?? 2048) as 2048 | 4096;
        const t0 = process.hrtime.bigint();
        new PkiStore(root).loadOrCreate('example', { keySize });
        synthMs = ms(t0);
      } else {
        // Generate one bay's material and copy it for the others (identical material is fine for timing).
        const t0 = process.hrtime.bigint();
        const store = new PkiStore(root);
        // The bays are the example bay: created as it is (its record says how its API is addressed).
        const { EXAMPLE_BAY } = require('../stacks/example') as typeof import('../stacks/example');
        const created = { fixedApiVip: EXAMPLE_BAY.fixedApiVip };
        store.loadOrCreate(bayName(0), created);
        for (let i = 1; i < Number(opts.bays ?? 1); i++) {
          const dir = store.dir(bayName(i));
          if (fs.existsSync(dir)) continue;
          fs.cpSync(store.dir(bayName(0)), dir, { recursive: true });
          fs.chmodSync(dir, 0o700);
          for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o600);
          store.loadOrCreate(bayName(i), created); // checks the copy
        }
        synthMs = ms(t0);
      }
      break;
    }
  }

  const result: CaseResult = {
    case: name,
    bootMs: processStartToMain,
    importMs,
    synthMs,
    totalMs: performance.now(),
    maxRssKiB: process.resourceUsage().maxRSS,
    phases,
    ...(usedWriter ? { writer: usedWriter } : {}),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (require.main === module) main();
