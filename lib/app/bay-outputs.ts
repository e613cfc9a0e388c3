/**
 * One bay, built once, written to Terraform JSON and/or a HOT template set:
 * the path shared by the example app (`stacks/main.ts`) and `kubebay synth`.
 * The tree is validated before anything is written, and the output
 * directories are staged and replaced together (or not at all).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { KubernetesBay } from '../bay/kubernetes-bay';
import type { KubernetesBayProps } from '../bay/props';
import { stackIdFor } from '../bay/validate';
import { collectWarnings, Warning } from '../core/annotations';
import { writeStagedFiles } from '../core/files';
import { assertValid } from '../core/validation';
import { synthesizeBayHot } from '../synth/hot/hot-stack';
import type { HotSynthesis } from '../synth/hot/synthesizer';
import { PkiStore, pkiSession } from '../pki';
import { replaceDirs } from '../synth/outdir';
import type { TerraformApp } from '../synth/terraform/app';
import { FileError } from '../core/errors';

export interface BayOutputsOptions {
  /** Id of the Terraform stack (and of the bay construct). */
  readonly id: string;
  /** cdktf output directory (the stack lands in `<tfOutdir>/stacks/<id>`). @default - no Terraform output */
  readonly tfOutdir?: string;
  /** Parent of the HOT template set (it lands in `<hotOutdir>/<bay name>`). @default - no HOT output */
  readonly hotOutdir?: string;
  /** Write hidden parameter values into `stack-create.json` (mode 0600). @default false */
  readonly includeSecrets?: boolean;
  /**
   * What writes the Terraform output: kubebay's direct writer (the same
   * bytes as cdktf, without loading cdktf), or a cdktf App (needed when the
   * bay refers to cdktf constructs, e.g. its `provider` prop).
   * @default 'direct'
   */
  readonly terraformWriter?: TerraformWriter;
}

/** See {@link BayOutputsOptions.terraformWriter}. */
export type TerraformWriter = 'direct' | 'cdktf';

export interface BayOutputs {
  readonly bay: KubernetesBay;
  /** The Terraform stack's directory and its parsed `cdk.tf.json`. */
  readonly terraform?: { readonly dir: string; readonly json: any };
  /** The HOT set's directory and synthesis. */
  readonly hot?: { readonly dir: string; readonly synthesis: HotSynthesis };
  readonly warnings: readonly Warning[];
}

/**
 * Builds the bay with `build(scope, root)` — inside a TerraformStack when
 * Terraform output is wanted — and writes the requested formats.
 */
export function synthesizeBayOutputs(build: (scope: Construct, root: Construct) => KubernetesBay, options: BayOutputsOptions): BayOutputs {
  // One PKI session: the bay's store stays locked until the outputs are in place, and a store this run created goes if it fails.
  return pkiSession(() => replaceDirs((stage) => {
    const tfOutdir = options.tfOutdir === undefined ? undefined : path.resolve(options.tfOutdir);
    const app = tfOutdir === undefined ? undefined : terraformApp(stage(tfOutdir), options.id, options.terraformWriter ?? 'direct');
    const root = app?.root ?? new Construct(undefined as unknown as Construct, 'kubebay');
    const bay = build(app?.stack ?? root, root);
    assertValid(root);
    assertStoreOutside(bay, [options.tfOutdir, options.hotOutdir && path.join(options.hotOutdir, bay.config.name)]);
    const hot = options.hotOutdir === undefined ? undefined : synthesizeBayHot(bay, { includeSecrets: options.includeSecrets });
    let terraform: BayOutputs['terraform'];
    if (app && tfOutdir) {
      app.synth();
      const json = JSON.parse(fs.readFileSync(path.join(app.stackDir, 'cdk.tf.json'), 'utf8'));
      terraform = { dir: path.join(tfOutdir, 'stacks', options.id), json };
    }
    let hotOut: BayOutputs['hot'];
    if (hot && options.hotOutdir !== undefined) {
      // The bay validated its name: it is safe in a path from here on.
      const dir = path.join(path.resolve(options.hotOutdir), bay.config.name);
      writeStagedFiles(stage(dir), hot.files);
      hotOut = { dir, synthesis: hot };
    }
    return { bay, terraform, hot: hotOut, warnings: collectWarnings(root) };
  }));
}

