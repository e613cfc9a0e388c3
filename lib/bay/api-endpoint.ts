/**
 * Where the Kubernetes API is reached. By default on the API load
 * balancer's VIP (and its floating IP); with `masterLbEnabled: false`
 * (Magnum's `master_lb_enabled`, single-master bays only) on the master's own
 * addresses: its private IP, and its floating IP when the nodes have them.
 */
import { Value } from '../core/expr';
import { MAX_FIXED_MASTERS, reservedAddresses } from '../network/reserved-addresses';
import type { BayLoadBalancer } from '../loadbalancer/bay-load-balancer';
import type { BayNodes, NodeContext } from '../nodes/bay-nodes';
import { ResolvedBayProps } from './defaults';
import { Reporter } from './node-groups';

export type ApiAddressKind = 'private' | 'public';

/**
 * The API address a node's user data gets: the load balancer's, else the
 * master's own (in the master's user data) or the master's, read from the
 * masters' group (anywhere else; in HOT the group then waits for the master).
 */
export function apiAddress(lb: BayLoadBalancer | undefined, masters: BayNodes | undefined, which: ApiAddressKind, node?: NodeContext): Value {
  if (lb) return which === 'private' ? lb.vipAddress : (lb.floatingIp?.attr('address') ?? lb.vipAddress);
  if (!masters) {
    if (!node) throw new Error('the API address of a bay without an API load balancer is only known once the master is defined');
    return which === 'public' ? (node.floatingIp ?? node.privateIp) : node.privateIp;
  }
  const g = masters.group;
  return which === 'public' && masters.floatingIp ? g.memberAttr(masters.floatingIp, 'address', '0') : g.memberAttr(masters.port, 'privateIp', '0');
}

export function validateApiEndpoint(p: ResolvedBayProps, err: Reporter): void {
  validateFixedApiVip(p, err);
  if (typeof p.masterLbEnabled !== 'boolean') {
    err('masterLbEnabled', p.masterLbEnabled, 'is not a boolean', 'use true or false');
    return;
  }
  if (p.masterLbEnabled) return;
  const fix = 'drop it (without a load balancer the API is on the master: its floating IP with floatingIps, else its private IP), or set masterLbEnabled: true';
  if (p.masterCount !== 1) {
    err('masterLbEnabled', false, `cannot serve ${String(p.masterCount)} masters: without a load balancer the API is one master's own address`, 'set masterCount: 1, or masterLbEnabled: true');
  }
  if (p.etcdLoadBalancer) err('etcdLoadBalancer', true, 'needs the masters\' load balancers, but masterLbEnabled is false', 'drop etcdLoadBalancer, or set masterLbEnabled: true');
  if (p.masterLbFloatingIp === false) err('masterLbFloatingIp', false, 'is a load-balancer option, but masterLbEnabled is false', fix.replace('drop it', 'drop it, and set floatingIps: false for an internal API'));
  if (p.loadBalancingProtocol !== 'TCP') err('loadBalancingProtocol', p.loadBalancingProtocol, 'is a load-balancer option, but masterLbEnabled is false', fix);
  if (p.octaviaProvider !== undefined) err('octaviaProvider', p.octaviaProvider, 'is a load-balancer option, but masterLbEnabled is false', fix);
  if (p.octaviaLbAlgorithm !== 'ROUND_ROBIN') err('octaviaLbAlgorithm', p.octaviaLbAlgorithm, 'is a load-balancer option, but masterLbEnabled is false', fix);
}

/** `fixedApiVip`: its own subnet (/24 or larger), Octavia, a load balancer, at most 10 masters. */
function validateFixedApiVip(p: ResolvedBayProps, err: Reporter): void {
  if (typeof p.fixedApiVip !== 'boolean') return err('fixedApiVip', p.fixedApiVip, 'is not a boolean', 'use true or false');
  if (!p.fixedApiVip) return;
  const off = 'or drop fixedApiVip (the nodes then wait for the load balancer)';
  if (p.masterLbEnabled === false) err('fixedApiVip', true, 'fixes the load balancer\'s VIP, but masterLbEnabled is false (the API is on the master)', 'drop fixedApiVip');
  if (p.existingNetwork) err('fixedApiVip', true, 'reserves addresses outside the allocation pool of the bay\'s own subnet, which existingNetwork replaces', `drop existingNetwork, ${off}`);
  if (p.loadBalancerApi !== 'octavia') err('fixedApiVip', true, `needs Octavia (loadBalancerApi is ${String(p.loadBalancerApi)})`, `set loadBalancerApi: 'octavia', ${off}`);
  if (Number.isInteger(p.masterCount) && p.masterCount > MAX_FIXED_MASTERS) {
    err('fixedApiVip', true, `gives masters fixed addresses for at most ${MAX_FIXED_MASTERS} masters (masterCount is ${p.masterCount})`, `set masterCount ≤ ${MAX_FIXED_MASTERS}, ${off}`);
  }
  const r = typeof p.fixedNetworkCidr === 'string' ? reservedAddresses(p.fixedNetworkCidr) : undefined;
  if (typeof r === 'string') err('fixedNetworkCidr', p.fixedNetworkCidr, `${r} (fixedApiVip)`, `use a /24 or larger IPv4 subnet, ${off}`);
}
