/**
 * Component flags (kubelet, kube-apiserver, kube-controller-manager,
 * kube-scheduler) and kube-proxy settings: validation, and the user-data
 * options they become (kubeadm v1beta4 `extraArgs` name/value lists).
 */
import type { UserDataOptions } from '../bootstrap';
import { ResolvedBayProps } from './defaults';
import { placeholder } from '../bootstrap/placeholders';
import { Reporter } from './node-groups';

/** A cluster DNS domain: lowercase DNS labels (the dnsClusterDomain prop and the dns_cluster_domain parameter). */
export const DNS_DOMAIN_PATTERN = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*';

type ArgsProp = 'kubeletExtraArgs' | 'apiServerExtraArgs' | 'controllerManagerExtraArgs' | 'schedulerExtraArgs';

/** Flags kubebay sets from other props (or the bootstrap needs): the prop to use instead. */
const MANAGED_FLAGS: Readonly<Record<ArgsProp, Readonly<Record<string, string>>>> = {
  kubeletExtraArgs: { 'node-labels': 'nodeGroups[].labels', 'register-with-taints': 'nodeGroups[].taints', 'cgroup-driver': 'nothing (kubebay uses systemd, as containerd does)', 'cluster-dns': 'dnsServiceIp' },
  apiServerExtraArgs: { 'secure-port': 'kubernetesPort', 'service-cluster-ip-range': 'portalNetworkCidr', 'etcd-servers': 'nothing (kubeadm runs etcd on the masters)' },
  controllerManagerExtraArgs: { 'node-cidr-mask-size': 'flannelNetworkSubnetlen', 'cluster-cidr': 'podNetworkCidr', 'service-cluster-ip-range': 'portalNetworkCidr', 'cluster-name': 'name' },
  schedulerExtraArgs: {},
};

/** A flag name as kubeadm takes it: no leading `--`. */
const FLAG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function validateComponents(p: ResolvedBayProps, err: Reporter): void {
  for (const prop of Object.keys(MANAGED_FLAGS) as ArgsProp[]) {
    const args: unknown = p[prop];
    if (args === undefined) continue;
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      err(prop, args, 'is not a map of flags', "give { 'flag-name': 'value' } (names without the leading --)");
      continue;
    }
    for (const [name, value] of Object.entries(args)) {
      const managed = MANAGED_FLAGS[prop][name];
      if (!FLAG.test(name)) err(prop, name, 'is not a flag name', `write it without the leading -- and in lowercase, e.g. '${name.replace(/^-+/, '').toLowerCase()}'`);
      else if (managed) err(prop, name, 'is a flag kubebay sets', `use ${managed}`);
      if (typeof value !== 'string' || /[\u0000-\u001f]/.test(value)) err(`${prop}.${name}`, value, 'is not a one-line string', "give the flag's value as a string, e.g. 'true' or '30s'");
    }
  }
  const domain: unknown = p.dnsClusterDomain;
  if (typeof domain !== 'string' || domain.length > 253 || !new RegExp(`^${DNS_DOMAIN_PATTERN}$`).test(domain)) {
    err('dnsClusterDomain', domain, 'is not a DNS domain', "use lowercase DNS labels such as 'cluster.local' or 'k8s.example.internal'");
  }
  const proxy: unknown = p.kubeProxyConfig;
  if (proxy !== undefined) {
    if (typeof proxy !== 'object' || proxy === null || Array.isArray(proxy)) {
      err('kubeProxyConfig', proxy, 'is not a map of KubeProxyConfiguration fields', "give e.g. { mode: 'ipvs' }");
    } else {
      for (const key of ['apiVersion', 'kind']) {
        if (key in proxy) err(`kubeProxyConfig.${key}`, (proxy as Record<string, unknown>)[key], 'is set by kubebay', 'drop it (kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration)');
      }
    }
  }
}

/** The user-data options of the component props (empty when none is set: the user data stays as it was). */
export function componentOptions(c: ResolvedBayProps): Pick<UserDataOptions, 'extraArgs' | 'kubeProxyConfig' | 'dnsDomain'> {
  const extraArgs = {
    ...(c.kubeletExtraArgs ? { kubelet: c.kubeletExtraArgs } : {}),
    ...(c.apiServerExtraArgs ? { apiServer: c.apiServerExtraArgs } : {}),
    ...(c.controllerManagerExtraArgs ? { controllerManager: c.controllerManagerExtraArgs } : {}),
    ...(c.schedulerExtraArgs ? { scheduler: c.schedulerExtraArgs } : {}),
  };
  return {
    ...(Object.keys(extraArgs).length ? { extraArgs } : {}),
    ...(c.kubeProxyConfig ? { kubeProxyConfig: c.kubeProxyConfig } : {}),
    // A deploy-time value (the dns_cluster_domain parameter, see ./egress.ts) when not kubeadm's default.
    ...(c.dnsClusterDomain !== 'cluster.local' ? { dnsDomain: placeholder('DNS_CLUSTER_DOMAIN') } : {}),
  };
}
