/**
 * The HOT expression module on its own: neutral values → HOT functions, with
 * what each value declares (inputs of a nested template, conditions,
 * secrets, group outputs) asked of the context — here a recording fake.
 */
import { Construct } from 'constructs';
import { BayParameter, BayResource, BaySecret, Condition, If, Join, NodeGroup, Sub } from '../../../lib';
import { HotContext, localRef, resolveHot } from '../../../lib/synth/hot/expressions';
import { NETWORK, PORT } from '../../../lib/network/kinds';

function model() {
  const root = new Construct(undefined as any, 'bay');
  const port = new BayParameter(root, 'kubernetes_port', { type: 'number', description: 'API port', default: 6443 });
  const key = new BaySecret(root, 'ca_key', { description: 'CA key', file: '/nonexistent/ca.key' });
  const net = new BayResource(root, 'net', NETWORK, { name: 'n' });
  const group = new NodeGroup(root, 'kube_minions', { count: 2, templateName: 'kubeminion.yaml' });
  const nodePort = new BayResource(group, 'minion_port', PORT, { name: 'p', network: net.id, subnet: 's', securityGroups: [] });
  return { root, port, key, net, group, nodePort };
}

/** A context that records every declaration, in the root (no group) or in `group`. */
function recorder(group?: NodeGroup) {
  const calls: string[] = [];
  const ctx: HotContext = {
    group,
    where: '[test]',
    input: (name, type, hidden, rootValue) => {
      calls.push(`input ${name} ${type}${hidden ? ' hidden' : ''}`);
      return group ? { get_param: name, from: rootValue() } : rootValue();
    },
    condition: (name, def) => void calls.push(`condition ${name} ${JSON.stringify(def)}`),
    secret: (s) => void calls.push(`secret ${s.name}`),
    outerDependency: (name) => void calls.push(`after ${name}`),
    groupOutput: (g, name, r, attr) => void calls.push(`output ${g.logicalName}.${name} = ${r.logicalName}.${attr}`),
  };
  return { ctx, calls };
}

test('plain JSON stays as it is, undefined members are dropped', () => {
  const { ctx, calls } = recorder();
  expect(resolveHot({ a: 1, b: undefined, c: ['x', true] }, ctx)).toEqual({ a: 1, c: ['x', true] });
  expect(calls).toEqual([]);
});

test('a parameter is get_param in the root, and an input parameter of a nested template', () => {
  const m = model();
  const root = recorder();
  expect(resolveHot(m.port.value, root.ctx)).toEqual({ get_param: 'kubernetes_port' });
  const nested = recorder(m.group);
  expect(resolveHot(m.port.value, nested.ctx)).toEqual({ get_param: 'kubernetes_port', from: { get_param: 'kubernetes_port' } });
  expect(nested.calls).toEqual(['input kubernetes_port number']);
});

test('a secret declares its hidden parameter and arrives in a nested template as a hidden input', () => {
  const m = model();
  const { ctx, calls } = recorder(m.group);
  resolveHot(m.key.value, ctx);
  expect(calls).toEqual(['secret ca_key', 'input ca_key string hidden']);
});

test('references: get_resource / get_attr in the same template; from a group, an input and an ordering on the outer resource', () => {
  const m = model();
  const { ctx } = recorder();
  expect(resolveHot(m.net.id, ctx)).toEqual({ get_resource: 'net' });
  expect(localRef(m.nodePort, 'privateIp', PORT.hot as any)).toEqual({ get_attr: ['minion_port', 'fixed_ips', 0, 'ip_address'] });
  const nested = recorder(m.group);
  expect(resolveHot(m.net.id, nested.ctx)).toEqual({ get_param: 'net', from: { get_resource: 'net' } });
  expect(nested.calls).toEqual(['after net', 'input net string']);
});

test('a per-node resource read from the root is an error pointing at attrList()/attrMap(); its group attribute is a group output', () => {
  const m = model();
  const { ctx, calls } = recorder();
  expect(() => resolveHot(m.nodePort.id, ctx)).toThrow(/\[test\]: bay\/kube_minions\/minion_port is repeated per node; .*attrList\(\)\/attrMap\(\)/);
  expect(resolveHot(m.group.attrList(m.nodePort, 'privateIp'), ctx)).toEqual({ get_attr: ['kube_minions', 'minion_port_privateip'] });
  expect(resolveHot(m.group.attrMap(m.nodePort, 'privateIp'), ctx)).toEqual({ get_attr: ['kube_minions', 'attributes', 'minion_port_privateip'] });
  expect(calls).toEqual(['output kube_minions.minion_port_privateip = minion_port.privateIp', 'output kube_minions.minion_port_privateip = minion_port.privateIp']);
});

test('node keys exist only inside a group; group attributes only outside', () => {
  const m = model();
  expect(resolveHot(m.group.key, recorder(m.group).ctx)).toEqual({ get_param: 'node_index' });
  expect(() => resolveHot(m.group.key, recorder().ctx)).toThrow(/\[test\]: a node key is only defined inside a node group/);
  expect(() => resolveHot(m.group.attrList(m.nodePort, 'privateIp'), recorder(m.group).ctx)).toThrow(/read from outside the group/);
});

test('join, if (declaring its condition first) and str_replace', () => {
  const m = model();
  const { ctx, calls } = recorder();
  expect(resolveHot(new Join('-', ['a', m.port.value]), ctx)).toEqual({ list_join: ['-', ['a', { get_param: 'kubernetes_port' }]] });
  const single = new Condition('single', { op: 'not', test: { op: 'equals', left: m.port.value, right: 1 } });
  expect(resolveHot(new If(single, 'x', 'y'), ctx)).toEqual({ if: ['single', 'x', 'y'] });
  expect(calls.filter((c) => c.startsWith('condition'))).toEqual(['condition single {"not":{"equals":[{"get_param":"kubernetes_port"},1]}}']);
  expect(resolveHot(new Sub('port @@P@@ name @@N@@', { P: m.port.value, N: 'n1' }), ctx)).toEqual({
    str_replace: { template: 'port @@P@@ name n1', params: { '@@P@@': { get_param: 'kubernetes_port' } } },
  });
  expect(resolveHot(new Sub('no placeholders', {}), ctx)).toBe('no placeholders');
});

test('a placeholder without a value is an error naming it', () => {
  const sub = new Sub('a @@MISSING@@', {});
  expect(() => resolveHot(sub, recorder().ctx)).toThrow('[test]: placeholder @@MISSING@@ has no value');
});
