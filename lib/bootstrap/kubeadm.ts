import { toYaml } from '../core/yaml';
import { UserDataOptions } from './options';
import { placeholder } from './placeholders';
import { imageRepository } from './egress';
import { controllerManagerNetworking, kubeletNetworking } from './networking';

/**
 * kubeadm configuration API. v1beta4 is read by kubeadm 1.31 and later (hence
 * MIN_KUBERNETES_MINOR = 31); v1beta3 is deprecated from 1.31 on.
 */
export const KUBEADM_API_VERSION = 'kubeadm.k8s.io/v1beta4';

/** Where the kubeadm configuration files are written. */
const KUBEADM_DIR = '/etc/kubernetes/kubeadm';
export const KUBEADM_INIT_CONFIG = `${KUBEADM_DIR}/init.yaml`;
export const KUBEADM_JOIN_CONFIG = `${KUBEADM_DIR}/join.yaml`;

/** Group of the bootstrap token: the one `kubeadm join` of workers relies on. */
const TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

/**
 * The API port: a placeholder that kubeadm must read as an integer (bindPort
 * is an int32). The YAML serializer quotes it (`@` cannot start a plain
 * scalar), so {@link documents} unquotes it: the file is YAML once substituted.
 */
const PORT = placeholder('KUBERNETES_PORT');
/** The cluster domain when it is a deploy-time value (the dns_cluster_domain parameter). */
const DOMAIN = placeholder('DNS_CLUSTER_DOMAIN');

function documents(...docs: object[]): string {
  return docs
    .map((d) => toYaml(d, { literalBlocks: true }))
    .join('---\n')
    .replace(new RegExp(`(bindPort: )(["'])${PORT}\\2$`, 'gm'), `$1${PORT}`)
    // The cluster domain (DNS labels, a plain scalar once substituted): unquoted, as the literal value was.
    .replace(new RegExp(`(dnsDomain: )(["'])${DOMAIN}\\2$`, 'gm'), `$1${DOMAIN}`);
}

/** `<API VIP>:<API port>`: controlPlaneEndpoint and the discovery endpoint. */
const ENDPOINT = `${placeholder('API_VIP')}:${PORT}`;

/**
 * The kubelet flags of a node: the user's extra args and, with the OpenStack
 * cloud-controller-manager, `cloud-provider=external` (kubelets then
 * register tainted `node.cloudprovider.kubernetes.io/uninitialized` until
 * the CCM has set their addresses, zone and provider id).
 */
function kubeletArgs(opts: Pick<UserDataOptions, 'extraArgs' | 'cloudControllerManager'> | undefined): Readonly<Record<string, string>> {
  return { ...(opts?.extraArgs?.kubelet ?? {}), ...(opts?.cloudControllerManager ? { 'cloud-provider': 'external' } : {}) };
}

/**
 * `init.yaml` of the first master: InitConfiguration (the bootstrap token,
 * bind port), ClusterConfiguration, KubeletConfiguration.
 *
 * The bootstrap token has ttl 0s (never expires): masters and minions created
 * or replaced later by a stack update join with the same token. Rotate it by
 * changing the secret and deleting the old token (`kubeadm token delete`).
 *
 * ClusterConfiguration has no kubernetesVersion: the version is a deploy-time
 * value (KUBERNETES_VERSION), and the bootstrap script adds the field before
 * `kubeadm init` when it is a full version. With a minor version it stays
 * omitted and kubeadm uses its default (`stable-1`, which kubeadm clamps to
 * the newest patch of its own minor, or its own version when offline).
 */
