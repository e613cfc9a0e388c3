import { Ipv4Cidr, NOT_AN_IPV4_CIDR, overlaps, parseIpv4Cidr } from '../core/cidr';
import { ValidationError } from '../core/errors';
import { placeholderPattern } from '../core/placeholder';
import type { EgressProxy, RegistryHosts } from './egress';
import type { FlannelBackend } from './networking';
import type { CalicoEncapsulation, CalicoManifest, NetworkDriver } from './calico';
import type { FlannelManifest, FLANNEL_MANIFEST_UNCHECKED } from './flannel';

/** Role of a node in the bay. */
export type NodeRole = 'first-master' | 'master' | 'minion';

/** The roles, in boot order. */
export const NODE_ROLES: readonly NodeRole[] = ['first-master', 'master', 'minion'];

/**
 * Inputs of `renderUserData`: what shapes the text. The Kubernetes version
 * and the API port are deploy-time values (the KUBERNETES_VERSION and
 * KUBERNETES_PORT placeholders), not options.
 */
export interface UserDataOptions {
  /**
   * 'first-master' runs `kubeadm init` (or joins as a control-plane node when
   * the API already answers: a replaced master 0 must not create a second
   * cluster); 'master' joins as a control-plane node; 'minion' as a worker.
   */
  readonly role: NodeRole;
  /** containerd, kubelet, kubeadm, kubectl (and the CNI plugins) are baked in the image: no apt at boot. */
  readonly preinstalledPackages: boolean;
  /** Pod network (flannel Network, kubeadm podSubnet): IPv4 CIDR, prefix at most /24 (nodes get /24s). */
  readonly podNetworkCidr: string;
  /** Service network (kubeadm serviceSubnet): IPv4 CIDR. */
  readonly serviceCidr: string;
  /** kubeadm clusterName. */
  readonly clusterName: string;
  /** A Cinder volume is attached for container storage (mounted on /var/lib/containerd). */
  readonly dockerVolume: boolean;
  /**
   * The cloud's CA bundle (OPENSTACK_CA) is installed into the system trust
   * store first thing, so every call to the cloud (wait-condition signals,
   * the controllers below) trusts a private CA.
   * @default false
   */
  readonly openstackCa?: boolean;
  /**
   * OpenStack cloud-controller-manager: kubelets run with
   * `cloud-provider=external`; the first master writes the controllers'
   * `cloud-config` Secret and deploys the CCM.
   * @default false
   */
  readonly cloudControllerManager?: boolean;
  /**
   * Cinder CSI: the first master writes the `cloud-config` Secret and deploys
   * the Cinder CSI plugin with a default StorageClass.
   * @default false
   */
  readonly cinderCsi?: boolean;
  /** Kubernetes labels the kubelet registers the node with (minions only). @default {} */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /** Taints the node registers with (minions only). @default [] */
  readonly nodeTaints?: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
  /** Extra command-line flags of the components (flag name without `--` → value). @default - none */
  readonly extraArgs?: ComponentExtraArgs;
  /** Lifetime of the first master's bootstrap token (kubeadm `ttl`; `0s`: never expires). @default '24h' */
  readonly bootstrapTokenTtl?: string;
  /** Cluster DNS domain (kubeadm `networking.dnsDomain`; the kubelets take it from there). @default 'cluster.local' */
  readonly dnsDomain?: string;
  /** KubeProxyConfiguration fields (first master's init.yaml; kube-proxy reads them from its ConfigMap). @default - none */
  readonly kubeProxyConfig?: Readonly<Record<string, unknown>>;
  /** Egress proxies: apt, containerd, kubelet, kubeadm and the bootstrap script (egress.ts). @default - none */
  readonly proxy?: EgressProxy;
  /** Image prefix (Magnum's `container_infra_prefix`, ending in '/'): control plane, sandbox and add-on images. @default - none */
  readonly imagePrefix?: string;
  /** containerd registry mirrors and insecure registries (`hosts.toml`). @default - none */
  readonly registries?: RegistryHosts;
  /**
   * The image prefix and the insecure registries are deploy-time values: the
   * script reads them from bootstrap.env (CONTAINER_INFRA_PREFIX,
   * INSECURE_REGISTRY_URL) and does at boot what `imagePrefix` and
   * `registries.insecure` do at render time (which must then be unset).
   * @default false
   */
  readonly deployTimeRegistries?: boolean;
  /** Cluster DNS address (kubelet clusterDNS, the kube-dns Service). @default - kubeadm's: the 10th address of serviceCidr */
  readonly dnsServiceIp?: string;
  /** flannel backend. @default 'vxlan' */
  readonly flannelBackend?: FlannelBackend;
  /** Prefix length of each node's pod subnet (controller-manager node-cidr-mask-size). @default 24 */
  readonly flannelSubnetLen?: number;
  /** Network driver the first master applies after `kubeadm init` (calico.ts). @default 'flannel' */
  readonly networkDriver?: NetworkDriver;
  /** Calico's encapsulation between nodes (networkDriver 'calico'). @default 'ipip' */
  readonly calicoEncapsulation?: CalicoEncapsulation;
  /** Calico manifest to apply instead of the pinned release's (networkDriver 'calico'). @default - the pinned release's */
  readonly calicoManifest?: CalicoManifest;
  /**
   * flannel manifest, checked against its sha256 before anything is applied
   * (networkDriver 'flannel'); `'release-asset-unchecked'`: the release
   * asset, unchecked, as the user data of bays created before the check.
   * @default - the pinned release's manifest, checked (flannel.ts)
   */
  readonly flannelManifest?: FlannelManifest | typeof FLANNEL_MANIFEST_UNCHECKED;
}

