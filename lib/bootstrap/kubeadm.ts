import { stringify } from 'yaml';
import { UserDataOptions, parseKubernetesVersion } from './options';
import { placeholder } from './placeholders';

/**
 * kubeadm configuration API. v1beta4 is read by kubeadm 1.31 and later (hence
 * MIN_KUBERNETES_MINOR = 31); v1beta3 is deprecated from 1.31 on.
 */
export const KUBEADM_API_VERSION = 'kubeadm.k8s.io/v1beta4';

/** Where the kubeadm configuration files are written. */
export const KUBEADM_DIR = '/etc/kubernetes/kubeadm';
export const KUBEADM_INIT_CONFIG = `${KUBEADM_DIR}/init.yaml`;
export const KUBEADM_JOIN_CONFIG = `${KUBEADM_DIR}/join.yaml`;

/** Group of the bootstrap token: the one `kubeadm join` of workers relies on. */
const TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

/** YAML serialization used for every generated document: no folding, literal blocks. */
export const YAML_OPTIONS = { lineWidth: 0, blockQuote: 'literal' } as const;

function documents(...docs: object[]): string {
  return docs.map((d) => stringify(d, YAML_OPTIONS)).join('---\n');
}

function endpoint(opts: UserDataOptions): string {
  return `${placeholder('API_VIP')}:${opts.kubernetesPort}`;
}

/**
 * `init.yaml` of the first master: InitConfiguration (the bootstrap token,
 * bind port), ClusterConfiguration, KubeletConfiguration.
 *
 * The bootstrap token has ttl 0s (never expires): masters and minions created
 * or replaced later by a stack update join with the same token. Rotate it by
 * changing the secret and deleting the old token (`kubeadm token delete`).
 *
 * kubernetesVersion is only set for a full version; with a minor version it
 * is omitted and kubeadm uses its default (`stable-1`, which kubeadm clamps to
 * the newest patch of its own minor, or its own version when offline).
 */
export function initConfig(opts: UserDataOptions): string {
  const version = parseKubernetesVersion(opts.kubernetesVersion);
  return documents(
    {
      apiVersion: KUBEADM_API_VERSION,
      kind: 'InitConfiguration',
      bootstrapTokens: [
        {
          token: placeholder('BOOTSTRAP_TOKEN'),
          ttl: '0s',
          usages: ['signing', 'authentication'],
          groups: [TOKEN_GROUP],
        },
      ],
      localAPIEndpoint: { bindPort: opts.kubernetesPort },
    },
    {
      apiVersion: KUBEADM_API_VERSION,
      kind: 'ClusterConfiguration',
      clusterName: opts.clusterName,
      ...(version.patch ? { kubernetesVersion: `v${version.patch}` } : {}),
      controlPlaneEndpoint: endpoint(opts),
      apiServer: {
        certSANs: [
          placeholder('API_VIP'),
          placeholder('API_PUBLIC_ADDRESS'),
          'kubernetes',
          'kubernetes.default',
          'kubernetes.default.svc',
          'kubernetes.default.svc.cluster.local',
        ],
      },
      networking: { podSubnet: opts.podNetworkCidr, serviceSubnet: opts.serviceCidr },
    },
    { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', cgroupDriver: 'systemd' },
  );
}

/**
 * `join.yaml`: token discovery through the API VIP pinned to the CA hash. A
 * control-plane join (masters, and the first master replacing itself) relies
 * on the CAs and the service-account key written beforehand by the user data
 * (no `--certificate-key`, no uploaded certificates).
 */
export function joinConfig(opts: UserDataOptions, controlPlane: boolean): string {
  return documents({
    apiVersion: KUBEADM_API_VERSION,
    kind: 'JoinConfiguration',
    discovery: {
      bootstrapToken: {
        apiServerEndpoint: endpoint(opts),
        token: placeholder('BOOTSTRAP_TOKEN'),
        caCertHashes: [placeholder('CA_CERT_HASH')],
      },
    },
    ...(controlPlane ? { controlPlane: { localAPIEndpoint: { bindPort: opts.kubernetesPort } } } : {}),
  });
}
