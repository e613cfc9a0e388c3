/**
 * Parity: the same bay synthesized to HOT and to Terraform has the same
 * inventory — resource kinds, counts, logical names, ports and rules.
 * Kinds Terraform omits on purpose (wait conditions) are the only gap, and
 * the Terraform data source of the external network has no HOT resource
 * (nor the terraform_data guard of number_of_masters).
 */
import { KubernetesBay, BayResource, isOmitted, isPassThrough } from '../../lib';
import { hotBay, hotResources, tfBay, tfResources } from '../helpers';

// GIVEN one bay, synthesized both ways
const props = { name: 'parity', masterCount: 3, minionCount: 4, dockerVolumeSize: 5, nodePortAllowedCidrs: ['192.0.2.0/24'] };
const hot = hotBay(props);
const tf = tfBay({ ...props, name: 'parity' });

/** Neutral kind of every resource by logical name, from the construct tree. */
function neutralKinds(bay: KubernetesBay): Map<string, BayResource<any>> {
  return new Map(bay.node.findAll().filter(BayResource.isBayResource).map((r) => [r.logicalName, r]));
}

test('every resource has the same logical name in both formats', () => {
  const model = neutralKinds(tf.bay);
  const hotNames = hotResources(hot.docs).map(([, n]) => n).filter((n) => !n.endsWith('kube_masters') && !n.endsWith('kube_minions'));
  // Terraform's guard of the immutable number_of_masters (HOT: `immutable: true` on the parameter) is the one Terraform-only pair.
  const guards = tfResources(tf.json).filter(([t]) => t === 'terraform_data').map(([, n]) => n);
  expect(guards.sort()).toEqual(['parity_number_of_masters_check', 'parity_number_of_masters_deployed']);
  const tfNames = tfResources(tf.json).filter(([t]) => t !== 'terraform_data').map(([, n]) => n);
  const omittedInTf = [...model.values()].filter((r) => r.kind.tf && isOmitted(r.kind.tf)).map((r) => r.logicalName);
  const passThroughInHot = [...model.values()].filter((r) => r.kind.hot && isPassThrough(r.kind.hot)).map((r) => r.logicalName);
  expect(omittedInTf.sort()).toEqual(['parity_master_wait', 'parity_master_wait_handle', 'parity_master_wait_server', 'parity_minion_wait', 'parity_minion_wait_handle', 'parity_minion_wait_server']);
  expect(passThroughInHot).toEqual(['parity_external_net']);
  expect(tfNames.sort()).toEqual(hotNames.filter((n) => !omittedInTf.includes(n)).sort());
});

test('node groups: one ResourceGroup per group in HOT, for_each over the same keys in Terraform', () => {
  const root = hot.docs.get('kubecluster.yaml');
  const groups = Object.entries(root.resources).filter(([, r]: [string, any]) => r.type === 'OS::Heat::ResourceGroup').map(([n]) => n);
  expect(groups.sort()).toEqual(['parity_kube_masters', 'parity_kube_minions']);
  expect(Object.keys(tf.json.locals).filter((n) => n.endsWith('_keys')).sort()).toEqual(['parity_kube_masters_keys', 'parity_kube_minions_keys']);
  const nestedHot = (file: string) => Object.keys(hot.docs.get(file).resources).filter((n) => !/wait/.test(n)).sort();
  const perNodeTf = (group: string) =>
    tfResources(tf.json).filter(([, , r]) => String(r.for_each ?? '').includes(group)).map(([, n]) => n).sort();
  expect(perNodeTf('kube_masters_keys')).toEqual(nestedHot('kubemaster.yaml'));
  expect(perNodeTf('kube_minions_keys')).toEqual(nestedHot('kubeminion.yaml'));
});

test('security rules: same protocols, ports and peers', () => {
  const hotRules = hotResources(hot.docs)
    .filter(([, , r]) => r.type === 'OS::Neutron::SecurityGroupRule')
    .map(([, n, r]) => [n, r.properties.protocol, r.properties.port_range_min ?? null, r.properties.port_range_max ?? null, r.properties.remote_ip_prefix ?? r.properties.remote_group.get_resource]);
  const tfRules = tfResources(tf.json)
    .filter(([type]) => type === 'openstack_networking_secgroup_rule_v2')
    .map(([, n, r]) => [n, r.protocol, r.port_range_min ?? null, r.port_range_max ?? null, r.remote_ip_prefix ?? /\.([a-z0-9_]+)\.id/.exec(r.remote_group_id)![1]]);
  const norm = (rows: any[][]) => rows.map((r) => JSON.stringify(r.map((x) => (typeof x === 'object' && x ? 'param' : /^\$\{var\./.test(String(x)) ? 'param' : x)))).sort();
  expect(norm(tfRules)).toEqual(norm(hotRules));
});

test('parameters and outputs: the same names (Terraform prefixes the bay name)', () => {
  const root = hot.docs.get('kubecluster.yaml');
  const visible = Object.entries(root.parameters).filter(([, p]: [string, any]) => !p.hidden).map(([n]) => n).sort();
  expect(Object.keys(tf.json.variable).map((n) => n.replace(/^parity_/, '')).sort()).toEqual(visible);
  const tfOutputs = Object.keys(tf.json.output).map((n) => n.replace(/^parity_/, ''));
  expect(tfOutputs.filter((n) => n !== 'kubeconfig').sort()).toEqual(Object.keys(root.outputs).sort());
});
