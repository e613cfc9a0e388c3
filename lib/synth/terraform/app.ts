/**
 * A cdktf App holding one TerraformStack, for tools (the CLI) that build a
 * bay into a Terraform tree: they get constructs and a `synth()` and never
 * import cdktf themselves, so that cdktf stays inside this folder.
 */
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

export interface TerraformApp {
  /** The root of the tree (validate it and collect its warnings). */
  readonly root: Construct;
  /** The stack to build bays into. */
  readonly stack: Construct;
  /** Absolute directory of the stack's `cdk.tf.json` (`<outdir>/stacks/<stackName>`). */
  readonly stackDir: string;
  /** Writes `cdk.tf.json` and cdktf's `manifest.json` below the outdir. */
  synth(): void;
}

/** A cdktf App writing into `outdir` with one stack named `stackName`. */
export function terraformApp(outdir: string, stackName: string): TerraformApp {
  const app = new App({ outdir: path.resolve(outdir) });
  const stack = new TerraformStack(app, stackName);
  return {
    root: app,
    stack,
    stackDir: path.join(app.outdir, 'stacks', stackName),
    synth: () => app.synth(),
  };
}
