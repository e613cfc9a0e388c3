/**
 * Synthesis targets that must see resources as they are created (Terraform:
 * cdktf resources are made eagerly, so that a bay's attributes are ordinary
 * cdktf references for the user's own resources). HOT needs no target: its
 * synthesizer walks the finished tree.
 *
 * The Terraform target is chosen by the scope a bay is built in: inside a
 * cdktf `TerraformStack` (recognised by cdktf's own stack marker, without
 * loading cdktf), its module — cdktf and the generated OpenStack bindings — is
 * loaded on first use. A bay in a `HotStack` or a plain construct tree never
 * loads cdktf.
 */
import { IConstruct } from 'constructs';
import type { BayOutput, BayParameter, BayResource, NodeGroup } from './model';

export interface SynthTarget {
  addParameter(p: BayParameter): void;
  addResource(r: BayResource<any>): void;
  addGroup(g: NodeGroup): void;
  addOutput(o: BayOutput): void;
  /** A reference to a resource's attribute in the target's own terms (a cdktf token string). */
  reference(r: BayResource<any>, attr: string | undefined): string;
}

/** The marker cdktf puts on every `TerraformStack` (`TerraformStack.isStack` checks the same). */
const TERRAFORM_STACK = Symbol.for('cdktf/TerraformStack');

/** True when `scope` is a cdktf `TerraformStack` (of any copy of cdktf). */
function isTerraformStack(scope: IConstruct): boolean {
  return scope !== null && typeof scope === 'object' && TERRAFORM_STACK in scope;
}

/** The target of the nearest enclosing scope that has one, if any. */
export function targetOf(construct: IConstruct): SynthTarget | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (isTerraformStack(scopes[i])) return terraformTarget(scopes[i]);
  }
  return undefined;
}

function terraformTarget(stack: IConstruct): SynthTarget {
  // Loaded on demand: HOT-only programs never load cdktf or the bindings.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('../synth/terraform/target') as typeof import('../synth/terraform/target');
  return tf.terraformTargetFor(stack);
}

/**
 * Construct context key holding the cdktf provider construct that the
 * Terraform resources below a scope use (`KubernetesBay`'s `provider` prop sets
 * it on the bay).
 */
export const TERRAFORM_PROVIDER_CONTEXT = 'kubebay:terraformProvider';
