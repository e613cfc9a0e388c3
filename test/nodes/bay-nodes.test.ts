/**
 * BayNodes on its own: a node group (HOT ResourceGroup of a nested template,
 * Terraform for_each over node keys) of port, server, wait condition and the
 * optional floating IP, volume and load-balancer memberships.
 */
import { Construct } from 'constructs';
import { BayLoadBalancer, BayNodes, BayNodesProps, BayResource, Condition, Sub } from '../../lib';
import { BayNetwork, externalNetworkLookup } from '../../lib/network/bay-network';
import { SERVER_GROUP } from '../../lib/nodes/kinds';
import { Match } from '../support/template';
import { param, synthBoth } from '../support/tiny-tree';

/** Minions of bay `b1` on a new network, two security groups given as literals. */
function nodes(props: Partial<BayNodesProps> = {}) {
  return (scope: Construct) => {
    const net = new BayNetwork(scope, 'Network', { name: 'b1', externalNetwork: externalNetworkLookup(scope, 'public'), cidr: '10.0.0.0/24', dnsNameservers: [] });
    const count = param(scope, 'count', { type: 'number', default: 2 });
    const n = new BayNodes(scope, 'Minions', {
      role: 'minion',
      bayName: 'b1',
      count: count.value,
      image: 'img',
      flavor: 'm1.small',
      keyName: 'ops',
      network: net,
      securityGroups: ['sg-a', 'sg-b'],
      waitTimeout: 600,
      userData: (node) => new Sub('node=@@KEY@@ vol=@@VOL@@ notify=@@NOTIFY@@', { KEY: node.key, VOL: node.volumeId, NOTIFY: node.waitNotify }),
      ...props,
    });
    return { net, count, n };
  };
}

describe('BayNodes (defaults)', () => {
  // GIVEN minions alone in a tree, WHEN synthesized both ways
  const { H, T, hot, tf } = synthBoth(nodes());
  const nested = H.templateOf(hot.n.server);

  test('HOT: a ResourceGroup of count kubeminion.yaml stacks, after the router interface; the per-node resources in the nested template', () => {
    H.hasResource('OS::Heat::ResourceGroup', {
      properties: { count: H.getParam(hot.count), resource_def: { type: 'kubeminion.yaml' } },
      depends_on: Match.arrayWith([H.logicalIdOf(hot.net.routerInterface)]),
    });
    expect(H.logicalIdOf(hot.n.group)).toBe(H.getResourceId('OS::Heat::ResourceGroup'));
    expect(nested.inventory()).toEqual({ 'OS::Heat::WaitCondition': 2, 'OS::Heat::WaitConditionHandle': 1, 'OS::Neutron::Port': 1, 'OS::Nova::Server': 1 }); // first boot, and re-armed with each server
    H.template(H.files[0]).resourceCountIs('OS::Nova::Server', 0);
  });

  test('Terraform: for_each over the node keys on every per-node resource; no wait conditions', () => {
    const keys = `local.${T.logicalIdOf(tf.n.group)}_keys`;
    expect(T.local(`${T.logicalIdOf(tf.n.group)}_keys`)).toBe(`\${[for i in range(${T.varRef(tf.count).slice(2, -1)}) : tostring(i)]}`);
    T.resourcePropertiesCountIs('openstack_compute_instance_v2', { for_each: '${toset(' + keys + ')}' }, 1);
    T.resourcePropertiesCountIs('openstack_networking_port_v2', { for_each: '${toset(' + keys + ')}' }, 1);
    expect(T.inventory()['openstack_compute_instance_v2']).toBe(1);
  });

  test('each node: a port on the network with the security groups, a server on that port named <bay>-<role>-<key>', () => {
    nested.hasResourceProperties('OS::Neutron::Port', { security_groups: ['sg-a', 'sg-b'] });
    nested.hasResourceProperties('OS::Nova::Server', {
      image: 'img',
      flavor: 'm1.small',
      key_name: 'ops',
      networks: [{ port: H.getResource(hot.n.port) }],
      name: { list_join: ['-', ['b1', 'minion', Match.anyValue()]] },
    });
    T.hasResourceProperties('openstack_networking_port_v2', { security_group_ids: ['sg-a', 'sg-b'], network_id: T.ref(tf.net.network) });
    T.hasResourceProperties('openstack_compute_instance_v2', {
      image_name: 'img',
      flavor_name: 'm1.small',
      key_pair: 'ops',
      name: '${join("-", ["b1", "minion", each.key])}',
      network: [{ port: '${' + T.addressOf(tf.n.port) + '[each.key].id}' }],
    });
  });

  test('the user data gets the node key, no volume, and the wait-condition notify command (Terraform: true)', () => {
    const handle = nested.getResourceId('OS::Heat::WaitConditionHandle');
    nested.hasResourceProperties('OS::Nova::Server', {
      user_data: { str_replace: { template: 'node=@@KEY@@ vol= notify=@@NOTIFY@@', params: { '@@KEY@@': nested.getParam('node_index'), '@@NOTIFY@@': { get_attr: [handle, 'curl_cli'] } } } },
    });
    nested.hasResourceProperties('OS::Heat::WaitCondition', { handle: { get_resource: handle } });
    nested.hasResource('OS::Heat::WaitCondition', { properties: { timeout: 600 }, depends_on: Match.arrayWith([H.logicalIdOf(hot.n.server)]) });
    const tfUd = T.resource(T.logicalIdOf(tf.n.server)).user_data;
    expect(tfUd).toBe('node=${each.key} vol= notify=${"true"}');
  });

  test('no floating IPs, volumes or memberships unless asked; the private IPs are the public ones', () => {
    expect(tf.n.floatingIp).toBeUndefined();
    T.resourceCountIs('openstack_networking_floatingip_v2', 0);
    T.resourceCountIs('openstack_blockstorage_volume_v3', 0);
    T.resourceCountIs('openstack_lb_member_v2', 0);
    expect(tf.n.publicIps).toEqual(tf.n.privateIps);
  });

  test('HOT: a nested stack reports its private IP as OS::stack_id (removal by IP)', () => {
    nested.hasOutput('OS::stack_id', { value: H.getAttr(hot.n.port, 'fixed_ips', 0, 'ip_address') });
  });
});

