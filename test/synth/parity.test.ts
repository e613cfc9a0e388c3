/**
 * Parity: the same bay synthesized to HOT and to Terraform has the same
 * inventory — resource kinds, counts, logical names, ports and rules — read
 * from the model (the bay's constructs), not from a list of names. Kinds
 * Terraform omits on purpose (wait conditions) are the only gap, and the
 * Terraform data source of the external network has no HOT resource (nor
 * the terraform_data guard of number_of_masters).
 */
import { BayOutput, BayParameter, BayResource, isOmitted, isPassThrough, KubernetesBay, NodeGroup } from '../../lib';
import { hotBay, tfBay } from '../helpers';
import { HotTemplate, Match, TerraformTemplate } from '../support/template';

// GIVEN one bay, synthesized both ways
const props = { name: 'parity', masterCount: 3, minionCount: 4, dockerVolumeSize: 5, nodePortAllowedCidrs: ['192.0.2.0/24'] };
const hot = hotBay(props);
const tf = tfBay(props);
const H = HotTemplate.fromSet(hot.set);
const T = TerraformTemplate.fromJson(tf.json);

const all = <X>(bay: KubernetesBay, is: (x: unknown) => x is X): X[] => bay.node.findAll().filter(is);
const resources = (bay: KubernetesBay) => all(bay, BayResource.isBayResource);
const omittedInTf = (r: BayResource<any>) => !!r.kind.tf && isOmitted(r.kind.tf);
const passThroughInHot = (r: BayResource<any>) => !!r.kind.hot && isPassThrough(r.kind.hot);

test('every model resource is in both formats under the same logical name and its kind\'s type', () => {
  for (const r of resources(hot.bay).filter((x) => !passThroughInHot(x))) {
    expect([H.logicalIdOf(r), H.resource(H.logicalIdOf(r)).type]).toEqual([r.logicalName, (r.kind.hot as any).type]);
  }
  for (const r of resources(tf.bay).filter((x) => !omittedInTf(x))) {
    const tfKind = r.kind.tf as any;
    expect(T.addressOf(r)).toBe(`${tfKind.dataSource ? 'data.' : ''}${tfKind.type}.${r.logicalName}`);
  }
});

test('the formats differ only by the kinds one of them lacks: wait conditions (Terraform), the external network lookup (HOT), the master-count guard', () => {
  const model = resources(tf.bay);
  const groups = all(hot.bay, NodeGroup.isNodeGroup).map((g) => H.logicalIdOf(g));
  const hotIds = H.allResourceIds().filter((id) => !groups.includes(id));
  const masters = T.logicalIdOf(tf.bay.parameters.number_of_masters);
  // Terraform's guard of the immutable number_of_masters (HOT: `immutable: true` on the parameter) is the one Terraform-only pair.
  expect(T.resourceIds('terraform_data')).toEqual([`${masters}_check`, `${masters}_deployed`]);
  H.hasParameter('number_of_masters', { immutable: true });
  const omitted = model.filter(omittedInTf);
  expect([...new Set(omitted.map((r) => (r.kind.hot as any).type))].sort()).toEqual(['OS::Heat::WaitCondition', 'OS::Heat::WaitConditionHandle']);
  expect(omitted).toHaveLength(6); // per group: a handle, the first-boot wait condition and the one re-armed with each server
  expect(model.filter(passThroughInHot).map((r) => T.addressOf(r))).toEqual([expect.stringMatching(/^data\.openstack_networking_network_v2\./)]);
  const tfIds = T.allResourceIds().filter((id) => !T.resourceIds('terraform_data').includes(id));
  expect(tfIds).toEqual([...hotIds, ...model.filter(passThroughInHot).map((r) => r.logicalName)].filter((id) => !omitted.some((r) => r.logicalName === id)).sort());
});

test('node groups: one ResourceGroup per group in HOT, for_each over the same keys in Terraform, the same per-node resources', () => {
  const groups = (bay: KubernetesBay) => all(bay, NodeGroup.isNodeGroup);
  expect(H.resourceIds('OS::Heat::ResourceGroup')).toEqual(groups(hot.bay).map((g) => H.logicalIdOf(g)).sort());
  for (const g of groups(tf.bay)) {
    const keys = `local.${T.logicalIdOf(g)}_keys`;
    const perNodeTf = T.allResourceIds().filter((id) => String(T.resource(id).for_each ?? '').includes(keys));
    const hotGroup = groups(hot.bay).find((x) => x.logicalName === g.logicalName)!;
    const nested = H.template(H.resource(H.logicalIdOf(hotGroup)).properties.resource_def.type);
    const hotOnly = hotGroup.resources.filter(omittedInTf).map((r) => H.logicalIdOf(r));
    expect(hotOnly.length).toBeGreaterThan(0);
    expect(perNodeTf).toEqual(nested.allResourceIds().filter((id) => !hotOnly.includes(id)));
    expect(perNodeTf).toEqual(g.resources.filter((r) => !omittedInTf(r)).map((r) => r.logicalName).sort());
  }
});

test('security rules: same protocols, ports and peers', () => {
  const param = (x: unknown) => (typeof x === 'object' && x !== null) || /^\$\{var\./.test(String(x)) ? 'param' : x ?? null;
  const groupOf = (ref: string) => /\.([a-z0-9_]+)\.id\}$/.exec(ref)![1];
  const hotRules = Object.entries(H.findResources('OS::Neutron::SecurityGroupRule')).map(([n, { properties: p }]) =>
    [n, p.protocol, param(p.port_range_min), param(p.port_range_max), p.remote_ip_prefix ?? p.remote_group.get_resource]);
  const tfRules = Object.entries(T.findResources('openstack_networking_secgroup_rule_v2')).map(([n, r]) =>
    [n, r.protocol, param(r.port_range_min), param(r.port_range_max), r.remote_ip_prefix ?? groupOf(r.remote_group_id)]);
  expect(hotRules.length).toBe(tf.bay.securityGroups.rules.length);
  expect(tfRules.sort()).toEqual(hotRules.sort());
  // the extra NodePort CIDR is one of the rules, in both formats
  H.hasResourceProperties('OS::Neutron::SecurityGroupRule', { remote_ip_prefix: '192.0.2.0/24' });
  T.hasResourceProperties('openstack_networking_secgroup_rule_v2', { remote_ip_prefix: '192.0.2.0/24' });
});

test('parameters and outputs: the model\'s, in both formats (Terraform prefixes the bay name)', () => {
  const params = (bay: KubernetesBay) => all(bay, BayParameter.isBayParameter);
  expect(T.variableNames()).toEqual(params(tf.bay).map((p) => T.logicalIdOf(p)).sort());
  expect(H.parameterNames({ hidden: Match.absent() })).toEqual(params(hot.bay).map((p) => H.logicalIdOf(p)).sort());
  const outputs = (bay: KubernetesBay) => all(bay, BayOutput.isBayOutput);
  expect(T.outputNames()).toEqual(outputs(tf.bay).map((o) => T.logicalIdOf(o)).sort());
  const hotOutputs = outputs(hot.bay).filter((o) => !o.props.terraformOnly);
  expect(H.outputNames()).toEqual(hotOutputs.map((o) => H.logicalIdOf(o)).sort());
  // the one Terraform-only output says why HOT has none
  expect(outputs(tf.bay).filter((o) => o.props.terraformOnly).map((o) => o.name)).toEqual(['kubeconfig']);
});
