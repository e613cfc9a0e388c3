/**
 * Least-privilege rules derived from the bay's topology. Pure data: the
 * construct turns each rule into a resource, tests and the world-open check
 * read them directly.
 */

import { describeCoverage, isWorldLike } from '../core/cidr';

/** The bay's security groups: `base` holds every node, `master` and `minion` one role each. */
export type GroupName = 'base' | 'master' | 'minion';

/**
 * The ports of a rule: an inclusive range, or `'api'`, the port of the
 * Kubernetes API, a deploy-time value (the kubernetes_port parameter) that
 * the construct fills in.
 */
export type RulePorts = readonly [number, number] | 'api';

/** One ingress rule, as data. */
export interface RuleSpec {
  /**
   * Stable id derived from the content, e.g. `master-from-master-tcp-2379-2380`;
   * `…-tcp-api` for the API port (e.g. `master-from-0-0-0-0-0-tcp-api`).
   */
  readonly id: string;
  /** The group whose members the rule opens. */
  readonly group: GroupName;
  /** IP protocol ('ipip': IP-in-IP, protocol number 4). */
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'ipip';
  /** Inclusive port range or the API port; absent for ICMP and IP-in-IP. */
  readonly ports?: RulePorts;
  /** Where traffic may come from: a CIDR or the members of a group. */
  readonly peer: { readonly cidr: string } | { readonly group: GroupName };
  /** Why the rule exists. */
  readonly purpose: string;
}

/** What the rules derive from: the bay's ports, networks and who may reach what. */
export interface TopologyForRules {
  /**
   * Synth-time API port (the default of the kubernetes_port parameter): the
   * API rules carry `ports: 'api'`; {@link worldOpenViolations} checks them
   * with this port.
   */
  readonly kubernetesPort: number;
  /** The bay's subnet: its addresses (nodes, the API VIP) reach the API port. */
  readonly fixedNetworkCidr: string;
  /** Sources allowed to the Kubernetes API port of the masters. */
  readonly apiAllowedCidrs: readonly string[];
  /** Sources allowed to SSH (22) on every node. */
  readonly sshAllowedCidrs: readonly string[];
  /** Sources allowed to the NodePort range of the minions. */
  readonly nodePortAllowedCidrs: readonly string[];
  /** An etcd load balancer exists: its subnet reaches etcd's client port on the masters. */
  readonly etcdLoadBalancer: boolean;
  /**
   * Pod network routed between the nodes unencapsulated (flannel host-gw):
   * pod traffic is opened among the nodes from it, and flannel's VXLAN port
   * is not. @default - flannel VXLAN (UDP 8472 among the nodes)
   */
  readonly routedPodNetworkCidr?: string;
  /**
   * Calico between the nodes: BGP (TCP 179) and the encapsulation's
   * protocol (IP-in-IP, or VXLAN on UDP 4789; 'none' routes the pod network:
   * give `routedPodNetworkCidr`), in place of flannel's VXLAN port.
   * @default - flannel
   */
  readonly calicoEncapsulation?: 'ipip' | 'vxlan' | 'none';
}

/** Ports that must never be open to the world: etcd, kubelet, insecure API ports. */
export const SENSITIVE_PORTS: readonly { readonly port: number; readonly what: string }[] = [
  { port: 2379, what: 'etcd client' },
  { port: 2380, what: 'etcd peer' },
  { port: 10250, what: 'kubelet' },
  { port: 10255, what: 'read-only kubelet' },
  { port: 8080, what: 'insecure Kubernetes API' },
  { port: 7080, what: 'insecure Kubernetes API (Magnum)' },
];

/** Kubernetes' default NodePort range, inclusive. */
export const NODE_PORT_RANGE: readonly [number, number] = [30000, 32767];

function ruleId(group: GroupName, peer: RuleSpec['peer'], protocol: string, ports?: RulePorts): string {
  const from = 'cidr' in peer ? peer.cidr.replace(/[./]/g, '-') : peer.group;
  const range =
    ports === undefined ? '' : ports === 'api' ? '-api' : ports[0] === ports[1] ? `-${ports[0]}` : `-${ports[0]}-${ports[1]}`;
  return `${group}-from-${from}-${protocol}${range}`;
}

