/**
 * Load-balancer kinds: Octavia (both formats) and Neutron LBaaS v1 (HOT
 * only, as Magnum Mitaka wrote it; the Terraform provider has no v1).
 */
import type {
  lbListenerV2 as listener,
  lbLoadbalancerV2 as lb,
  lbMemberV2 as member,
  lbMonitorV2 as monitor,
  lbPoolV2 as pool,
} from '../../.gen/providers/openstack';
import { Value } from '../core/expr';
import { defineKind } from '../core/kind';

/** The pool algorithm when none is given (Octavia's and LBaaS v1's default, as Magnum). */
export const DEFAULT_LB_ALGORITHM = 'ROUND_ROBIN';

/** Health checks of every pool, as Magnum: TCP connect every 5 s, 5 s timeout, 5 retries. */
export const HEALTH_CHECK = { type: 'TCP', delay: 5, timeout: 5, maxRetries: 5 } as const;

const NO_V1 =
  "the Terraform OpenStack provider has no Neutron LBaaS v1 resources; set loadBalancerApi: 'octavia' (or synthesize HOT only)";

/**
 * Attributes `vipAddress`, `vipPortId`.
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Octavia::LoadBalancer
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/lb_loadbalancer_v2
 */
export const LOAD_BALANCER = defineKind<{
  name: Value;
  subnet: Value;
  provider?: Value;
  /** A fixed VIP address (ForceNew in both formats). @default - Octavia picks one from the subnet's pool */
  vipAddress?: string;
}>({
  name: 'load-balancer',
  hot: {
    type: 'OS::Octavia::LoadBalancer',
    properties: (p) => ({ name: p.name, vip_subnet: p.subnet, provider: p.provider, ...(p.vipAddress ? { vip_address: p.vipAddress } : {}) }),
    attrs: { vipAddress: ['vip_address'], vipPortId: ['vip_port_id'] },
  },
  tf: {
    type: 'openstack_lb_loadbalancer_v2',
    config: (p): lb.LbLoadbalancerV2Config => ({
      name: p.name,
      vipSubnetId: p.subnet,
      loadbalancerProvider: p.provider,
      ...(p.vipAddress ? { vipAddress: p.vipAddress } : {}),
    }),
    attrs: { vipAddress: 'vip_address', vipPortId: 'vip_port_id' },
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Octavia::Listener
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/lb_listener_v2
 */
export const LISTENER = defineKind<{
  name: Value;
  loadBalancer: Value;
  protocol: Value;
  port: Value;
  allowedCidrs?: Value;
  /** Idle timeout of the client side, ms (Terraform only: Heat has no such property). */
  timeoutClientData?: number;
  /** Idle timeout of the member side, ms (Terraform only). */
  timeoutMemberData?: number;
}>({
  name: 'listener',
  hot: {
    type: 'OS::Octavia::Listener',
    properties: (p) => ({
      name: p.name,
      loadbalancer: p.loadBalancer,
      protocol: p.protocol,
      protocol_port: p.port,
      allowed_cidrs: p.allowedCidrs,
      // Heat's OS::Octavia::Listener has no timeout properties (up to Heat 2024.x):
      // the timeouts are Terraform only; README gives the `openstack loadbalancer listener set` for HOT.
    }),
  },
  tf: {
    type: 'openstack_lb_listener_v2',
    config: (p): listener.LbListenerV2Config => ({
      name: p.name,
      loadbalancerId: p.loadBalancer,
      protocol: p.protocol,
      protocolPort: p.port,
      allowedCidrs: p.allowedCidrs,
      timeoutClientData: p.timeoutClientData,
      timeoutMemberData: p.timeoutMemberData,
    }),
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Octavia::Pool
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/lb_pool_v2
 */
export const POOL = defineKind<{ name: Value; listener: Value; protocol: Value; algorithm?: Value }>({
  name: 'pool',
  hot: {
    type: 'OS::Octavia::Pool',
    properties: (p) => ({ name: p.name, listener: p.listener, protocol: p.protocol, lb_algorithm: p.algorithm ?? DEFAULT_LB_ALGORITHM }),
  },
  tf: {
    type: 'openstack_lb_pool_v2',
    config: (p): pool.LbPoolV2Config => ({ name: p.name, listenerId: p.listener, protocol: p.protocol, lbMethod: p.algorithm ?? DEFAULT_LB_ALGORITHM }),
  },
});

/**
 * TCP health monitor ({@link HEALTH_CHECK}: delay 5, timeout 5, max retries 5, as Magnum).
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Octavia::HealthMonitor
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/lb_monitor_v2
 */
export const HEALTH_MONITOR = defineKind<{ pool: Value }>({
  name: 'health-monitor',
  hot: {
    type: 'OS::Octavia::HealthMonitor',
    properties: (p) => ({ pool: p.pool, type: HEALTH_CHECK.type, delay: HEALTH_CHECK.delay, timeout: HEALTH_CHECK.timeout, max_retries: HEALTH_CHECK.maxRetries }),
  },
  tf: {
    type: 'openstack_lb_monitor_v2',
    config: (p): monitor.LbMonitorV2Config => ({ poolId: p.pool, ...HEALTH_CHECK }),
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Octavia::PoolMember
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/lb_member_v2
 */
export const POOL_MEMBER = defineKind<{ pool: Value; address: Value; port: Value; subnet: Value }>({
  name: 'pool-member',
  hot: {
    type: 'OS::Octavia::PoolMember',
    properties: (p) => ({ pool: p.pool, address: p.address, protocol_port: p.port, subnet: p.subnet }),
  },
  tf: {
    type: 'openstack_lb_member_v2',
    config: (p): member.LbMemberV2Config => ({ poolId: p.pool, address: p.address, protocolPort: p.port, subnetId: p.subnet }),
  },
});

/** LBaaS v1 health monitor. @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::HealthMonitor */
export const V1_HEALTH_MONITOR = defineKind<Record<string, never>>({
  name: 'lbaas-v1-health-monitor',
  hot: { type: 'OS::Neutron::HealthMonitor', properties: () => ({ type: HEALTH_CHECK.type, delay: HEALTH_CHECK.delay, max_retries: HEALTH_CHECK.maxRetries, timeout: HEALTH_CHECK.timeout }) },
  tfMissing: NO_V1,
});

/**
 * LBaaS v1 pool with its VIP. Attributes `vipAddress`, `vipPortId`.
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::Pool
 */
export const V1_POOL = defineKind<{ name: Value; protocol: Value; monitor: Value; subnet: Value; port: Value }>({
  name: 'lbaas-v1-pool',
  hot: {
    type: 'OS::Neutron::Pool',
    properties: (p) => ({
      name: p.name,
      protocol: p.protocol,
      monitors: [p.monitor],
      subnet: p.subnet,
      lb_method: DEFAULT_LB_ALGORITHM,
      vip: { protocol_port: p.port },
    }),
    attrs: { vipAddress: ['vip', 'address'], vipPortId: ['vip', 'port_id'] },
  },
  tfMissing: NO_V1,
});

/** LBaaS v1 pool member. @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::PoolMember */
export const V1_POOL_MEMBER = defineKind<{ pool: Value; address: Value; port: Value }>({
  name: 'lbaas-v1-pool-member',
  hot: { type: 'OS::Neutron::PoolMember', properties: (p) => ({ pool_id: p.pool, address: p.address, protocol_port: p.port }) },
  tfMissing: NO_V1,
});
