// A cdktf program of your own: two bays, your OpenStack provider (with a
// region), and your own OpenStack resources next to the bays.
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { KubernetesBay } from 'kubebay';
import { dnsRecordsetV2, provider } from 'kubebay/openstack';

const app = new App();
const stack = new TerraformStack(app, 'platform');

// Your provider configuration; kubebay's resources use it and add no other.
new provider.OpenstackProvider(stack, 'openstack', { region: 'RegionOne' });

const shared = {
  image: 'ubuntu-24.04',
  keyName: 'ops',
  externalNetwork: 'public',
  apiAllowedCidrs: ['203.0.113.0/24'],
};
const prod = new KubernetesBay(stack, 'prod', { ...shared, name: 'prod', masterCount: 3, minionCount: 5 });
const stage = new KubernetesBay(stack, 'stage', { ...shared, name: 'stage', fixedNetworkCidr: '10.0.1.0/24' });

// A bay's attributes are ordinary cdktf references.
for (const bay of [prod, stage]) {
  new dnsRecordsetV2.DnsRecordsetV2(stack, `${bay.config.name}_api`, {
    zoneId: 'ZONE-ID',
    name: `api.${bay.config.name}.example.com.`,
    type: 'A',
    records: [bay.apiAddress],
  });
  new TerraformOutput(stack, `${bay.config.name}_endpoint`, {
    value: `https://${bay.apiAddress}:${bay.config.kubernetesPort}`,
  });
}
app.synth();
