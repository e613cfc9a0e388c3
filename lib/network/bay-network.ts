/**
 * The bay's private network: network, subnet, router with an external
 * gateway and the router interface (Magnum's fixed_network, fixed_subnet,
 * extrouter, extrouter_inside) — or an existing network brought by the user.
 */
import { Construct } from 'constructs';
import { Value } from '../core/expr';
import { BayResource } from '../core/model';
import { EXTERNAL_NETWORK, NETWORK, ROUTER, ROUTER_INTERFACE, SUBNET } from './kinds';

/**
 * What the rest of a bay needs of its network: where ports go, and what
 * must exist before a server boots. Implemented by `BayNetwork` (a new
 * network) and by `BayNetwork.fromIds()` (an existing one).
 */
export interface IBayNetwork {
  /** Id of the Neutron network the nodes' ports are on (a reference, or a literal id). */
  readonly networkId: Value;
  /** Id of the subnet the ports, load balancers and pool members use (a reference, or a literal id). */
  readonly subnetId: Value;
  /** Resources that must exist before servers boot (the router interface), if any. */
  readonly readyAfter: readonly BayResource<any>[];
}

/** Props of `BayNetwork`. Every prop is required: the bay resolves the defaults. */
export interface BayNetworkProps {
  /** Name prefix of the OpenStack resources: `<name>-net`, `<name>-subnet`, `<name>-router`. */
  readonly name: string;
  /**
   * The external network lookup (see `externalNetworkLookup`), for the
   * router's gateway: HOT passes its name through, Terraform reads its id
   * from a data source.
   */
  readonly externalNetwork: BayResource<{ name: Value }>;
  /** Subnet CIDR (a parameter value, so it can change at deploy time, or a literal). */
  readonly cidr: Value;
  /** DNS nameservers of the subnet (a list parameter value or a literal list). */
  readonly dnsNameservers: Value;
  /** Neutron's allocation pool (see `reservedAddresses`). @default - the whole subnet but the gateway */
  readonly allocationPool?: { readonly start: string; readonly end: string };
}

/**
 * A new private network for a bay: network, subnet, a router with a gateway
 * on the external network, and the router interface joining them (Magnum's
 * `fixed_network`, `fixed_subnet`, `extrouter`, `extrouter_inside`). Servers
 * wait for the router interface (`readyAfter`) so that they boot with a
 * route out.
 *
 * ```ts
 * const net = new BayNetwork(bay, 'network', { name: 'demo', externalNetwork: externalNetworkLookup(bay, 'public'), cidr: '10.0.0.0/24', dnsNameservers: ['8.8.8.8'] });
 * ```
 */
export class BayNetwork extends Construct implements IBayNetwork {
  /** Uses an existing network and subnet (which must already route to the external network). */
  public static fromIds(networkId: string, subnetId: string): IBayNetwork {
    return { networkId, subnetId, readyAfter: [] };
  }

  /** The Neutron network (`fixed_network`). */
  public readonly network: BayResource<any>;
  /** The subnet on it (`fixed_subnet`). */
  public readonly subnet: BayResource<any>;
  /** The router with the external gateway (`extrouter`). */
  public readonly router: BayResource<any>;
  /** The router's interface on the subnet (`extrouter_inside`). */
  public readonly routerInterface: BayResource<any>;

  constructor(scope: Construct, id: string, props: BayNetworkProps) {
    super(scope, id);
    this.network = new BayResource(this, 'fixed_network', NETWORK, { name: `${props.name}-net` });
    this.subnet = new BayResource(this, 'fixed_subnet', SUBNET, {
      name: `${props.name}-subnet`,
      network: this.network.id,
      cidr: props.cidr,
      dnsNameservers: props.dnsNameservers,
      allocationPool: props.allocationPool && { ...props.allocationPool },
    });
    this.router = new BayResource(this, 'extrouter', ROUTER, { name: `${props.name}-router`, externalNetwork: props.externalNetwork.id });
    this.routerInterface = new BayResource(this, 'extrouter_inside', ROUTER_INTERFACE, {
      router: this.router.id,
      subnet: this.subnet.id,
    });
  }

  /** A reference to the new network's id. */
  public get networkId(): Value {
    return this.network.id;
  }
  /** A reference to the new subnet's id. */
  public get subnetId(): Value {
    return this.subnet.id;
  }
  /** The router interface: servers created before it would boot without a route out. */
  public get readyAfter(): readonly BayResource<any>[] {
    return [this.routerInterface];
  }
}

/** The external network looked up by name (HOT passes the name through; Terraform reads a data source). */
export function externalNetworkLookup(scope: Construct, name: Value): BayResource<{ name: Value }> {
  return new BayResource(scope, 'external_net', EXTERNAL_NETWORK, { name });
}