describe('BayNodes (options)', () => {
  const options = (scope: Construct) => {
    const lb = new BayLoadBalancer(scope, 'api', { name: 'lb', api: 'octavia', subnet: 'sub-lb', port: 6443, protocol: 'TCP' });
    const volumeSize = param(scope, 'volume_size', { type: 'number', default: 10 });
    const serverGroup = new BayResource(scope, 'spread', SERVER_GROUP, { name: 'spread', policy: 'soft-anti-affinity' });
    const built = nodes({
      role: 'master',
      floatingIpNetwork: 'ext',
      loadBalancers: [lb],
      serverGroup,
      removalList: ['1'],
      volume: { size: volumeSize.value, condition: new Condition('has_volume', { op: 'not', test: { op: 'equals', left: volumeSize.value, right: 0 } }) },
    })(scope);
    return { ...built, lb, serverGroup, volumeSize };
  };
  const { H, T, hot, tf } = synthBoth(options);
  const nested = H.templateOf(hot.n.server);

  test('the role names the group, its template and its servers', () => {
    H.hasResourceProperties('OS::Heat::ResourceGroup', { resource_def: { type: 'kubemaster.yaml' } });
    T.hasResourceProperties('openstack_compute_instance_v2', { name: '${join("-", ["b1", "master", each.key])}' });
  });

  test('a floating IP per node on its port, in both formats', () => {
    nested.hasResourceProperties('OS::Neutron::FloatingIP', { floating_network: 'ext', port_id: H.getResource(hot.n.port) });
    T.hasResourceProperties('openstack_networking_floatingip_v2', { pool: 'ext', port_id: '${' + T.addressOf(tf.n.port) + '[each.key].id}' });
    expect(tf.n.publicIps).not.toEqual(tf.n.privateIps);
  });

  test('a volume per node while the condition holds, attached to the server; the user data gets its id', () => {
    nested.hasResource('OS::Cinder::Volume', { condition: 'has_volume', properties: { size: nested.getParam(H.logicalIdOf(hot.volumeSize)) } });
    const volume = nested.getResourceId('OS::Cinder::Volume');
    nested.hasResource('OS::Cinder::VolumeAttachment', { condition: 'has_volume', properties: { instance_uuid: H.getResource(hot.n.server), volume_id: { get_resource: volume } } });
    T.hasResourceProperties('openstack_blockstorage_volume_v3', { size: T.varRef(tf.volumeSize), count: Match.absent() });
    T.resourceCountIs('openstack_compute_volume_attach_v2', 1);
    expect(T.resource(T.logicalIdOf(tf.n.server)).user_data).toMatch(/vol=\$\{.*openstack_blockstorage_volume_v3\./);
  });

  test('a pool membership per load balancer on the private IP; the server group as a scheduler hint; removal policies', () => {
    nested.hasResourceProperties('OS::Octavia::PoolMember', { pool: nested.getParam(H.logicalIdOf(hot.lb.pool)), address: H.getAttr(hot.n.port, 'fixed_ips', 0, 'ip_address') });
    T.hasResourceProperties('openstack_lb_member_v2', { pool_id: T.ref(tf.lb.pool), address: '${' + T.addressOf(tf.n.port) + '[each.key].all_fixed_ips[0]}' });
    nested.hasResourceProperties('OS::Nova::Server', { scheduler_hints: { group: nested.getParam(H.logicalIdOf(hot.serverGroup)) } });
    T.hasResourceProperties('openstack_compute_instance_v2', { scheduler_hints: [{ group: T.ref(tf.serverGroup) }] });
    H.hasResourceProperties('OS::Heat::ResourceGroup', { removal_policies: [{ resource_list: ['1'] }] });
  });
});