/** Extra flags per component, as kubeadm v1beta4 `extraArgs` (name/value list) carries them. */
export interface ComponentExtraArgs {
  readonly kubelet?: Readonly<Record<string, string>>;
  readonly apiServer?: Readonly<Record<string, string>>;
  readonly controllerManager?: Readonly<Record<string, string>>;
  readonly scheduler?: Readonly<Record<string, string>>;
}

export { MIN_KUBERNETES_MINOR, parseKubernetesVersion, type KubernetesVersion } from '../core/version';

/** An IPv4 CIDR of the options, parsed by the one CIDR rule; a message naming the option otherwise. */
function parseCidr(what: string, cidr: string): Ipv4Cidr {
  const c = parseIpv4Cidr(cidr);
  if (typeof c !== 'string') return c;
  throw new ValidationError(c === NOT_AN_IPV4_CIDR ? `${what} '${cidr}': expected an IPv4 CIDR` : `${what} '${cidr}': host bits are set`);
}

/** Throws on options the renderer cannot safely put in YAML and shell. */
export function validateOptions(opts: UserDataOptions): void {
  if (!NODE_ROLES.includes(opts.role)) throw new ValidationError(`role '${opts.role}': expected one of ${NODE_ROLES.join(', ')}`);
  const pods = parseCidr('podNetworkCidr', opts.podNetworkCidr);
  const services = parseCidr('serviceCidr', opts.serviceCidr);
  const perNode = opts.flannelSubnetLen ?? 24;
  if (pods.prefix > perNode) {
    throw new ValidationError(`podNetworkCidr '${opts.podNetworkCidr}': prefix /${pods.prefix} is too small (each node gets a /${perNode})`);
  }
  if (overlaps(pods, services)) {
    throw new ValidationError(`podNetworkCidr '${opts.podNetworkCidr}' overlaps serviceCidr '${opts.serviceCidr}'`);
  }
  // Egress, registry and DNS values land in shell, sed, TOML and systemd files: a conservative alphabet (the bay validates them properly).
  const words = [opts.proxy?.http, opts.proxy?.https, ...(opts.proxy?.noProxy ?? []), opts.imagePrefix, opts.dnsServiceIp,
    ...Object.entries(opts.registries?.mirrors ?? {}).flat(), ...(opts.registries?.insecure ?? [])];
  for (const w of words) {
    if (w !== undefined && !/^[A-Za-z0-9.:/_*-]+$/.test(w.replace(placeholderPattern(), 'x'))) throw new ValidationError(`egress/registry/DNS value '${w}': unsafe characters`);
  }
  if (opts.deployTimeRegistries && (opts.imagePrefix !== undefined || opts.registries?.insecure !== undefined)) {
    throw new ValidationError('deployTimeRegistries: the image prefix and the insecure registries come from bootstrap.env; leave imagePrefix and registries.insecure unset');
  }
  for (const [name, m] of [['calicoManifest', opts.calicoManifest], ['flannelManifest', opts.flannelManifest]] as const) {
    if (m === undefined || m === 'release-asset-unchecked') continue;
    if (!/^https?:\/\/[A-Za-z0-9.:/_~%+=-]+$/.test(m.url) || !/^[0-9a-f]{64}$/.test(m.sha256)) {
      throw new ValidationError(`${name} '${m.url}': an http(s) URL without quotes, spaces, '?', '&' or '#', and a sha256 of 64 lowercase hex digits`);
    }
  }
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(opts.clusterName)) {
    throw new ValidationError(`clusterName '${opts.clusterName}': letters, digits, '.', '_', '-' (at most 63)`);
  }
}
