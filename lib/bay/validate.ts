/**
 * Validation of a bay's props: every problem at once, each naming the prop,
 * the value received and the fix. Runs before anything is generated or
 * written.
 */
import * as ipaddr from 'ipaddr.js';
import { parseKubernetesVersion } from '../bootstrap';
import { NODE_PORT_RANGE, SENSITIVE_PORTS } from '../security/rules';
import { ResolvedBayProps } from './defaults';

/** An IPv4 network in CIDR notation, parsed. */
export interface Cidr {
  readonly text: string;
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

/** Parses an IPv4 CIDR whose address is the network address; a message otherwise. */
export function parseCidr(text: unknown): Cidr | string {
  if (typeof text !== 'string' || !ipaddr.IPv4.isValidCIDR(text)) return 'is not an IPv4 CIDR such as 10.0.0.0/24';
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
  const network = ipaddr.IPv4.networkAddressFromCIDR(text);
  if (addr.toString() !== network.toString()) return `is not a network address (did you mean ${network.toString()}/${prefix}?)`;
  const first = toInt(network);
  const last = toInt(ipaddr.IPv4.broadcastAddressFromCIDR(text));
  return { text, first, last, prefix };
}

function toInt(a: ipaddr.IPv4): number {
  return a.octets.reduce((n, o) => n * 256 + o, 0);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

const NAME = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;
/** Ports the API must not take: SSH, etcd, kubelet, kube-scheduler, kube-controller-manager, insecure API ports. */
const RESERVED_PORTS = new Map<number, string>([
  [22, 'SSH'],
  ...SENSITIVE_PORTS.map((s) => [s.port, s.what] as [number, string]),
  [10257, 'kube-controller-manager'],
  [10259, 'kube-scheduler'],
]);

const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/** Every problem with the props, as messages naming the prop. Empty when valid. */
export function validateProps(p: ResolvedBayProps): string[] {
  const errors: string[] = [];
  const err = (prop: string, value: unknown, problem: string, fix: string) =>
    errors.push(`${prop}: ${show(value)} ${problem}; ${fix}`);

  if (typeof p.name !== 'string' || !NAME.test(p.name)) {
    err('name', p.name, 'is not a valid bay name', 'use 1-40 lowercase letters, digits and "-", starting with a letter (it prefixes OpenStack names and Kubernetes node names)');
  }
  for (const prop of ['image', 'keyName', 'externalNetwork', 'masterFlavor', 'minionFlavor'] as const) {
    const v = p[prop];
    if (typeof v !== 'string' || v.trim() === '') err(prop, v, 'is empty', `give the name or id of an existing ${prop === 'keyName' ? 'Nova keypair' : prop === 'image' ? 'Glance image' : prop === 'externalNetwork' ? 'external network' : 'Nova flavor'}`);
  }
  const int = (prop: string, v: unknown, min: number, max: number, what: string) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      err(prop, v, `is not ${what}`, `use an integer from ${min} to ${max}`);
      return false;
    }
    return true;
  };
  int('masterCount', p.masterCount, 1, 99, 'a valid master count');
  int('minionCount', p.minionCount, 0, 10000, 'a valid minion count (0 = control-plane-only bay)');
  int('dockerVolumeSize', p.dockerVolumeSize, 0, 16384, 'a volume size in GiB (0 = no volume)');
  int('createTimeoutMinutes', p.createTimeoutMinutes, 0, 10080, 'a timeout in minutes (0 = none)');
  int('waitConditionTimeout', p.waitConditionTimeout, 60, 86400, 'a timeout in seconds');
  if (int('kubernetesPort', p.kubernetesPort, 1, 65535, 'a TCP port')) {
    const taken = RESERVED_PORTS.get(p.kubernetesPort);
    if (taken) err('kubernetesPort', p.kubernetesPort, `collides with the ${taken} port`, 'use 6443 or another free port');
    if (p.kubernetesPort >= NODE_PORT_RANGE[0] && p.kubernetesPort <= NODE_PORT_RANGE[1]) {
      err('kubernetesPort', p.kubernetesPort, 'is inside the NodePort range 30000-32767', 'use 6443 or another port outside it');
    }
  }
  if (p.loadBalancingProtocol === ('HTTP' as string)) {
    err('loadBalancingProtocol', p.loadBalancingProtocol, 'cannot carry the Kubernetes API, which always serves TLS', "use 'TCP' (TLS passes through) or 'HTTPS'");
  } else if (!['TCP', 'HTTPS'].includes(p.loadBalancingProtocol)) {
    err('loadBalancingProtocol', p.loadBalancingProtocol, 'is not a load-balancing protocol', "use 'TCP' or 'HTTPS'");
  }
  if (!['octavia', 'lbaas-v1'].includes(p.loadBalancerApi)) {
    err('loadBalancerApi', p.loadBalancerApi, 'is not a load-balancer API', "use 'octavia' or 'lbaas-v1'");
  }
  if (p.keySize !== 2048 && p.keySize !== 4096) err('keySize', p.keySize, 'is not a supported RSA key size', 'use 2048 or 4096');
  for (const prop of ['floatingIps', 'etcdLoadBalancer', 'preinstalledPackages', 'allowInsecureWorldRules'] as const) {
    if (typeof p[prop] !== 'boolean') err(prop, p[prop], 'is not a boolean', 'use true or false');
  }
  try {
    if (typeof p.kubernetesVersion !== 'string') throw new Error('expected a string');
    parseKubernetesVersion(p.kubernetesVersion);
  } catch (e) {
    err('kubernetesVersion', p.kubernetesVersion, 'is not a supported Kubernetes version', `use 'v1.31' or a full version such as 'v1.31.2' (${(e as Error).message})`);
  }

