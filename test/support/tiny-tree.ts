/**
 * A tiny tree for testing one construct on its own, in both formats: `build`
 * runs twice, once in a `HotStack` (synthesized to HOT, in memory) and
 * once in a cdktf `TerraformStack` (synthesized in memory), validations on.
 */
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { attachTerraform, BayParameter, BayParameterProps, HotStack } from '../../lib';
import { tmpDir } from '../tmp';
import { HotTemplate, TerraformTemplate } from './template';

export interface BothFormats<X> {
  readonly H: HotTemplate;
  readonly T: TerraformTemplate;
  /** What `build` returned in the HOT tree. */
  readonly hot: X;
  /** What `build` returned in the Terraform tree. */
  readonly tf: X;
}

/** Builds the tree in a HotStack. */
export function synthHot<X>(build: (scope: Construct) => X): { H: HotTemplate; built: X } {
  const stack = new HotStack(undefined, 'tiny');
  const built = build(stack);
  return { H: HotTemplate.fromSet(stack.synthesize().set), built };
}

/** Builds the tree in a TerraformStack. */
export function synthTerraform<X>(build: (scope: Construct) => X): { T: TerraformTemplate; built: X } {
  const stack = new TerraformStack(new App({ outdir: tmpDir('kubebay-tiny-') }), 'tiny');
  const built = build(stack);
  attachTerraform(stack); // model constructs outside a bay are attached explicitly (a bay attaches itself)
  return { T: TerraformTemplate.fromStack(stack), built };
}

/** Builds the tree in both formats. */
export function synthBoth<X>(build: (scope: Construct) => X): BothFormats<X> {
  const hot = synthHot(build);
  const tf = synthTerraform(build);
  return { H: hot.H, T: tf.T, hot: hot.built, tf: tf.built };
}

/** A string parameter with a default, for props that take a deploy-time value. */
export function param(scope: Construct, name: string, props: Partial<BayParameterProps> = {}): BayParameter {
  return new BayParameter(scope, name, { type: 'string', description: name, default: 'x', ...props });
}
