/**
 * Cluster networking options of a bay (Magnum's `dns_service_ip`,
 * `flannel_backend`, `flannel_network_subnetlen`): validation and the
 * user-data options they become, and their parameters.
 *
 * They are creation-time values of the cluster, rendered at synthesis into
 * the security groups (VXLAN/IP-in-IP/BGP rules, address pairs), kubeadm's
 * configuration and the network driver's manifest: a running cluster cannot
 * change them (neither could a Magnum cluster: its cluster template is
 * immutable once used). Their parameters carry Magnum's names and the
 * synthesized values, which they only accept (see {@link networkingParameters}).
 */
import type { UserDataOptions } from '../bootstrap';
import { BayParameterProps } from '../core/model';
import { fixedParameter } from './specs';
import { FLANNEL_BACKENDS } from '../bootstrap/networking';
import { CALICO_ENCAPSULATIONS, NETWORK_DRIVERS } from '../bootstrap/calico';
import { FLANNEL_MANIFEST_UNCHECKED } from '../bootstrap/flannel';
import { intToIpv4, ipv4AddressToInt, isIpv4Address, parseIpv4Cidr } from '../core/cidr';
import { ResolvedBayProps } from './defaults';
import { Reporter } from './node-groups';

/** Shortest and longest per-node pod subnets kubebay accepts (a /16 per node; a /28 has 14 pod addresses). */
export const SUBNET_LEN_RANGE = [16, 28] as const;
/** The kubelet's default `max-pods`. */
const KUBELET_MAX_PODS = 110;

/** The address kubeadm gives cluster DNS: the 10th of the service network. */
export function defaultDnsServiceIp(serviceCidr: string): string | undefined {
  const net = parseIpv4Cidr(serviceCidr);
  return typeof net === 'string' ? undefined : intToIpv4(net.first + 10);
}

function dnsProblem(ip: unknown, serviceCidr: string): string | undefined {
  if (!isIpv4Address(ip)) return 'is not an IPv4 address';
  const net = parseIpv4Cidr(serviceCidr);
  if (typeof net === 'string') return undefined; // portalNetworkCidr reports its own problem
  const address = ipv4AddressToInt(ip);
  if (address < net.first || address > net.last) return `is not inside portalNetworkCidr ${serviceCidr}`;
  if (address === net.first) return 'is the network address of portalNetworkCidr';
  if (address === net.last) return 'is the broadcast address of portalNetworkCidr';
  if (address === net.first + 1) return 'is the first address of portalNetworkCidr, which the kubernetes API Service takes';
  return undefined;
}

/** Pod addresses cross the bay subnet unencapsulated (flannel host-gw, Calico without encapsulation): address pairs and pod-network rules. */
export function routesPodNetwork(c: ResolvedBayProps): boolean {
  return c.networkDriver === 'calico' ? c.calicoEncapsulation === 'none' : c.flannelBackend === 'host-gw';
}

/** A `{url, sha256}` manifest prop (`calicoManifest`, `flannelManifest`): a URL the bootstrap can fetch safely and a sha256. */
function validateManifest(prop: 'calicoManifest' | 'flannelManifest', m: unknown, err: Reporter): void {
  if (m === undefined) return;
  const { url, sha256 } = (typeof m === 'object' && m !== null ? m : {}) as { url?: unknown; sha256?: unknown };
  const file = prop === 'calicoManifest' ? 'calico/v3.30.7/calico.yaml' : 'flannel/v0.26.7/kube-flannel.yml';
  if (typeof url !== 'string' || !/^https?:\/\/[A-Za-z0-9.:/_~%+=-]+$/.test(url)) {
    err(`${prop}.url`, url, 'is not an http(s) URL the bootstrap can fetch safely', `give e.g. 'http://mirror.example.internal/${file}' (no quotes, spaces, '?', '&' or '#')`);
  }
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
    err(`${prop}.sha256`, sha256, 'is not a sha256', `give the 64 lowercase hex digits of \`sha256sum ${file.split('/').pop()}\``);
  }
}

