/**
 * Magnum labels: the escape hatch Magnum users know (`--labels
 * kube_tag=v1.31.2,availability_zone=az-1`). Each supported label sets one
 * prop (the prop, when also given, must agree); a Magnum label kubebay does
 * not support is a warning saying why; any other label is an error (Magnum
 * silently ignored unknown labels).
 */
import { KubernetesBayProps } from './props';

type LabelValue = string | number | boolean;
type Parsed = { value: unknown } | { error: string };

/** Supported labels: the prop each sets and how its text becomes the prop's value. */
export const SUPPORTED_LABELS: Readonly<Record<string, { prop: keyof KubernetesBayProps; parse: (text: string) => Parsed }>> = {
  availability_zone: { prop: 'availabilityZone', parse: (t) => ({ value: t }) },
  nodes_affinity_policy: { prop: 'nodesAffinityPolicy', parse: (t) => ({ value: t }) },
  docker_volume_type: { prop: 'dockerVolumeType', parse: (t) => ({ value: t }) },
  master_lb_floating_ip_enabled: { prop: 'masterLbFloatingIp', parse: bool },
  octavia_provider: { prop: 'octaviaProvider', parse: (t) => ({ value: t }) },
  octavia_lb_algorithm: { prop: 'octaviaLbAlgorithm', parse: (t) => ({ value: t }) },
  kube_tag: { prop: 'kubernetesVersion', parse: (t) => ({ value: t }) },
  master_lb_allowed_cidrs: { prop: 'apiAllowedCidrs', parse: (t) => ({ value: t.split(',').map((s) => s.trim()).filter(Boolean) }) },
  kubelet_options: { prop: 'kubeletExtraArgs', parse: flags },
  kubeapi_options: { prop: 'apiServerExtraArgs', parse: flags },
  kubecontroller_options: { prop: 'controllerManagerExtraArgs', parse: flags },
  kubescheduler_options: { prop: 'schedulerExtraArgs', parse: flags },
  fixed_subnet_cidr: { prop: 'fixedNetworkCidr', parse: (t) => ({ value: t }) },
  flannel_network_cidr: { prop: 'podNetworkCidr', parse: (t) => ({ value: t }) },
  service_cluster_ip_range: { prop: 'portalNetworkCidr', parse: (t) => ({ value: t }) },
  boot_volume_size: { prop: 'bootVolumeSize', parse: (t) => (/^\d+$/.test(t) ? { value: Number(t) } : { error: 'is not a size in GiB' }) },
  boot_volume_type: { prop: 'bootVolumeType', parse: (t) => ({ value: t }) },
  dns_cluster_domain: { prop: 'dnsClusterDomain', parse: (t) => ({ value: t }) },
  cloud_provider_enabled: { prop: 'cloudControllerManager', parse: bool },
  cinder_csi_enabled: { prop: 'cinderCsi', parse: bool },
  container_infra_prefix: { prop: 'containerInfraPrefix', parse: (t) => ({ value: t }) },
  dns_service_ip: { prop: 'dnsServiceIp', parse: (t) => ({ value: t }) },
  master_lb_enabled: { prop: 'masterLbEnabled', parse: bool },
  flannel_backend: { prop: 'flannelBackend', parse: (t) => ({ value: t }) },
  network_driver: { prop: 'networkDriver', parse: (t) => ({ value: t }) },
  calico_ipv4pool: { prop: 'podNetworkCidr', parse: (t) => ({ value: t }) },
  calico_ipv4pool_ipip: { prop: 'calicoEncapsulation', parse: calicoIpip },
  flannel_network_subnetlen: { prop: 'flannelNetworkSubnetlen', parse: (t) => (/^\d+$/.test(t) ? { value: Number(t) } : { error: 'is not a prefix length' }) },
};

/** Magnum labels kubebay does not support, and why (a warning; the label is ignored). */
export const UNSUPPORTED_LABELS: Readonly<Record<string, string>> = {
  kubeproxy_options: 'kubeadm configures kube-proxy through a KubeProxyConfiguration, not flags: set kubeProxyConfig',
  ingress_controller: 'kubebay installs no ingress controller; deploy one on the bay',
  auto_healing_enabled: 'no magnum-auto-healer: Heat or Terraform replace nodes on update',
  auto_scaling_enabled: 'no cluster-autoscaler for Heat/Terraform-managed groups; scale with the count parameters',
  monitoring_enabled: 'kubebay installs no monitoring stack; deploy one on the bay',
  prometheus_monitoring: 'kubebay installs no monitoring stack; deploy one on the bay',
  keystone_auth_enabled: 'no k8s-keystone-auth: the bay has its own CA and an admin kubeconfig',
  calico_tag: 'the Calico release is pinned by kubebay (calicoManifest: a mirror of it)',
  calico_kube_controllers_tag: 'the Calico release is pinned by kubebay (calicoManifest: a mirror of it)',
  flannel_tag: 'the flannel release is pinned by kubebay (flannelManifest: a mirror of it)',
  container_runtime: 'containerd is the only runtime',
  containerd_version: 'containerd comes from the distribution (or the image with preinstalledPackages)',
  cgroup_driver: 'the kubelet and containerd use the systemd cgroup driver',
  heat_container_agent_tag: 'nodes bootstrap from cloud-init user data, without the heat-container-agent',
  use_podman: 'nodes run no system containers; kubeadm runs the control plane as static pods',
  etcd_volume_size: 'etcd runs on the masters (kubeadm stacked etcd), on their root disk',
  selinux_mode: 'kubebay targets Ubuntu and Debian images (AppArmor)',
  kube_dashboard_enabled: 'kubebay installs no dashboard; deploy one on the bay',
  metrics_server_enabled: 'kubebay installs no metrics-server; deploy one on the bay',
  npd_enabled: 'kubebay installs no node-problem-detector',
  etcd_tag: 'etcd is the version kubeadm pins for the Kubernetes version',
  coredns_tag: 'CoreDNS is the version kubeadm pins for the Kubernetes version',
  hyperkube_prefix: 'kubeadm pulls the control-plane images from registry.k8s.io',
  containerd_tarball_url: 'containerd comes from the distribution (or the image with preinstalledPackages)',
};