/**
 * Throws if the bay's PKI store or its record directory and an output
 * directory overlap: replacing the outputs would delete the store (and the
 * next synth would make a new CA), or the outputs would land in the store.
 */
function assertStoreOutside(bay: KubernetesBay, outdirs: readonly (string | undefined)[]): void {
  const store = new PkiStore(bay.config.pkiDir);
  const inside = (a: string, b: string) => a === b || a.startsWith(b + path.sep);
  for (const out of outdirs) {
    if (out === undefined) continue;
    const o = path.resolve(out);
    for (const [what, dir] of [['pkiDir', store.rootDir], ['the bay records', store.recordDir]] as const) {
      if (inside(dir, o) || inside(o, dir)) {
        throw new FileError(`${what} ${dir} and the output directory ${o} overlap: every synth replaces the outputs. Keep the PKI store outside the output tree`);
      }
    }
  }
}

/** Where `synthesizeBay` writes. */
export interface SynthesizeBayOptions {
  /** cdktf output directory; the stack lands in `<tfOutdir>/stacks/<id>`. @default 'cdktf.out' */
  readonly tfOutdir?: string;
  /** Parent of the HOT template set, which lands in `<hotOutdir>/<bay name>`. @default 'out/hot' */
  readonly hotOutdir?: string;
  /** Write hidden parameter values into `stack-create.json` (mode 0600). @default false */
  readonly includeSecrets?: boolean;
}

/** What `synthesizeBay` wrote. */
export interface SynthesizeBayResult {
  /** Directory of the Terraform stack (`<tfOutdir>/stacks/<id>`). */
  readonly tfDir: string;
  /** Directory of the HOT template set (`<hotOutdir>/<bay name>`). */
  readonly hotDir: string;
  readonly warnings: readonly Warning[];
}

/**
 * Synthesizes one bay to both formats from one construct tree (stack and
 * bay id: `stackIdFor(props.name)`). Props are validated and the whole tree
 * is checked before anything is written; both output directories are staged
 * and replaced together, so a failure leaves the previous outputs as they
 * were.
 */
export function synthesizeBay(props: KubernetesBayProps, options: SynthesizeBayOptions = {}): SynthesizeBayResult {
  // The id reaches cdktf and constructs before the bay validates the name: an invalid name gets the bay's message.
  const id = stackIdFor(props?.name);
  const out = synthesizeBayOutputs((scope) => new KubernetesBay(scope, id, props), {
    id,
    tfOutdir: options.tfOutdir ?? 'cdktf.out',
    hotOutdir: options.hotOutdir ?? 'out/hot',
    includeSecrets: options.includeSecrets,
    // The provider prop is a cdktf construct: only a cdktf App renders it.
    terraformWriter: props?.provider ? 'cdktf' : 'direct',
  });
  return { tfDir: out.terraform!.dir, hotDir: out.hot!.dir, warnings: out.warnings };
}

/** A one-stack Terraform tree; its writer is loaded only when Terraform output is asked for (and cdktf only for 'cdktf'). */
function terraformApp(outdir: string, stackName: string, writer: TerraformWriter): TerraformApp {
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (writer === 'direct') return (require('../synth/terraform/json/app') as typeof import('../synth/terraform/json/app')).directTerraformApp(outdir, stackName);
  return (require('../synth/terraform/app') as typeof import('../synth/terraform/app')).terraformApp(outdir, stackName);
  /* eslint-enable @typescript-eslint/no-require-imports */
}
