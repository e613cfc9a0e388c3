/**
 * Pinned versions of the cloud add-ons and their upstream sources.
 *
 * The manifests kubebay renders (ccm.ts, cinder-csi.ts) follow the upstream
 * release manifests of kubernetes/cloud-provider-openstack (Apache-2.0) at
 * {@link CLOUD_PROVIDER_OPENSTACK_VERSION}; kubebay's changes are listed on
 * each function. Bump the tag and the sidecar images together, from the same
 * release's manifests.
 */

/**
 * Release of kubernetes/cloud-provider-openstack (CCM and Cinder CSI images,
 * manifests). The rendered manifests follow that release's upstream ones:
 * https://github.com/kubernetes/cloud-provider-openstack/tree/v1.31.4/manifests
 */
export const CLOUD_PROVIDER_OPENSTACK_VERSION = 'v1.31.4';

/** Images, pinned as in the upstream manifests of that release (without csi-snapshotter: no VolumeSnapshot CRDs). */
export const ADDON_IMAGES = {
  cloudControllerManager: `registry.k8s.io/provider-os/openstack-cloud-controller-manager:${CLOUD_PROVIDER_OPENSTACK_VERSION}`,
  cinderCsiPlugin: `registry.k8s.io/provider-os/cinder-csi-plugin:${CLOUD_PROVIDER_OPENSTACK_VERSION}`,
  csiAttacher: 'registry.k8s.io/sig-storage/csi-attacher:v4.4.2',
  csiProvisioner: 'registry.k8s.io/sig-storage/csi-provisioner:v3.6.2',
  csiResizer: 'registry.k8s.io/sig-storage/csi-resizer:v1.9.2',
  livenessProbe: 'registry.k8s.io/sig-storage/livenessprobe:v2.11.0',
  nodeDriverRegistrar: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.9.2',
} as const;

/** Secret (kube-system) holding cloud.conf (and ca.crt) for the CCM and the Cinder CSI plugin, mounted at /etc/config. */
export const CLOUD_CONFIG_SECRET = 'cloud-config';
/** Where the Secret is mounted in the controllers' pods. */
export const CLOUD_CONFIG_MOUNT = '/etc/config';
/** Name of the default StorageClass of the Cinder CSI option. */
export const DEFAULT_STORAGE_CLASS = 'csi-cinder';
