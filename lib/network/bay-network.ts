/**
 * The bay's private network: network, subnet, router with an external
 * gateway and the router interface (Magnum's fixed_network, fixed_subnet,
 * extrouter, extrouter_inside) — or an existing network brought by the user.
 */
import { Construct } from 'constructs';
import { Value } from '../core/expr';
import { BayResource } from '../core/model';
import { EXTERNAL_NETWORK, NETWORK, ROUTER, ROUTER_INTERFACE, SUBNET } from './kinds';

/** What the rest of a bay needs of its network. */
export interface IBayNetwork {
  readonly networkId: Value;
  readonly subnetId: Value;
  /** Resources that must exist before servers boot (the router interface), if any. */
  readonly readyAfter: readonly BayResource<any>[];
}

export interface BayNetworkProps {
  /** Name prefix of the OpenStack resources. */
  readonly name: string;
  /** The external network lookup (for the router gateway). */
  readonly externalNetwork: BayResource<{ name: Value }>;
  /** Subnet CIDR (a parameter value or a literal). */
  readonly cidr: Value;
  /** DNS nameservers of the subnet (a list parameter value or a literal list). */
  readonly dnsNameservers: Value;
}

/** A new network, subnet, router and router interface. */
export class BayNetwork extends Construct implements IBayNetwork {
  /** Uses an existing network and subnet (which must already route to the external network). */
  public static fromIds(networkId: string, subnetId: string): IBayNetwork {
    return { networkId, subnetId, readyAfter: [] };
  }

  public readonly network: BayResource<any>;
  public readonly subnet: BayResource<any>;
  public readonly router: BayResource<any>;
  public readonly routerInterface: BayResource<any>;

  constructor(scope: Construct, id: string, props: BayNetworkProps) {
    super(scope, id);
    this.network = new BayResource(this, 'fixed_network', NETWORK, { name: `${props.name}-net` });
    this.subnet = new BayResource(this, 'fixed_subnet', SUBNET, {
      name: `${props.name}-subnet`,
      network: this.network.id,
      cidr: props.cidr,
      dnsNameservers: props.dnsNameservers,
    });
    this.router = new BayResource(this, 'extrouter', ROUTER, { name: `${props.name}-router`, externalNetwork: props.externalNetwork.id });
    this.routerInterface = new BayResource(this, 'extrouter_inside', ROUTER_INTERFACE, {
      router: this.router.id,
      subnet: this.subnet.id,
    });
  }

  public get networkId(): Value {
    return this.network.id;
  }
  public get subnetId(): Value {
    return this.subnet.id;
  }
  public get readyAfter(): readonly BayResource<any>[] {
    return [this.routerInterface];
  }
}

/** The external network looked up by name (HOT passes the name through; Terraform reads a data source). */
export function externalNetworkLookup(scope: Construct, name: Value): BayResource<{ name: Value }> {
  return new BayResource(scope, 'external_net', EXTERNAL_NETWORK, { name });
}
