/**
 * One bay, built once, written to Terraform JSON and/or a HOT template set:
 * the path shared by the example app (`stacks/main.ts`) and `kubebay synth`.
 * The tree is validated before anything is written, and the output
 * directories are staged and replaced together (or not at all).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import type { KubernetesBay } from '../bay/kubernetes-bay';
import { collectWarnings, Warning } from '../core/annotations';
import { writeFiles } from '../core/files';
import { assertValid } from '../core/validation';
import { HotSynthesis, synthesizeBayHot } from './hot/hot-stack';
import { replaceDirs } from './outdir';
import { terraformApp } from './terraform/app';

export interface BayOutputsOptions {
  /** Id of the Terraform stack (and of the bay construct). */
  readonly id: string;
  /** cdktf output directory (the stack lands in `<tfOutdir>/stacks/<id>`). @default - no Terraform output */
  readonly tfOutdir?: string;
  /** Parent of the HOT template set (it lands in `<hotOutdir>/<bay name>`). @default - no HOT output */
  readonly hotOutdir?: string;
  /** Write hidden parameter values into `stack-create.json` (mode 0600). @default false */
  readonly includeSecrets?: boolean;
}

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
  return replaceDirs((stage) => {
    const tfOutdir = options.tfOutdir === undefined ? undefined : path.resolve(options.tfOutdir);
    const app = tfOutdir === undefined ? undefined : terraformApp(stage(tfOutdir), options.id);
    const root = app?.root ?? new Construct(undefined as unknown as Construct, 'kubebay');
    const bay = build(app?.stack ?? root, root);
    assertValid(root);
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
      writeFiles(stage(dir), hot.files);
      hotOut = { dir, synthesis: hot };
    }
    return { bay, terraform, hot: hotOut, warnings: collectWarnings(root) };
  });
}