/** The network driver's props: a driver kubebay knows, and no option of the other driver. */
function validateDriver(p: ResolvedBayProps, err: Reporter): void {
  const driver: unknown = p.networkDriver;
  if (!(NETWORK_DRIVERS as readonly unknown[]).includes(driver)) {
    err('networkDriver', driver, 'is not a network driver kubebay installs', `use one of ${NETWORK_DRIVERS.join(', ')}`);
    return;
  }
  const enc: unknown = p.calicoEncapsulation;
  if (!(CALICO_ENCAPSULATIONS as readonly unknown[]).includes(enc)) {
    err('calicoEncapsulation', enc, 'is not a Calico encapsulation', `use one of ${CALICO_ENCAPSULATIONS.join(', ')}`);
  }
  if (driver === 'flannel') {
    if (enc !== 'ipip') err('calicoEncapsulation', enc, 'is a Calico option, and networkDriver is flannel', "set networkDriver: 'calico', or leave calicoEncapsulation out");
    if (p.calicoManifest !== undefined) err('calicoManifest', p.calicoManifest.url, 'is a Calico option, and networkDriver is flannel', "set networkDriver: 'calico', or leave calicoManifest out");
    validateManifest('flannelManifest', p.flannelManifest, err);
    return;
  }
  if (p.flannelManifest !== undefined) err('flannelManifest', p.flannelManifest?.url, 'is a flannel option, and networkDriver is calico', 'leave flannelManifest out (calicoManifest is the Calico one)');
  if (p.flannelBackend !== 'vxlan') err('flannelBackend', p.flannelBackend, 'is a flannel option, and networkDriver is calico', "leave flannelBackend out, or use calicoEncapsulation: 'none' for routed pod traffic");
  if (p.flannelNetworkSubnetlen !== 24) err('flannelNetworkSubnetlen', p.flannelNetworkSubnetlen, 'is a flannel option, and networkDriver is calico (Calico hands out /26 blocks of the pool)', 'leave flannelNetworkSubnetlen out');
  validateManifest('calicoManifest', p.calicoManifest, err);
}

export function validateNetworking(p: ResolvedBayProps, err: Reporter): void {
  validateDriver(p, err);
  if (p.dnsServiceIp !== undefined) {
    const problem = dnsProblem(p.dnsServiceIp, p.portalNetworkCidr);
    if (problem) err('dnsServiceIp', p.dnsServiceIp, problem, `give an address inside portalNetworkCidr, or leave it out for ${defaultDnsServiceIp(p.portalNetworkCidr) ?? 'its 10th address'}`);
  }
  const backend: unknown = p.flannelBackend;
  if (backend === 'udp') {
    err('flannelBackend', backend, 'is not supported: flannel documents its UDP backend for debugging only, and the bay\'s security groups carry flannel as VXLAN (UDP 8472)', "use 'vxlan' (the default) or 'host-gw'");
  } else if (!(FLANNEL_BACKENDS as readonly unknown[]).includes(backend)) {
    err('flannelBackend', backend, 'is not a flannel backend', `use one of ${FLANNEL_BACKENDS.join(', ')}`);
  }
  const len: unknown = p.flannelNetworkSubnetlen;
  const [min, max] = SUBNET_LEN_RANGE;
  if (typeof len !== 'number' || !Number.isInteger(len) || len < min || len > max) {
    err('flannelNetworkSubnetlen', len, 'is not a per-node subnet prefix length', `use an integer from ${min} to ${max} (24: 254 pod addresses per node)`);
    return;
  }
  const maxPods = Number(p.kubeletExtraArgs?.['max-pods'] ?? KUBELET_MAX_PODS);
  const addresses = 2 ** (32 - len) - 2;
  if (addresses < maxPods) {
    err('flannelNetworkSubnetlen', len, `gives each node ${addresses} pod addresses, fewer than the kubelet's max-pods ${maxPods}`, `use /${32 - Math.ceil(Math.log2(maxPods + 2))} or shorter, or lower kubeletExtraArgs['max-pods']`);
  }
}

/** The per-node pod subnet length the bay's pod-network checks use (24 while the prop is invalid). */
export function perNodeSubnetLen(p: ResolvedBayProps): number {
  const len: unknown = p.flannelNetworkSubnetlen;
  return typeof len === 'number' && Number.isInteger(len) && len >= SUBNET_LEN_RANGE[0] && len <= SUBNET_LEN_RANGE[1] ? len : 24;
}