/** Magnum's IPIP modes: Always is IP-in-IP; Never and Off route pod addresses (one subnet: CrossSubnet never encapsulates either). */
function calicoIpip(text: string): Parsed {
  if (text === 'Always') return { value: 'ipip' };
  if (text === 'Never' || text === 'Off' || text === 'CrossSubnet') return { value: 'none' };
  return { error: 'is not an IPIP mode (Always, CrossSubnet, Never, Off)' };
}

function bool(text: string): Parsed {
  if (text === 'true' || text === 'false') return { value: text === 'true' };
  return { error: "is not 'true' or 'false'" };
}

/** Magnum's `--flag=value --flag2=value2` text as a flag map. */
function flags(text: string): Parsed {
  const out: Record<string, string> = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^--([^=]+)=(.*)$/.exec(word);
    if (!m) return { error: `has '${word}', not --flag=value` };
    out[m[1]] = m[2];
  }
  return { value: out };
}

/** The props the (valid) labels set; labels that do not parse set nothing (validation reports them). */
export function propsFromLabels(labels: unknown): Partial<Record<keyof KubernetesBayProps, unknown>> {
  const out: Partial<Record<keyof KubernetesBayProps, unknown>> = {};
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return out;
  for (const [name, raw] of Object.entries(labels as Record<string, LabelValue>)) {
    const known = Object.hasOwn(SUPPORTED_LABELS, name) ? SUPPORTED_LABELS[name] : undefined;
    if (!known || !isScalar(raw)) continue;
    const parsed = known.parse(String(raw));
    if ('value' in parsed) out[known.prop] = parsed.value;
  }
  return out;
}

const isScalar = (v: unknown): v is LabelValue => ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Problems of `labels` (`[prop, value, problem, fix]`): not a map, unknown
 * labels (with a suggestion), values that do not parse, and labels that
 * disagree with the prop given explicitly (`resolved` holds the winner).
 */
export function labelProblems(
  labels: unknown,
  resolved: Readonly<Record<string, unknown>>,
  suggest: (key: string, known: readonly string[]) => string | undefined,
): [string, unknown, string, string][] {
  if (labels === undefined) return [];
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    return [['labels', labels, 'is not a map of Magnum labels', "give e.g. { kube_tag: 'v1.31.2', availability_zone: 'az-1' }"]];
  }
  const out: [string, unknown, string, string][] = [];
  const known = [...Object.keys(SUPPORTED_LABELS), ...Object.keys(UNSUPPORTED_LABELS)];
  for (const [name, raw] of Object.entries(labels)) {
    const at = `labels.${name}`;
    if (Object.hasOwn(UNSUPPORTED_LABELS, name)) continue;
    const label = Object.hasOwn(SUPPORTED_LABELS, name) ? SUPPORTED_LABELS[name] : undefined;
    if (!label) {
      const guess = suggest(name, known);
      out.push([at, raw, 'is not a Magnum label kubebay knows', guess ? `did you mean ${guess}?` : 'remove it (README: Magnum options and labels)']);
    } else if (!isScalar(raw)) {
      out.push([at, raw, 'is not a label value', 'give a string']);
    } else {
      const parsed = label.parse(String(raw));
      if ('error' in parsed) out.push([at, raw, parsed.error, `see README: Magnum options and labels (it sets ${label.prop})`]);
      else if (JSON.stringify(resolved[label.prop]) !== JSON.stringify(parsed.value)) {
        out.push([at, raw, `disagrees with ${label.prop} ${JSON.stringify(resolved[label.prop])}`, `set one of them (the label sets ${label.prop})`]);
      }
    }
  }
  return out;
}

/** Warnings for the Magnum labels kubebay ignores. */
export function ignoredLabels(labels: unknown): string[] {
  if (typeof labels !== 'object' || labels === null) return [];
  return Object.keys(labels)
    .filter((name) => Object.hasOwn(UNSUPPORTED_LABELS, name))
    .map((name) => `label ${name} is ignored: ${UNSUPPORTED_LABELS[name]}`);
}
