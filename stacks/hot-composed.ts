/**
 * Composition example in HOT: a HotStack holding a bay next to raw HOT
 * resources that refer to it with kubebay references — a Designate record
 * for the API's floating IP and an extra ingress rule (HTTPS to the minions
 * from a partner network) on the bay's minion security group. One template
 * set; Heat creates it as one stack.
 *
 *   node dist/stacks/hot-composed.js [OUTDIR]   (default out/hot-composed)
 */
import * as path from 'node:path';
import { HotStack, KubernetesBay, RawHotResource, replaceDir, writeFiles } from 'kubebay';
import type { ExampleOptions } from './two-bays';

/** Synthesizes the example into `outdir` (replaced whole); returns the root template's path. */
export function hotComposed(outdir: string, options: ExampleOptions = {}): string {
  const stack = new HotStack(undefined, 'composed', { description: 'kubebay example: a bay with a DNS record and an extra rule' });
  const bay = new KubernetesBay(stack, 'edge', {
    image: 'ubuntu-24.04',
    keyName: 'default',
    externalNetwork: 'public',
    minionCount: 2,
    apiAllowedCidrs: ['203.0.113.0/24'],
    pkiDir: options.pkiDir,
  });
  new RawHotResource(stack, 'api_dns', {
    type: 'OS::Designate::RecordSet',
    properties: {
      zone: 'example.com.',
      name: `api.${bay.config.name}.example.com.`,
      type: 'A',
      ttl: 300,
      records: [bay.apiLoadBalancer!.floatingIp!.attr('address')],
    },
  });
  new RawHotResource(stack, 'partner_https', {
    type: 'OS::Neutron::SecurityGroupRule',
    properties: {
      security_group: bay.securityGroups.groups.minion.id,
      direction: 'ingress',
      protocol: 'tcp',
      port_range_min: 443,
      port_range_max: 443,
      remote_ip_prefix: '198.51.100.0/24',
      description: 'HTTPS to the minions from the partner network',
    },
  });
  const files = stack.synthesize().files;
  replaceDir(outdir, (staging) => writeFiles(staging, files));
  return path.join(path.resolve(outdir), 'kubecluster.yaml');
}

if (require.main === module) {
  console.log(path.relative(process.cwd(), hotComposed(process.argv[2] ?? 'out/hot-composed')));
}
