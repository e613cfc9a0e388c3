/**
 * Kubernetes manifests of the cloud add-ons (OpenStack CCM, Cinder CSI),
 * rendered by kubebay from pinned upstream versions; the first master
 * applies them after `kubeadm init`.
 */
import { toYaml } from '../../core/yaml';
import { cinderCsiObjects } from './cinder-csi';
import { cloudControllerManagerObjects } from './ccm';
import { K8sObject } from './rbac';

export * from './versions';
export type { K8sObject } from './rbac';
export { cloudControllerManagerObjects } from './ccm';
export { cinderCsiObjects } from './cinder-csi';

/** A multi-document YAML stream of `objects`. */
export function manifest(objects: readonly K8sObject[]): string {
  return objects.map((o) => toYaml(o)).join('---\n');
}

/** File name of the add-on manifest the first master applies. */
export const ADDONS_MANIFEST = 'cloud-addons.yaml';

/**
 * The add-on manifest of a first master: the CCM's objects, then Cinder
 * CSI's, in one stream (one gzipped file compresses best); '' for none.
 */
export function addonManifest(opts: { clusterName: string; cloudControllerManager?: boolean; cinderCsi?: boolean }): string {
  return manifest([
    ...(opts.cloudControllerManager ? cloudControllerManagerObjects(opts.clusterName) : []),
    ...(opts.cinderCsi ? cinderCsiObjects(opts.clusterName) : []),
  ]);
}
