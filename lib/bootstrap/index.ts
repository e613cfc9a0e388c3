/**
 * Node bootstrap: the user data of each node role, which turns a booted
 * instance into a kubeadm-built Kubernetes node (first master: `kubeadm
 * init` + flannel; masters: control-plane join with pre-distributed CAs;
 * minions: worker join), and signals readiness through WC_NOTIFY.
 *
 * The text carries `@@NAME@@` placeholders ({@link PLACEHOLDERS}) that the
 * synthesizers replace with format-specific references.
 */
export type { NodeRole, UserDataOptions, KubernetesVersion } from './options';
export { NODE_ROLES, MIN_KUBERNETES_MINOR, parseKubernetesVersion, validateOptions } from './options';
export type { Placeholder, PlaceholderFormat, PlaceholderInfo } from './placeholders';
export {
  PLACEHOLDERS,
  PLACEHOLDER_NAMES,
  SECRET_PLACEHOLDERS,
  placeholder,
  findPlaceholders,
  substitute,
} from './placeholders';
export type { RenderedUserData } from './render';
export { renderUserData } from './render';
export { BOOTSTRAP_ENV_PATH, NOTIFY_FUNCTION, SCRIPT_VALUES, envVar, bootstrapEnv } from './env';
export type { CalicoEncapsulation, CalicoManifest, NetworkDriver } from './calico';
export { CALICO_VERSION, CALICO_MANIFEST_URL, CALICO_MANIFEST_SHA256, CALICO_ENCAPSULATIONS, NETWORK_DRIVERS } from './calico';
export type { FlannelManifest } from './flannel';
export { FLANNEL_VERSION, FLANNEL_MANIFEST_URL, FLANNEL_MANIFEST_SHA256, FLANNEL_RELEASE_ASSET_URL, FLANNEL_MANIFEST_UNCHECKED } from './flannel';
export { KUBEADM_API_VERSION, KUBEADM_INIT_CONFIG, KUBEADM_JOIN_CONFIG } from './kubeadm';
export {
  BOOTSTRAP_SCRIPT_PATH,
  BOOTSTRAP_LOG,
  METADATA_BLOCK_UNIT,
  metadataBlockRule,
  hostNetworkMetadataBlockRule,
  blocksHostNetworkPods,
  PODS_CGROUP,
} from './script';
export {
  CONTAINERD_CONFIG_MARKER,
  CONTAINERD_STORAGE_DROPIN,
  SIGNAL_ATTEMPTS,
  SIGNAL_RESERVE_SECONDS,
} from './script';
export { SKEW_POLL_SECONDS, SKEW_JOIN_RESERVE_SECONDS } from './version-skew';
export { OPENSTACK_CA_PATH, CLOUD_CONF_PATH, ADDONS_PATH, cloudConf } from './cloud';
export * as addons from './addons';
export type { SampleValueOptions } from './samples';
export { sampleValues } from './samples';
