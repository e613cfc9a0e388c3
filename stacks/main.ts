/**
 * The main job: synthesize the example bay to both targets from one
 * construct tree — Terraform JSON in cdktf.out/stacks/example/ and a HOT
 * template set in out/hot/example/. Nothing is written unless both succeed.
 */
import * as path from 'node:path';
import { KubernetesBay, KubernetesBayProps, Warning } from '../lib';
import { stackIdFor } from '../lib/bay/validate';
import { synthesizeBayOutputs } from '../lib/synth/bay-outputs';
import { EXAMPLE_BAY } from './example';

export interface MainOptions {
  /** @default 'cdktf.out' */
  readonly tfOutdir?: string;
  /** @default 'out/hot' */
  readonly hotOutdir?: string;
}

export interface SynthesizeBayResult {
  /** Directory of the Terraform stack (`<tfOutdir>/stacks/<id>`). */
  readonly tfDir: string;
  /** Directory of the HOT template set (`<hotOutdir>/<bay name>`). */
  readonly hotDir: string;
  readonly warnings: readonly Warning[];
}

/**
 * Synthesizes one bay to both formats from one construct tree (stack and
 * bay id: the bay's name, else 'bay'). Props are validated and the whole tree
 * is checked before anything is written; both output directories are staged
 * and replaced together, so a failure leaves the previous outputs as they
 * were (the only disk change before validation is an empty staging dir for
 * cdktf's App, removed again on error).
 */
export function synthesizeBay(props: KubernetesBayProps, options: MainOptions = {}): SynthesizeBayResult {
  // The id reaches cdktf and constructs before the bay validates the name: an invalid name gets the bay's message.
  const id = stackIdFor(props?.name);
  const out = synthesizeBayOutputs((scope) => new KubernetesBay(scope, id, props), {
    id,
    tfOutdir: options.tfOutdir ?? 'cdktf.out',
    hotOutdir: options.hotOutdir ?? 'out/hot',
  });
  return { tfDir: out.terraform!.dir, hotDir: out.hot!.dir, warnings: out.warnings };
}

export function main(options: MainOptions = {}): { tfDir: string; hotDir: string } {
  const { tfDir, hotDir, warnings } = synthesizeBay(EXAMPLE_BAY, options);
  for (const w of warnings) console.warn(`warning: ${w.path}: ${w.message}`);
  return { tfDir, hotDir };
}

if (require.main === module) {
  const { tfDir, hotDir } = main();
  console.log(`Terraform: ${path.relative(process.cwd(), tfDir)}/cdk.tf.json`);
  console.log(`HOT:       ${path.relative(process.cwd(), hotDir)}/kubecluster.yaml (+ kubemaster.yaml, kubeminion.yaml, environment.yaml, secrets.env.yaml)`);
}
