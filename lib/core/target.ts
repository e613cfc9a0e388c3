/**
 * Synthesis targets that must see resources as they are created (Terraform:
 * cdktf resources are made eagerly, so that a bay's attributes are ordinary
 * cdktf references for the user's own resources). HOT needs no target: its
 * synthesizer walks the finished tree.
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

type Detector = (scope: IConstruct) => SynthTarget | undefined;
const detectors: Detector[] = [];

/** Registers a function that recognises a scope (e.g. a cdktf TerraformStack) as a target. */
export function registerTargetDetector(detector: Detector): void {
  detectors.push(detector);
}

/** The target of the nearest enclosing scope that has one, if any. */
export function targetOf(construct: IConstruct): SynthTarget | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    for (const detect of detectors) {
      const t = detect(scopes[i]);
      if (t) return t;
    }
  }
  return undefined;
}