/** The rules of a bay, deduplicated (Neutron rejects identical rules), in a stable order. */
export function deriveRules(t: TopologyForRules): RuleSpec[] {
  const rules = new Map<string, RuleSpec>();
  const add = (group: GroupName, protocol: RuleSpec['protocol'], ports: RulePorts | undefined, peer: RuleSpec['peer'], purpose: string) => {
    const id = ruleId(group, peer, protocol, ports);
    if (!rules.has(id)) rules.set(id, { id, group, protocol, ports, peer, purpose });
  };
  const api = 'api';

  // Every node (base group).
  add('base', 'icmp', undefined, { group: 'base' }, 'ICMP among cluster nodes');
  if (t.calicoEncapsulation !== undefined) {
    add('base', 'tcp', [179, 179], { group: 'base' }, 'Calico BGP among cluster nodes');
    if (t.calicoEncapsulation === 'ipip') add('base', 'ipip', undefined, { group: 'base' }, 'Calico IP-in-IP among cluster nodes');
    if (t.calicoEncapsulation === 'vxlan') add('base', 'udp', [4789, 4789], { group: 'base' }, 'Calico VXLAN among cluster nodes');
  } else if (t.routedPodNetworkCidr === undefined) add('base', 'udp', [8472, 8472], { group: 'base' }, 'flannel VXLAN among cluster nodes');
  if (t.routedPodNetworkCidr !== undefined) {
    const how = t.calicoEncapsulation === undefined ? 'flannel host-gw' : 'Calico without encapsulation';
    const pods = { cidr: t.routedPodNetworkCidr };
    add('base', 'tcp', [1, 65535], pods, `pod traffic routed between nodes (${how})`);
    add('base', 'udp', [1, 65535], pods, `pod traffic routed between nodes (${how})`);
    add('base', 'icmp', undefined, pods, `pod traffic routed between nodes (${how})`);
  }
  add('base', 'tcp', [10250, 10250], { group: 'master' }, 'kubelet API, from the control plane');
  for (const cidr of t.sshAllowedCidrs) {
    add('base', 'tcp', [22, 22], { cidr }, 'SSH from sshAllowedCidrs');
    add('base', 'icmp', undefined, { cidr }, 'ICMP from sshAllowedCidrs');
  }
  // Masters.
  add('master', 'tcp', api, { cidr: t.fixedNetworkCidr }, 'Kubernetes API from the bay subnet (nodes, load balancer)');
  for (const cidr of t.apiAllowedCidrs) add('master', 'tcp', api, { cidr }, 'Kubernetes API from apiAllowedCidrs');
  add('master', 'tcp', [2379, 2380], { group: 'master' }, 'etcd client and peer traffic among masters');
  if (t.etcdLoadBalancer) {
    add('master', 'tcp', [2379, 2379], { cidr: t.fixedNetworkCidr }, 'etcd client port from the internal etcd load balancer (bay subnet; etcd requires client certificates)');
  }
  // Minions.
  for (const cidr of t.nodePortAllowedCidrs) add('minion', 'tcp', NODE_PORT_RANGE, { cidr }, 'NodePorts from nodePortAllowedCidrs');
  return [...rules.values()];
}

/**
 * Messages for every sensitive port that rules open to the world (empty when
 * none does): a rule whose CIDR is world-like by itself, or rules whose CIDRs
 * are world-like together (`0.0.0.0/1` + `128.0.0.0/1`); "world-like" is
 * decided by `lib/core/cidr.ts`. `apiPort` stands for the `'api'` ports: the
 * synth-time `kubernetesPort`, which validation keeps off the sensitive ports.
 */
export function worldOpenViolations(rules: readonly RuleSpec[], apiPort: number): string[] {
  const out: string[] = [];
  for (const s of SENSITIVE_PORTS) {
    const open = rules.filter((r): r is RuleSpec & { peer: { cidr: string } } => {
      const [lo, hi] = r.ports === 'api' ? [apiPort, apiPort] : r.ports ?? [0, 65535];
      return 'cidr' in r.peer && r.protocol === 'tcp' && s.port >= lo && s.port <= hi;
    });
    const alone = open.filter((r) => isWorldLike(r.peer.cidr));
    for (const r of alone) out.push(`security rule ${r.id} opens ${s.what} port ${s.port} to ${r.peer.cidr}`);
    const cidrs = open.map((r) => r.peer.cidr);
    if (alone.length === 0 && isWorldLike(cidrs)) {
      out.push(
        `security rules ${open.map((r) => r.id).join(', ')} open ${s.what} port ${s.port} to ${cidrs.join(', ')}, ` +
          `together ${describeCoverage(cidrs)} (world-like)`,
      );
    }
  }
  return out;
}
