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

/** Which add-on manifests a first master applies, by file name. */
export function addonManifests(opts: { clusterName: string; cloudControllerManager?: boolean; cinderCsi?: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  if (opts.cloudControllerManager) out['openstack-cloud-controller-manager.yaml'] = manifest(cloudControllerManagerObjects(opts.clusterName));
  if (opts.cinderCsi) out['cinder-csi.yaml'] = manifest(cinderCsiObjects(opts.clusterName));
  return out;
}
