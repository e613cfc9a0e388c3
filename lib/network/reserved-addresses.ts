/**
 * Addresses of a bay subnet kept out of Neutron's allocation pool, so that
 * they are known at synthesis, before any port or load balancer exists
 * (`fixedApiVip`): the top of the subnet's last /24.
 *
 * For `10.0.0.0/24`: gateway `10.0.0.1` (Neutron's default), allocation pool
 * `10.0.0.2`–`10.0.0.239`, masters `10.0.0.240`–`10.0.0.249` (node key 0–9),
 * etcd VIP `10.0.0.253`, API VIP `10.0.0.254`. A larger subnet reserves the
 * same offsets in its last /24 (`10.0.0.0/16`: `10.0.255.240`–`10.0.255.254`).
 */
import * as ipaddr from 'ipaddr.js';
import { cidrRange } from '../core/cidr';

/** Masters have fixed addresses for node keys 0 … MAX_FIXED_MASTERS - 1. */
export const MAX_FIXED_MASTERS = 10;

/** The reserved addresses of a subnet, and its allocation pool without them. */
export interface ReservedAddresses {
  /** Neutron's allocation pool: the subnet minus the gateway and the reserved top. */
  readonly allocationPool: { readonly start: string; readonly end: string };
  /** The API load balancer's VIP. */
  readonly apiVip: string;
  /** The etcd load balancer's VIP. */
  readonly etcdVip: string;
  /** A master's address is this prefix followed by its node key (0–9): `10.0.0.24` + key. */
  readonly masterPrefix: string;
}

const dotted = (n: bigint): string => ipaddr.fromByteArray([24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 255n))).toString();

/**
 * The reserved addresses of an IPv4 subnet of /24 or larger; a string saying
 * why not otherwise (for the validation message).
 */
export function reservedAddresses(cidr: string): ReservedAddresses | string {
  const r = cidrRange(cidr);
  const prefix = Number(/\/(\d+)$/.exec(cidr.trim())?.[1]);
  if (!r || r.family !== 'ipv4') return 'is not an IPv4 CIDR';
  if (prefix > 24) return `is a /${prefix}: the fixed addresses take the top of a /24 (.240–.254)`;
  const top = r.last - 255n; // first address of the last /24
  return {
    allocationPool: { start: dotted(r.first + 2n), end: dotted(top + 239n) },
    apiVip: dotted(top + 254n),
    etcdVip: dotted(top + 253n),
    masterPrefix: dotted(top + 240n).replace(/0$/, ''),
  };
}