export function initConfig(opts: UserDataOptions): string {
  return documents(
    {
      apiVersion: KUBEADM_API_VERSION,
      kind: 'InitConfiguration',
      bootstrapTokens: [
        {
          token: placeholder('BOOTSTRAP_TOKEN'),
          ttl: opts.bootstrapTokenTtl ?? '24h',
          usages: ['signing', 'authentication'],
          groups: [TOKEN_GROUP],
        },
      ],
      localAPIEndpoint: { bindPort: PORT },
      ...registration(kubeletArgs(opts)),
    },
    {
      apiVersion: KUBEADM_API_VERSION,
      kind: 'ClusterConfiguration',
      clusterName: opts.clusterName,
      controlPlaneEndpoint: ENDPOINT,
      ...(opts.imagePrefix ? { imageRepository: imageRepository(opts.imagePrefix) } : {}),
      ...component('controllerManager', { ...controllerManagerNetworking(opts), ...opts.extraArgs?.controllerManager }),
      ...component('scheduler', opts.extraArgs?.scheduler),
      apiServer: {
        ...argList(opts.extraArgs?.apiServer),
        certSANs: [
          placeholder('API_VIP'),
          placeholder('API_PUBLIC_ADDRESS'),
          'kubernetes',
          'kubernetes.default',
          'kubernetes.default.svc',
          `kubernetes.default.svc.${opts.dnsDomain ?? 'cluster.local'}`,
        ],
      },
      networking: { podSubnet: opts.podNetworkCidr, serviceSubnet: opts.serviceCidr, ...(opts.dnsDomain ? { dnsDomain: opts.dnsDomain } : {}) },
    },
    { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', cgroupDriver: 'systemd', ...kubeletNetworking(opts) },
    ...(opts.kubeProxyConfig ? [{ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', ...opts.kubeProxyConfig }] : []),
  );
}

/** v1beta4 `extraArgs`: a name/value list, sorted by name (deterministic). */
function argList(args: Readonly<Record<string, string>> | undefined): { extraArgs?: { name: string; value: string }[] } {
  const names = Object.keys(args ?? {}).sort();
  return names.length ? { extraArgs: names.map((name) => ({ name, value: args![name] })) } : {};
}

function component(key: 'controllerManager' | 'scheduler', args: Readonly<Record<string, string>> | undefined): object {
  const list = argList(args);
  return list.extraArgs ? { [key]: list } : {};
}

function registration(kubelet: Readonly<Record<string, string>> | undefined): object {
  const list = argList(kubelet).extraArgs;
  return list ? { nodeRegistration: { kubeletExtraArgs: list } } : {};
}

/**
 * `join.yaml`: token discovery through the API VIP pinned to the CA hash. A
 * control-plane join (masters, and the first master replacing itself) relies
 * on the CAs and the service-account key written beforehand by the user data
 * (no `--certificate-key`, no uploaded certificates).
 */
export function joinConfig(controlPlane: boolean, opts?: UserDataOptions): string {
  const registration = nodeRegistration(opts?.nodeLabels ?? {}, opts?.nodeTaints ?? [], kubeletArgs(opts));
  return documents({
    apiVersion: KUBEADM_API_VERSION,
    kind: 'JoinConfiguration',
    discovery: {
      bootstrapToken: {
        apiServerEndpoint: ENDPOINT,
        token: placeholder('BOOTSTRAP_TOKEN'),
        caCertHashes: [placeholder('CA_CERT_HASH')],
      },
    },
    ...(registration ? { nodeRegistration: registration } : {}),
    ...(controlPlane ? { controlPlane: { localAPIEndpoint: { bindPort: PORT } } } : {}),
  });
}

/**
 * `nodeRegistration` of a node group's JoinConfiguration: labels through the
 * kubelet's `--node-labels` (v1beta4 `kubeletExtraArgs` name/value list),
 * taints as kubeadm registers them. Undefined when there is neither (the
 * default minions' join.yaml stays as it was).
 */
function nodeRegistration(
  labels: Readonly<Record<string, string>>,
  taints: NonNullable<UserDataOptions['nodeTaints']>,
  kubelet: Readonly<Record<string, string>>,
): object | undefined {
  const keys = Object.keys(labels).sort();
  const args = keys.length ? { ...kubelet, 'node-labels': keys.map((k) => `${k}=${labels[k]}`).join(',') } : kubelet;
  const extra = argList(args).extraArgs;
  if (!extra && taints.length === 0) return undefined;
  return {
    ...(extra ? { kubeletExtraArgs: extra } : {}),
    ...(taints.length ? { taints: taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })) } : {}),
  };
}
