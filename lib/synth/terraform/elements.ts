/**
 * The cdktf element each neutral construct became, kept apart from the
 * Terraform target so that looking one up never loads cdktf.
 */
import type { TerraformElement } from 'cdktf';
import type { IConstruct } from 'constructs';

const ELEMENTS = new WeakMap<IConstruct, TerraformElement>();

/** Records the element `c` was synthesized into. */
export function recordElement(c: IConstruct, element: TerraformElement): void {
  ELEMENTS.set(c, element);
}

/**
 * The generated cdktf binding a neutral resource (or the variable/output a
 * parameter/output) was synthesized into, when it lives in a TerraformStack.
 */
export function terraformElementOf<T extends TerraformElement = TerraformElement>(c: IConstruct): T | undefined {
  return ELEMENTS.get(c) as T | undefined;
}
