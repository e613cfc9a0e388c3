/** Defaults of `KubernetesBayProps`, resolved once in one place. */
import { DEFAULT_LB_ALGORITHM } from '../loadbalancer/kinds';
import { DEFAULT_KEY_SIZE, DEFAULT_PKI_DIR } from '../pki';
import { propsFromLabels } from './labels';
import { BayNodeGroup, KubernetesBayProps } from './props';

export const DEFAULTS = {
  masterFlavor: 'm1.medium',
  minionFlavor: 'm1.medium',
  masterCount: 1,
  minionCount: 1,
  fixedNetworkCidr: '10.0.0.0/24',
  dnsNameservers: ['8.8.8.8'],
  portalNetworkCidr: '10.254.0.0/16',
  podNetworkCidr: '10.100.0.0/16',
  dockerVolumeSize: 0,
  kubernetesPort: 6443,
  loadBalancingProtocol: 'TCP',
  floatingIps: true,
  etcdLoadBalancer: false,
  loadBalancerApi: 'octavia',
  minionsToRemove: [] as string[],
  createTimeoutMinutes: 60,
  kubernetesVersion: 'v1.31',
  preinstalledPackages: false,
  waitConditionTimeout: 3600,
  apiAllowedCidrs: ['0.0.0.0/0'],
  sshAllowedCidrs: [] as string[],
  nodePortAllowedCidrs: [] as string[],
  allowInsecureWorldRules: false,
  keySize: DEFAULT_KEY_SIZE,
  bootstrapTokenTtl: '24h',
  pkiDir: DEFAULT_PKI_DIR,
  allowPublicFixedNetwork: false,
  nodeGroups: [] as BayNodeGroup[],
  masterAffinityPolicy: 'soft-anti-affinity',
  masterLbFloatingIp: true,
  octaviaLbAlgorithm: DEFAULT_LB_ALGORITHM,
  bootVolumeSize: 0,
  dnsClusterDomain: 'cluster.local',
  openstackRegion: 'RegionOne',
  updateMaxBatchSize: 1,
  masterUpdatePauseTime: 600,
  flannelBackend: 'vxlan',
  flannelNetworkSubnetlen: 24,
  networkDriver: 'flannel',
  calicoEncapsulation: 'ipip',
  masterLbEnabled: true,
  fixedApiVip: false,
} as const;

/** Props that have a default in `DEFAULTS`. */
export type DefaultedProp = keyof typeof DEFAULTS;

/** Props with every default applied. */
export type ResolvedBayProps = Required<Pick<KubernetesBayProps, DefaultedProp | 'name' | 'image' | 'keyName' | 'externalNetwork'>> &
  Pick<KubernetesBayProps, 'existingNetwork' | 'clusterCa' | OptionalProp> &
  Pick<KubernetesBayProps, 'openstackCaFile' | 'openstackAuthUrl' | 'applicationCredential' | 'cloudControllerManager' | 'cinderCsi'>;

/** Optional props without a default (absent: the cloud's default; no parameter, no property). */
export type OptionalProp = 'availabilityZone' | 'nodesAffinityPolicy' | 'dockerVolumeType' | 'masterImage' | 'minionImage' | 'octaviaProvider'
  | 'kubeletExtraArgs' | 'apiServerExtraArgs' | 'controllerManagerExtraArgs' | 'schedulerExtraArgs' | 'kubeProxyConfig' | 'labels' | 'bootVolumeType'
  | 'httpProxy' | 'httpsProxy' | 'noProxy' | 'containerInfraPrefix' | 'registryMirrors' | 'insecureRegistries' | 'dnsServiceIp'
  | 'calicoManifest' | 'flannelManifest';

export function resolveProps(id: string, props: KubernetesBayProps): ResolvedBayProps {
  // Magnum labels set props; explicit props win (validation reports a disagreement).
  const out: Record<string, unknown> = { name: id, ...DEFAULTS, ...propsFromLabels(props?.labels) };
  // `props ?? {}`: called from JS without props, validation reports the missing ones.
  // defineProperty: a `__proto__` key (JSON, YAML) stays an own key, reported as unknown, not a prototype.
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v !== undefined) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out as ResolvedBayProps;
}
