/**
 * The template assertions themselves: each passes on a match and FAILS, with
 * a message naming what differs, on a mismatch.
 */
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { attachTerraform, BayParameter, HotStack } from '../../lib';
import { BayNetwork, externalNetworkLookup } from '../../lib/network/bay-network';
import { HotTemplate, Match, TerraformTemplate } from './template';
import { matchValue } from './match';
import { tmpDir } from '../tmp';

const hotDocs = {
  'root.yaml': {
    parameters: { cidr: { type: 'string', default: '10.0.0.0/24' } },
    resources: {
      net: { type: 'OS::Neutron::Net', properties: { name: 'n' } },
      rule_a: { type: 'OS::Neutron::SecurityGroupRule', properties: { protocol: 'tcp', port_range_min: 22, ports: [1, 2] } },
      rule_b: { type: 'OS::Neutron::SecurityGroupRule', properties: { protocol: 'udp', port_range_min: 8472, ports: [3] } },
    },
    outputs: { addr: { value: { get_attr: ['net', 'x'] } } },
  },
  'nested.yaml': { resources: { server: { type: 'OS::Nova::Server', properties: { image: { get_param: 'image' } }, depends_on: ['port'] } } },
};

describe('Match', () => {
  test('objects match partially and recursively; arrays exactly, element by element', () => {
    expect(matchValue({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 })).toEqual([]);
    expect(matchValue({ a: { b: 2 } }, { a: { b: 1 } })).toEqual([{ path: '/a/b', message: 'expected 2, got 1' }]);
    expect(matchValue([1, 2], [1, 2, 3])).toHaveLength(1);
    expect(matchValue({ a: 1 }, 'x')[0].message).toMatch(/expected an object/);
  });

  test('anyValue, absent, not, exact, objectEquals, stringLikeRegexp, mentions', () => {
    expect(matchValue({ a: Match.anyValue() }, { a: 0 })).toEqual([]);
    expect(matchValue({ a: Match.anyValue() }, {})).toHaveLength(1);
    expect(matchValue({ a: Match.absent() }, {})).toEqual([]);
    expect(matchValue({ a: Match.absent() }, { a: 1 })).toHaveLength(1);
    expect(matchValue(Match.not({ a: 1 }), { a: 1 })).toHaveLength(1);
    expect(matchValue(Match.not({ a: 1 }), { a: 2 })).toEqual([]);
    expect(matchValue(Match.exact({ a: { b: 1 } }), { a: { b: 1, c: 2 } })).toEqual([{ path: '/a/c', message: 'expected undefined, got 2' }]);
    expect(matchValue(Match.objectEquals({ a: 1 }), { a: 1, b: 2 })).toHaveLength(1);
    expect(matchValue(Match.stringLikeRegexp(/^\$\{var\./), '${var.x}')).toEqual([]);
    expect(matchValue(Match.stringLikeRegexp(/^\$\{var\./), 3)).toHaveLength(1);
    expect(matchValue(Match.mentions('demo_x'), { a: '${foo.demo_x.id}' })).toEqual([]);
    expect(matchValue(Match.mentions('demo_y'), { a: '${foo.demo_x.id}' })).toHaveLength(1);
  });

  test('arrayWith finds the elements in order, with others between', () => {
    expect(matchValue(Match.arrayWith([1, 3]), [1, 2, 3])).toEqual([]);
    expect(matchValue(Match.arrayWith([3, 1]), [1, 2, 3])).toHaveLength(1);
    expect(matchValue(Match.arrayWith([{ a: 1 }]), [{ a: 1, b: 2 }])).toEqual([]);
    expect(matchValue(Match.arrayWith([1]), 'x')).toHaveLength(1);
  });
});

describe('HotTemplate', () => {
  const t = HotTemplate.fromDocs(hotDocs);

  test('hasResourceProperties passes on a partial match and fails naming the closest candidate and the differing path', () => {
    t.hasResourceProperties('OS::Neutron::SecurityGroupRule', { protocol: 'udp' });
    t.hasResourceProperties('OS::Nova::Server', { image: { get_param: 'image' } });
    expect(() => t.hasResourceProperties('OS::Neutron::SecurityGroupRule', { protocol: 'udp', port_range_min: 22 })).toThrow(
      /no OS::Neutron::SecurityGroupRule \(of 2\) matches[\s\S]*rule_b:\n {2}\/port_range_min: expected 22, got 8472/,
    );
    expect(() => t.hasResourceProperties('OS::Neutron::Port', {})).toThrow(/no resource of type OS::Neutron::Port; types are OS::Neutron::Net/);
  });

  test('hasResource matches the whole body (depends_on, condition)', () => {
    t.hasResource('OS::Nova::Server', { depends_on: ['port'] });
    expect(() => t.hasResource('OS::Nova::Server', { depends_on: ['net'] })).toThrow(/depends_on\/0: expected "net", got "port"/);
    expect(() => t.hasResource('OS::Nova::Server', { condition: Match.anyValue() })).toThrow(/condition: expected a value/);
  });

  test('counts, finds and ids', () => {
    t.resourceCountIs('OS::Neutron::SecurityGroupRule', 2);
    expect(() => t.resourceCountIs('OS::Neutron::SecurityGroupRule', 3)).toThrow(/expected 3 OS::Neutron::SecurityGroupRule, found 2: rule_a, rule_b/);
    t.resourcePropertiesCountIs('OS::Neutron::SecurityGroupRule', { protocol: 'tcp' }, 1);
    expect(() => t.resourcePropertiesCountIs('OS::Neutron::SecurityGroupRule', { protocol: 'tcp' }, 2)).toThrow(/found 1: rule_a/);
    expect(Object.keys(t.findResources('OS::Neutron::SecurityGroupRule', { ports: Match.arrayWith([3]) }))).toEqual(['rule_b']);
    expect(t.getResourceId('OS::Neutron::SecurityGroupRule', { protocol: 'tcp' })).toBe('rule_a');
    expect(() => t.getResourceId('OS::Neutron::SecurityGroupRule')).toThrow(/expected one .* found 2/);
    expect(() => t.hasNoResourceProperties('OS::Neutron::SecurityGroupRule', { protocol: 'tcp' })).toThrow(/found rule_a/);
    t.hasNoResourceProperties('OS::Neutron::SecurityGroupRule', { protocol: 'icmp' });
    expect(t.inventory()).toEqual({ 'OS::Neutron::Net': 1, 'OS::Neutron::SecurityGroupRule': 2, 'OS::Nova::Server': 1 });
    expect(() => t.resource('nope')).toThrow(/no resource nope; resources are net, rule_a/);
  });

  test('template() scopes resources, parameters and outputs to one file', () => {
    const nested = t.template('nested.yaml');
    nested.resourceCountIs('OS::Neutron::Net', 0);
    nested.resourceCountIs('OS::Nova::Server', 1);
    t.hasParameter('cidr', { default: '10.0.0.0/24' });
    expect(() => t.hasParameter('cidr', { default: '10.1.0.0/24' })).toThrow(/\/default: expected "10.1.0.0\/24", got "10.0.0.0\/24"/);
    expect(() => nested.parameter('cidr')).toThrow(/no parameter cidr in nested.yaml/);
    t.hasOutput('addr', { value: { get_attr: ['net', 'x'] } });
    expect(() => t.template('other.yaml')).toThrow(/no template other.yaml; templates are root.yaml, nested.yaml/);
  });
});

describe('TerraformTemplate', () => {
  const t = TerraformTemplate.fromJson({
    resource: { openstack_networking_network_v2: { n: { name: 'x' } } },
    data: { openstack_networking_network_v2: { ext: { name: '${var.ext}' } } },
    variable: { ext: { type: 'string', default: 'public' } },
    output: { o: { value: 1 } },
    locals: { g_keys: 'k' },
  });

  test('resources and data sources (as data.<type>), variables, outputs, locals; failures name what differs', () => {
    t.hasResourceProperties('openstack_networking_network_v2', { name: 'x' });
    t.hasResourceProperties('data.openstack_networking_network_v2', { name: '${var.ext}' });
    t.resourceCountIs('openstack_networking_network_v2', 1);
    expect(() => t.hasResourceProperties('openstack_networking_network_v2', { name: 'y' })).toThrow(/n:\n {2}\/name: expected "y", got "x"/);
    t.hasVariable('ext', { default: 'public' });
    expect(() => t.hasVariable('ext', { default: 'private' })).toThrow(/Terraform variable ext does not match/);
    expect(() => t.variable('nope')).toThrow(/no variable nope; there are ext/);
    expect(t.output('o')).toEqual({ value: 1 });
    expect(t.local('g_keys')).toBe('k');
  });
});

describe('logical ids come from constructs, in both formats', () => {
  function build(scope: Construct): { net: BayNetwork; cidr: BayParameter } {
    const cidr = new BayParameter(scope, 'cidr', { type: 'string', description: 'subnet CIDR', default: '10.0.0.0/24' });
    const net = new BayNetwork(scope, 'Network', { name: 'n', externalNetwork: externalNetworkLookup(scope, 'public'), cidr: cidr.value, dnsNameservers: ['192.0.2.53'] });
    return { net, cidr };
  }

  test('HOT: logicalIdOf, getResource, getParam; a construct that is not an element fails naming the fix', () => {
    const root = new HotStack(undefined, 'root');
    const { net, cidr } = build(root);
    const hot = HotTemplate.fromSet(root.synthesize().set);
    expect(hot.logicalIdOf(net.subnet)).toBe('fixed_subnet');
    hot.hasResourceProperties('OS::Neutron::Subnet', { network: hot.getResource(net.network), cidr: hot.getParam(cidr) });
    expect(() => hot.logicalIdOf(net)).toThrow(/root\/Network is not a resource.*e.g. bay.network.subnet/);
  });

  test('Terraform: logicalIdOf, addressOf, ref (data sources as data.<type>), varRef', () => {
    const app = new App({ outdir: tmpDir('kubebay-tf-') });
    const stack = new TerraformStack(app, 's');
    const { net, cidr } = build(stack);
    attachTerraform(stack);
    const ext = net.node.scope!.node.tryFindChild('external_net') as any;
    const tf = TerraformTemplate.fromStack(stack);
    expect(tf.addressOf(net.subnet)).toBe('openstack_networking_subnet_v2.fixed_subnet');
    expect(tf.addressOf(ext)).toBe('data.openstack_networking_network_v2.external_net');
    tf.hasResourceProperties('openstack_networking_subnet_v2', { network_id: tf.ref(net.network), cidr: tf.varRef(cidr) });
    tf.hasResourceProperties('openstack_networking_router_v2', { external_network_id: tf.ref(ext) });
    expect(() => tf.hasResourceProperties('openstack_networking_subnet_v2', { network_id: tf.ref(net.router) })).toThrow(/network_id: expected/);
  });
});
