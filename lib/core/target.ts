/**
 * The shape both synthesizers share, and how a tree meets the Terraform one.
 *
 * A synthesizer validates a finished construct tree (what its format cannot
 * express) and renders it: HOT into template documents, Terraform into cdktf
 * elements of the generated OpenStack bindings. Model constructs register
 * nowhere: they are plain constructs that a synthesizer walks.
 *
 * HOT runs when asked (`synthesizeBayHot`, `HotStack.synth()`). Terraform is
 * attached explicitly: a `KubernetesBay` built inside a cdktf
 * `TerraformStack` calls `attachTerraform` (`synth/terraform/attach.ts`) on itself once its tree is
 * complete, so its attributes are live cdktf references right after
 * construction. cdktf (and the bindings) is loaded only then: a HOT-only
 * program never loads it.
 */
import { IConstruct } from 'constructs';
import type { BayResource } from './model';

/** One output format of a construct tree: validate the tree, then render it. */
export interface ISynthesizer<T> {
  /** What `scope` holds that this format cannot express, as messages starting with `[<construct path>]`. */
  validate(scope: IConstruct): string[];
  /** Renders everything below `scope`. Run when `validate` (and the tree's own validations) found nothing. */
  render(scope: IConstruct): T;
}

/** A tree's hold on the Terraform stack it was rendered into. */
export interface ITerraformAttachment {
  /** A reference to a resource's attribute as a cdktf token string (usable in the user's own cdktf resources). */
  reference(r: BayResource<any>, attr: string | undefined): string;
}

/** The marker cdktf puts on every `TerraformStack` (`TerraformStack.isStack` checks the same). */
const TERRAFORM_STACK = Symbol.for('cdktf/TerraformStack');

/** True when `scope` is a cdktf `TerraformStack` (of any copy of cdktf). */
function isTerraformStack(scope: IConstruct): boolean {
  return scope !== null && typeof scope === 'object' && TERRAFORM_STACK in scope;
}

/** The marker of a stack that kubebay's direct writer turns into `cdk.tf.json` (synth/terraform/json): no cdktf in the tree. */
const TERRAFORM_DOCUMENT = Symbol.for('kubebay/TerraformDocument');

/** Marks `stack` as a Terraform document written without cdktf. */
export function markTerraformDocument(stack: IConstruct): void {
  Object.defineProperty(stack, TERRAFORM_DOCUMENT, { value: true });
}

/** The nearest enclosing stack of the direct Terraform writer, if any. */
export function terraformDocumentOf(construct: IConstruct): IConstruct | undefined {
  return construct.node.scopes.find((s) => TERRAFORM_DOCUMENT in s);
}

/** True when `construct` is synthesized to Terraform (in a cdktf `TerraformStack` or a direct document). */
export function isTerraformTarget(construct: IConstruct): boolean {
  return terraformStackOf(construct) !== undefined || terraformDocumentOf(construct) !== undefined;
}

/** The nearest enclosing cdktf `TerraformStack` of `construct`, if any. */
export function terraformStackOf(construct: IConstruct): IConstruct | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) if (isTerraformStack(scopes[i])) return scopes[i];
  return undefined;
}

/**
 * Construct context key holding the cdktf provider construct that the
 * Terraform resources below a scope use (`KubernetesBay`'s `provider` prop sets
 * it on the bay).
 */
export const TERRAFORM_PROVIDER_CONTEXT = 'kubebay:terraformProvider';
