/**
 * Composition example: two bays in one TerraformStack, sharing one external
 * network, plus the user's own resource — a Designate record per bay that
 * points at the bay's API address (`bay.apiAddress`, an ordinary cdktf
 * reference). Every name is prefixed by the bay's name, so nothing clashes.
 *
 *   node dist/stacks/two-bays.js [OUTDIR]   (default out/two-bays)
 */
import * as path from 'node:path';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { dnsRecordsetV2 } from 'kubebay/openstack';
import { assertValid, KubernetesBay, KubernetesBayProps, replaceDir } from 'kubebay';

export const TWO_BAYS_STACK = 'two-bays';

export interface ExampleOptions {
  /** Certificate store of the bays. @default '.kubebay/pki' */
  readonly pkiDir?: string;
}

/** What the two bays share: image, keypair and, above all, the external network. */
const SHARED: KubernetesBayProps = {
  image: 'ubuntu-24.04',
  keyName: 'default',
  externalNetwork: 'public',
  minionCount: 2,
  sshAllowedCidrs: ['203.0.113.0/24'],
  apiAllowedCidrs: ['203.0.113.0/24'],
};

/** Synthesizes the example into `outdir` (replaced whole); returns the stack's cdk.tf.json. */
export function twoBays(outdir: string, options: ExampleOptions = {}): string {
  return replaceDir(outdir, (staging) => {
    const app = new App({ outdir: staging });
    const stack = new TerraformStack(app, TWO_BAYS_STACK);
    const zone = new TerraformVariable(stack, 'dns_zone_id', { type: 'string', description: 'Designate zone of the API records' });
    const bays = [
      new KubernetesBay(stack, 'blue', { ...SHARED, name: 'blue', pkiDir: options.pkiDir }),
      new KubernetesBay(stack, 'green', { ...SHARED, name: 'green', pkiDir: options.pkiDir, fixedNetworkCidr: '10.0.1.0/24' }),
    ];
    for (const bay of bays) {
      const name = bay.config.name;
      new dnsRecordsetV2.DnsRecordsetV2(stack, `${name}_api_dns`, {
        zoneId: zone.stringValue,
        name: `api.${name}.example.com.`,
        type: 'A',
        ttl: 300,
        records: [bay.apiAddress],
      });
      new TerraformOutput(stack, `${name}_endpoint`, { value: `https://${bay.apiAddress}:${bay.config.kubernetesPort}` });
    }
    assertValid(app);
    app.synth();
    return path.join(path.resolve(outdir), 'stacks', TWO_BAYS_STACK, 'cdk.tf.json');
  });
}

if (require.main === module) {
  console.log(path.relative(process.cwd(), twoBays(process.argv[2] ?? 'out/two-bays')));
}
