/**
 * A load balancer in front of the masters (Magnum's api_pool/etcd_pool):
 * Octavia load balancer + listener + pool + TCP health monitor, or a Neutron
 * LBaaS v1 pool with its VIP (HOT only); optionally a floating IP on the VIP.
 */
import { Construct } from 'constructs';
import { Value } from '../core/expr';
import { BayResource } from '../core/model';
import { FLOATING_IP, FLOATING_IP_ASSOCIATION } from '../network/kinds';
import {
  HEALTH_MONITOR,
  LISTENER,
  LOAD_BALANCER,
  POOL,
  POOL_MEMBER,
  V1_HEALTH_MONITOR,
  V1_POOL,
  V1_POOL_MEMBER,
} from './kinds';

/**
 * The load-balancing service: Octavia (both formats), or Neutron LBaaS v1 as
 * Magnum Mitaka used it (HOT only: the Terraform provider has no LBaaS v1).
 */
export type LoadBalancerApi = 'octavia' | 'lbaas-v1';

/** Props of `BayLoadBalancer`. */
export interface BayLoadBalancerProps {
  /**
   * OpenStack name of the load balancer, listener and pool. (The resources'
   * construct ids come from the construct id: `<id>_loadbalancer`,
   * `<id>_listener`, `<id>_pool`, `<id>_monitor`, `<id>_floating`.)
   */
  readonly name: string;
  /** Octavia, or LBaaS v1 (HOT only). */
  readonly api: LoadBalancerApi;
  /** Subnet of the VIP and of the members (usually `IBayNetwork.subnetId`). */
  readonly subnet: Value;
  /** Port the listener (LBaaS v1: the VIP) accepts and the members serve on. */
  readonly port: Value;
  /** Pool (and listener) protocol, e.g. `TCP`. */
  readonly protocol: Value;
  /** Octavia listener `allowed_cidrs`. @default - any source */
  readonly allowedCidrs?: Value;
  /** Put a floating IP from this external network on the VIP. @default - internal only */
  readonly floatingIpNetwork?: Value;
  /** Resources the floating IP must wait for (the router interface). @default [] */
  readonly floatingIpAfter?: readonly BayResource<any>[];
  /** Octavia provider (`amphora`, `ovn`, ...). @default - the cloud's default */
  readonly provider?: Value;
  /** Octavia pool algorithm. @default 'ROUND_ROBIN' */
  readonly algorithm?: Value;
  /**
   * Octavia listener client and member data timeouts (idle time of an
   * established connection), in milliseconds. Terraform only: Heat's
   * OS::Octavia::Listener has no such properties, and LBaaS v1 none either.
   * @default - Octavia's default (50 s)
   */
  readonly dataTimeoutMs?: number;
  /**
   * A fixed VIP address, outside the subnet's allocation pool (Octavia
   * only): `vipAddress` is then this literal, known before the load
   * balancer exists, so nothing but the Octavia objects and the pool
   * members waits for the load balancer; the floating IP (if any) is
   * allocated at once and associated with the VIP port once the load
   * balancer is ACTIVE (`<id>_floating_association`). ForceNew: changing
   * it replaces the load balancer.
   * @default - Octavia picks the VIP from the subnet's allocation pool
   */
  readonly fixedVipAddress?: string;
}

/**
 * A load balancer in front of the masters: Octavia load balancer, listener,
 * pool and a TCP health monitor (5 s delay, 5 s timeout, 5 retries); or, for
 * `api: 'lbaas-v1'`, a Neutron pool that holds its VIP, with a health
 * monitor. Nodes join with `addMember()`; a floating IP on the VIP is
 * optional (`floatingIpNetwork`).
 */
export class BayLoadBalancer extends Construct {
  /** The pool members join (Octavia pool, LBaaS v1 pool). */
  public readonly pool: BayResource<any>;
  /** The VIP's private address. */
  public readonly vipAddress: Value;
  /** The floating IP on the VIP. @default - none, unless `floatingIpNetwork` is set */
  public readonly floatingIp?: BayResource<any>;
  /** The resource holding the VIP (Octavia load balancer, LBaaS v1 pool). */
  public readonly vip: BayResource<any>;
  private readonly api: LoadBalancerApi;

  constructor(scope: Construct, id: string, private readonly props: BayLoadBalancerProps) {
    super(scope, id);
    this.api = props.api;
    let vipHolder: BayResource<any>;
    if (props.api === 'octavia') {
      const lb = new BayResource(this, `${id}_loadbalancer`, LOAD_BALANCER, {
        name: props.name,
        subnet: props.subnet,
        provider: props.provider,
        vipAddress: props.fixedVipAddress,
      });
      const listener = new BayResource(this, `${id}_listener`, LISTENER, {
        name: props.name,
        loadBalancer: lb.id,
        protocol: props.protocol,
        port: props.port,
        allowedCidrs: props.allowedCidrs,
        timeoutClientData: props.dataTimeoutMs,
        timeoutMemberData: props.dataTimeoutMs,
      });
      this.pool = new BayResource(this, `${id}_pool`, POOL, {
        name: props.name,
        listener: listener.id,
        protocol: props.protocol,
        algorithm: props.algorithm,
      });
      new BayResource(this, `${id}_monitor`, HEALTH_MONITOR, { pool: this.pool.id });
      vipHolder = lb;
    } else {
      const monitor = new BayResource(this, `${id}_monitor`, V1_HEALTH_MONITOR, {});
      this.pool = new BayResource(this, `${id}_pool`, V1_POOL, {
        name: props.name,
        protocol: props.protocol,
        monitor: monitor.id,
        subnet: props.subnet,
        port: props.port,
      });
      vipHolder = this.pool;
    }
    this.vip = vipHolder;
    this.vipAddress = props.fixedVipAddress ?? vipHolder.attr('vipAddress');
    if (props.floatingIpNetwork !== undefined && props.fixedVipAddress !== undefined) {
      this.floatingIp = this.earlyFloatingIp(id, props.floatingIpNetwork, vipHolder);
    } else if (props.floatingIpNetwork !== undefined) {
      this.floatingIp = new BayResource(
        this,
        `${id}_floating`,
        FLOATING_IP,
        { externalNetwork: props.floatingIpNetwork, port: vipHolder.attr('vipPortId'), description: `${props.name} VIP` },
        { dependsOn: props.floatingIpAfter },
      );
    }
  }

  /** A floating IP allocated at once, associated with the VIP port once the load balancer is ACTIVE. */
  private earlyFloatingIp(id: string, network: Value, lb: BayResource<any>): BayResource<any> {
    const fip = new BayResource(this, `${id}_floating`, FLOATING_IP, { externalNetwork: network, description: `${this.props.name} VIP` });
    // Neutron associates a floating IP only with a port on a subnet routed to its network: after the router interface.
    const port = lb.attr('vipPortId');
    new BayResource(this, `${id}_floating_association`, FLOATING_IP_ASSOCIATION, { floatingIp: fip.id, address: fip.attr('address'), port }, { dependsOn: this.props.floatingIpAfter });
    return fip;
  }

  /** Adds a member (created in `scope`, typically inside a node group) on `address`. */
  public addMember(scope: Construct, id: string, address: Value): BayResource<any> {
    if (this.api === 'octavia') {
      return new BayResource(scope, id, POOL_MEMBER, { pool: this.pool.id, address, port: this.props.port, subnet: this.props.subnet });
    }
    return new BayResource(scope, id, V1_POOL_MEMBER, { pool: this.pool.id, address, port: this.props.port });
  }
}
