import { TerraformOutput } from 'cdktf';
import * as openstack from '../../.gen/providers/openstack';
import { KubernetesBay } from '../../lib';
import { BASE_PROPS, synthTf, tfResources } from '../helpers';

test('two bays and a user resource in one TerraformStack: no name clash, the user resource references a bay', () => {
  // GIVEN
  const { json } = synthTf((stack) => {
    const blue = new KubernetesBay(stack, 'blue', { ...BASE_PROPS, name: 'blue' });
    new KubernetesBay(stack, 'green', { ...BASE_PROPS, name: 'green', fixedNetworkCidr: '10.1.0.0/24' });
    // WHEN the user's own resource uses a bay's API address (an ordinary cdktf reference)
    new openstack.dnsRecordsetV2.DnsRecordsetV2(stack, 'api_dns', { zoneId: 'zone-1', name: 'api.blue.example.com.', type: 'A', records: [blue.apiAddress] });
    new TerraformOutput(stack, 'blue_endpoint', { value: `https://${blue.apiAddress}:6443` });
  });
  // THEN
  const names = tfResources(json).map(([type, name]) => `${type}.${name}`);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter((n) => n.includes('.blue_')).length).toBe(names.filter((n) => n.includes('.green_')).length);
  expect(Object.keys(json.variable)).toEqual(expect.arrayContaining(['blue_number_of_minions', 'green_number_of_minions']));
  expect(json.resource.openstack_dns_recordset_v2.api_dns.records).toEqual(['${openstack_networking_floatingip_v2.blue_api_floating.address}']);
  expect(json.output.blue_endpoint.value).toBe('https://${openstack_networking_floatingip_v2.blue_api_floating.address}:6443');
  expect(Object.keys(json.provider)).toEqual(['openstack']);
  expect(json.provider.openstack).toHaveLength(1);
});

test("the user's own OpenStack provider is reused, not duplicated", () => {
  const { json } = synthTf((stack) => {
    new openstack.provider.OpenstackProvider(stack, 'os', { cloud: 'prod' });
    new KubernetesBay(stack, 'solo', { ...BASE_PROPS, name: 'solo' });
  });
  expect(json.provider.openstack).toEqual([{ cloud: 'prod' }]);
});