/**
 * The user-data options of the networking props (empty at their defaults: the user data stays as it was).
 * `flannelChecked`: the bay's record says its first master checks flannel's manifest (a bay created since
 * kubebay does); otherwise it downloads the release asset unchecked, as before, unless `flannelManifest` is set.
 */
export function networkingOptions(
  c: ResolvedBayProps,
  flannelChecked: boolean,
): Pick<UserDataOptions, 'dnsServiceIp' | 'flannelBackend' | 'flannelSubnetLen' | 'networkDriver' | 'calicoEncapsulation' | 'calicoManifest' | 'flannelManifest'> {
  const dns = c.dnsServiceIp !== undefined && c.dnsServiceIp !== defaultDnsServiceIp(c.portalNetworkCidr);
  if (c.networkDriver === 'calico') {
    const manifest = c.calicoManifest ? { calicoManifest: { url: c.calicoManifest.url, sha256: c.calicoManifest.sha256 } } : {};
    return { ...(dns ? { dnsServiceIp: c.dnsServiceIp } : {}), networkDriver: 'calico', calicoEncapsulation: c.calicoEncapsulation, ...manifest };
  }
  return {
    ...(dns ? { dnsServiceIp: c.dnsServiceIp } : {}),
    ...(c.flannelBackend !== 'vxlan' ? { flannelBackend: c.flannelBackend } : {}),
    ...(c.flannelNetworkSubnetlen !== 24 ? { flannelSubnetLen: c.flannelNetworkSubnetlen } : {}),
    ...(c.flannelManifest
      ? { flannelManifest: { url: c.flannelManifest.url, sha256: c.flannelManifest.sha256 } }
      : flannelChecked ? {} : { flannelManifest: FLANNEL_MANIFEST_UNCHECKED }),
  };
}

/**
 * The cluster network's parameters, Magnum's names with the synthesized
 * values (each accepts only its own): `network_driver`, `pods_network_cidr`,
 * `portal_network_cidr`, `dns_service_ip`, and for flannel
 * `flannel_backend`, `flannel_network_subnetlen`. A deploy-time value other
 * than the synthesized one is refused before anything changes (HOT: at
 * `stack create`/`update` validation; Terraform: the variable's validation).
 */
export function networkingParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  const dns = c.dnsServiceIp ?? defaultDnsServiceIp(c.portalNetworkCidr)!;
  const flannel: Record<string, BayParameterProps> = {
    flannel_backend: fixedParameter('flannel_backend', 'flannelBackend', "flannel's backend (vxlan or host-gw)", c.flannelBackend,
      "the nodes' security rules (VXLAN, or routed pod traffic) and address pairs"),
    flannel_network_subnetlen: fixedParameter('flannel_network_subnetlen', 'flannelNetworkSubnetlen', "Prefix length of each node's pod subnet", c.flannelNetworkSubnetlen,
      "the controller-manager's node-cidr-mask-size (checked against the pod network and the node count)"),
  };
  return {
    network_driver: fixedParameter('network_driver', 'networkDriver', 'Pod network driver (flannel or calico)', c.networkDriver,
      "the nodes' security rules and the first master's network manifest"),
    pods_network_cidr: fixedParameter('pods_network_cidr', 'podNetworkCidr', "CIDR of the pods' addresses", c.podNetworkCidr,
      "kubeadm's podSubnet, the network driver's pool, the security rules and the metadata-service block"),
    portal_network_cidr: fixedParameter('portal_network_cidr', 'portalNetworkCidr', "CIDR of the services' cluster IPs", c.portalNetworkCidr,
      "kubeadm's serviceSubnet and no_proxy"),
    dns_service_ip: fixedParameter('dns_service_ip', 'dnsServiceIp', "Cluster IP of the cluster DNS service (the kubelets' clusterDNS)", dns,
      "the kubelets' clusterDNS and the kube-dns Service"),
    ...(c.networkDriver === 'flannel' ? flannel : {}),
  };
}
