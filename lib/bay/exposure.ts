/**
 * Validation of what the bay's own networks expose: the bay subnet must be
 * private (the security rules open etcd and the Kubernetes API to all of
 * it) unless `allowPublicFixedNetwork`, and no DNS nameserver may be an
 * address of the bay's networks. "Private" is decided by `lib/core/cidr.ts`.
 */
import { cidrRange, containsAddress, isPrivateIpv4, PRIVATE_IPV4 } from '../core/cidr';
import { IssueReporter } from '../core/errors';
import { DEFAULTS, ResolvedBayProps } from './defaults';

/** Reports one problem (see `core/errors.ts`). */
export type ReportError = IssueReporter;

const NETWORK_PROPS = ['fixedNetworkCidr', 'portalNetworkCidr', 'podNetworkCidr'] as const;

/**
 * Exposure problems of `p` (whose CIDRs and nameservers `validateProps`
 * has already checked for syntax: unparseable ones are skipped here).
 */
export function exposureErrors(p: ResolvedBayProps, err: ReportError): void {
  if (typeof p.allowPublicFixedNetwork !== 'boolean') {
    err('allowPublicFixedNetwork', p.allowPublicFixedNetwork, 'is not a boolean', 'use true or false');
  } else if (!p.allowPublicFixedNetwork && cidrRange(p.fixedNetworkCidr)?.family === 'ipv4' && !isPrivateIpv4(p.fixedNetworkCidr)) {
    err(
      'fixedNetworkCidr',
      p.fixedNetworkCidr,
      `is not a private network (${PRIVATE_IPV4.join(', ')}): the security rules open etcd and the Kubernetes API to the whole bay subnet`,
      'use a private range such as 10.0.0.0/24, or set allowPublicFixedNetwork: true for an existing subnet that really has public addresses',
    );
  }
  // With existingNetwork the subnet keeps its own nameservers (dnsNameservers cannot be set).
  if (p.existingNetwork || !Array.isArray(p.dnsNameservers)) return;
  const dflt = (p.dnsNameservers as readonly string[]) === DEFAULTS.dnsNameservers ? '(the default) ' : '';
  for (const ns of p.dnsNameservers) {
    for (const prop of NETWORK_PROPS) {
      const cidr = p[prop];
      if (typeof ns !== 'string' || typeof cidr !== 'string' || !containsAddress(cidr, ns)) continue;
      err(
        'dnsNameservers',
        ns,
        `${dflt}is inside ${prop} ${cidr}: the nodes would send their DNS queries to an address of the bay's own network`,
        `set dnsNameservers to resolvers outside the bay's networks${dflt ? `, or move ${prop}` : ''}`,
      );
    }
  }
}
