/**
 * What synthesizers read of a bay besides its model constructs (HOT's
 * kubeconfig file and Heat API payload), declared here so that neither
 * `synth/` nor `bay/` imports the other. `KubernetesBay` implements it.
 */
import { IConstruct } from 'constructs';

/** The marker every `KubernetesBay` carries (of any copy of kubebay). */
const BAY = Symbol.for('kubebay.KubernetesBay');

export interface IBay extends IConstruct {
  /** The bay's resolved props that synthesizers need. */
  readonly config: {
    readonly name: string;
    /** Port of the Kubernetes API. */
    readonly kubernetesPort: number;
    /** Minutes until a stack create fails; 0 for none. */
    readonly createTimeoutMinutes: number;
  };
  /** The bay's PKI material (PEM). */
  readonly pki: { readonly caCert: string; readonly adminCert: string; readonly adminKey: string };
}

/** Marks `bay` as a bay (called by the bay's constructor). */
export function markBay(bay: IBay): void {
  Object.defineProperty(bay, BAY, { value: true });
}

/** True for a construct marked with {@link markBay}. */
export function isBay(x: unknown): x is IBay {
  return typeof x === 'object' && x !== null && BAY in x;
}