  // Networks.
  const nets: [string, Cidr][] = [];
  for (const prop of ['fixedNetworkCidr', 'portalNetworkCidr', 'podNetworkCidr'] as const) {
    const c = parseCidr(p[prop]);
    if (typeof c === 'string') err(prop, p[prop], c, 'give an IPv4 network such as 10.0.0.0/24');
    else nets.push([prop, c]);
  }
  for (let i = 0; i < nets.length; i++) {
    for (let j = i + 1; j < nets.length; j++) {
      if (overlaps(nets[i][1], nets[j][1])) {
        err(nets[j][0], nets[j][1].text, `overlaps ${nets[i][0]} ${nets[i][1].text}`, 'the node, service and pod networks must be disjoint');
      }
    }
  }
  const fixed = nets.find(([n]) => n === 'fixedNetworkCidr')?.[1];
  const nodes = (Number.isInteger(p.masterCount) ? p.masterCount : 0) + (Number.isInteger(p.minionCount) ? p.minionCount : 0);
  if (fixed) {
    // network, gateway, broadcast, 2 DHCP ports, and per load balancer a VIP plus 2 amphora ports.
    const lbs = p.etcdLoadBalancer ? 2 : 1;
    const needed = nodes + 5 + 3 * lbs;
    const size = fixed.last - fixed.first + 1;
    if (size < needed) {
      err('fixedNetworkCidr', fixed.text, `has ${size} addresses, fewer than the ${needed} the bay needs (${nodes} nodes, load balancers, router, DHCP)`, 'use a larger subnet, e.g. a /24 or /22');
    }
  }
  const pod = nets.find(([n]) => n === 'podNetworkCidr')?.[1];
  if (pod) {
    if (pod.prefix > 24) err('podNetworkCidr', pod.text, 'is smaller than one /24 (flannel gives each node a /24)', 'use a /16, for example 10.100.0.0/16');
    else if (2 ** (24 - pod.prefix) < nodes) err('podNetworkCidr', pod.text, `has room for ${2 ** (24 - pod.prefix)} node /24s, fewer than ${nodes} nodes`, 'use a larger pod network');
  }
  if (!Array.isArray(p.dnsNameservers) || p.dnsNameservers.length === 0 || p.dnsNameservers.some((d) => typeof d !== 'string' || !ipaddr.IPv4.isValidFourPartDecimal(d))) {
    err('dnsNameservers', p.dnsNameservers, 'is not a list of IPv4 addresses', "give at least one, e.g. ['8.8.8.8']");
  }
  for (const prop of ['apiAllowedCidrs', 'sshAllowedCidrs', 'nodePortAllowedCidrs'] as const) {
    const list = p[prop];
    if (!Array.isArray(list)) {
      err(prop, list, 'is not a list of CIDRs', "give a list such as ['203.0.113.0/24']");
      continue;
    }
    for (const c of list) {
      const parsed = parseCidr(c);
      if (typeof parsed === 'string') err(prop, c, parsed, "give IPv4 networks such as '203.0.113.0/24'");
    }
  }
  if (Array.isArray(p.apiAllowedCidrs) && p.apiAllowedCidrs.length === 0) {
    err('apiAllowedCidrs', p.apiAllowedCidrs, 'leaves the Kubernetes API reachable from nowhere outside the bay', "give the CIDRs of your clients, or ['0.0.0.0/0']");
  }

  // Removal of named minions.
  if (!Array.isArray(p.minionsToRemove)) {
    err('minionsToRemove', p.minionsToRemove, 'is not a list', "give minion keys such as ['3'] or private IPs");
  } else if (Number.isInteger(p.minionCount)) {
    const existing = p.minionCount + p.minionsToRemove.length;
    const seen = new Set<string>();
    for (const k of p.minionsToRemove) {
      if (seen.has(k)) err('minionsToRemove', k, 'is listed twice', 'list each minion once');
      seen.add(k);
      if (typeof k === 'string' && /^(0|[1-9][0-9]*)$/.test(k)) {
        if (Number(k) >= existing) err('minionsToRemove', k, `is not a minion of this bay (keys 0-${existing - 1} exist)`, 'name an existing minion key');
      } else if (typeof k === 'string' && ipaddr.IPv4.isValidFourPartDecimal(k)) {
        const n = toInt(ipaddr.IPv4.parse(k));
        if (fixed && (n < fixed.first || n > fixed.last)) err('minionsToRemove', k, `is not in fixedNetworkCidr ${fixed.text}`, 'name a minion by its key or its private IP');
      } else {
        err('minionsToRemove', k, 'is neither a minion key nor an IPv4 address', "use keys such as '3' (see the kube_minions_by_key output) or private IPs");
      }
    }
  }
  if (p.existingNetwork) {
    const e = p.existingNetwork;
    if (!e.networkId || !e.subnetId) err('existingNetwork', e, 'lacks networkId or subnetId', 'give both ids of the existing network and subnet');
  }
  if (p.clusterCa && (!p.clusterCa.certFile || !p.clusterCa.keyFile)) {
    err('clusterCa', p.clusterCa, 'lacks certFile or keyFile', 'give both PEM files of your CA');
  }
  return errors;
}
