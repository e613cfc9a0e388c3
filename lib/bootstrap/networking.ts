/**
 * Cluster networking options in the user data: the cluster DNS address
 * (Magnum's `dns_service_ip`), flannel's backend (`flannel_backend`) and the
 * per-node pod subnet length (`flannel_network_subnetlen`). Unset, nothing
 * is rendered: kubeadm's DNS address (the 10th of the service network),
 * VXLAN and a /24 per node.
 */
import { toYaml } from '../core/yaml';
import { UserDataOptions } from './options';

/** The kube-dns Service on the chosen address, applied by the first master in place of kubeadm's. */
export const DNS_SERVICE_PATH = '/etc/kubernetes/addons/kube-dns-service.yaml';

/** Flannel backends kubebay can run on Neutron (see the bay's validation for why not udp). */
export const FLANNEL_BACKENDS = ['vxlan', 'host-gw'] as const;
export type FlannelBackend = (typeof FLANNEL_BACKENDS)[number];

/**
 * kubeadm's kube-dns Service (same name, labels, selector and ports) with
 * `clusterIP` set: kubeadm always creates it on the 10th address of the
 * service network and has no setting for another one.
 */
export function dnsService(ip: string): string {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: ip,
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });
}

/** The KubeletConfiguration fields of the options (every kubelet reads them from the kubelet-config ConfigMap). */
export function kubeletNetworking(opts: UserDataOptions): Record<string, unknown> {
  return opts.dnsServiceIp ? { clusterDNS: [opts.dnsServiceIp] } : {};
}

/** controller-manager flags of the options: the per-node pod CIDR length, which flannel's kube subnet manager uses. */
export function controllerManagerNetworking(opts: UserDataOptions): Record<string, string> {
  return opts.flannelSubnetLen !== undefined && opts.flannelSubnetLen !== 24 ? { 'node-cidr-mask-size': String(opts.flannelSubnetLen) } : {};
}

/**
 * First master, right after `kubeadm init`: kubeadm's kube-dns Service is
 * replaced by one on the chosen address (a Service's clusterIP cannot be
 * changed in place). CoreDNS's pods are not touched.
 */
export function dnsServiceSection(opts: UserDataOptions): string {
  if (!opts.dnsServiceIp) return '';
  const kubectl = 'kubectl --kubeconfig "$K/admin.conf"';
  return String.raw`  log "cluster DNS on ${opts.dnsServiceIp}"
  dns_service() {
    ${kubectl} -n kube-system delete service kube-dns --ignore-not-found
    ${kubectl} create -f ${DNS_SERVICE_PATH}
  }
  retry 20 15 dns_service
`;
}

/** The downloaded flannel manifest's backend set (net-conf.json), and checked. */
export function flannelBackendSection(opts: UserDataOptions): string {
  if (!opts.flannelBackend || opts.flannelBackend === 'vxlan') return '';
  const type = `"Type": "${opts.flannelBackend}"`;
  return String.raw`  sed -i 's#"Type": "vxlan"#${type}#' "$f"
  grep -qF '${type}' "$f"
`;
}
