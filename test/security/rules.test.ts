/**
 * Least-privilege security-group rules: pure unit tests of deriveRules and
 * worldOpenViolations, the API-port rules, and the world-open check at synth
 * time (through BaySecurityGroups and through the bay).
 */
import { Construct } from 'constructs';
import { assertValid, BayValidationError, collectErrors, ParamRef } from '../../lib';
import { BayParameter, BayResource } from '../../lib/core/model';
import { BaySecurityGroups } from '../../lib/security/bay-security-groups';
import * as rulesModule from '../../lib/security/rules';
import { deriveRules, RuleSpec, SENSITIVE_PORTS, TopologyForRules, worldOpenViolations } from '../../lib/security/rules';
import { tfBay, tfResources } from '../helpers';

const TOPOLOGY: TopologyForRules = {
  kubernetesPort: 6443,
  fixedNetworkCidr: '10.0.0.0/24',
  apiAllowedCidrs: ['203.0.113.0/24'],
  sshAllowedCidrs: [],
  nodePortAllowedCidrs: [],
  etcdLoadBalancer: true,
};
const topo = (t: Partial<TopologyForRules> = {}): TopologyForRules => ({ ...TOPOLOGY, ...t });

/** The port range a rule opens (the API port for `'api'`); undefined for ICMP. */
const range = (r: RuleSpec, apiPort = 6443): [number, number] | undefined =>
  r.ports === undefined ? (r.protocol === 'icmp' ? undefined : [0, 65535]) : r.ports === 'api' ? [apiPort, apiPort] : [r.ports[0], r.ports[1]];
const opens = (r: RuleSpec, protocol: string, port: number) => {
  const p = range(r);
  return r.protocol === protocol && p !== undefined && p[0] <= port && port <= p[1];
};
const peerOf = (r: RuleSpec) => ('cidr' in r.peer ? r.peer.cidr : `group:${r.peer.group}`);
const rulesOpening = (rules: RuleSpec[], protocol: string, port: number) => rules.filter((r) => opens(r, protocol, port));

describe('deriveRules', () => {
  test('the Kubernetes API: on the masters, from apiAllowedCidrs and the bay subnet only', () => {
    // GIVEN / WHEN
    const rules = deriveRules(topo({ apiAllowedCidrs: ['203.0.113.0/24', '198.51.100.7/32'] }));
    // THEN
    const api = rulesOpening(rules, 'tcp', 6443);
    expect(api.map((r) => [r.group, peerOf(r)]).sort()).toEqual([
      ['master', '10.0.0.0/24'],
      ['master', '198.51.100.7/32'],
      ['master', '203.0.113.0/24'],
    ]);
    // the API rules follow the kubernetes_port parameter
    expect(api.every((r) => r.ports === 'api')).toBe(true);
  });

  test('SSH: no rule by default; with sshAllowedCidrs, port 22 on every node from those CIDRs only', () => {
    expect(rulesOpening(deriveRules(topo()), 'tcp', 22)).toEqual([]);
    // WHEN
    const rules = deriveRules(topo({ sshAllowedCidrs: ['198.51.100.0/24'] }));
    // THEN
    expect(rulesOpening(rules, 'tcp', 22).map((r) => [r.group, peerOf(r), range(r)])).toEqual([['base', '198.51.100.0/24', [22, 22]]]);
  });

  test('etcd 2379-2380: only among masters, plus 2379 from the bay subnet for the etcd load balancer', () => {
    // GIVEN the internal etcd load balancer (the documented exception)
    const withLb = deriveRules(topo({ etcdLoadBalancer: true }));
    expect(rulesOpening(withLb, 'tcp', 2380).map((r) => [r.group, peerOf(r)])).toEqual([['master', 'group:master']]);
    expect(rulesOpening(withLb, 'tcp', 2379).map((r) => [r.group, peerOf(r), range(r)])).toEqual([
      ['master', 'group:master', [2379, 2380]],
      ['master', '10.0.0.0/24', [2379, 2379]],
    ]);
    // WHEN there is no etcd load balancer
    const without = deriveRules(topo({ etcdLoadBalancer: false }));
    // THEN etcd is open to the masters alone
    expect(rulesOpening(without, 'tcp', 2379).map(peerOf)).toEqual(['group:master']);
  });

  test('kubelet 10250 only from the masters; the read-only kubelet port and 8080/7080 nowhere', () => {
    // GIVEN every optional opening in use
    const rules = deriveRules(topo({ sshAllowedCidrs: ['0.0.0.0/0'], nodePortAllowedCidrs: ['0.0.0.0/0'], apiAllowedCidrs: ['0.0.0.0/0'] }));
    // THEN
    expect(rulesOpening(rules, 'tcp', 10250).map((r) => [r.group, peerOf(r)])).toEqual([['base', 'group:master']]);
    for (const port of [10255, 8080, 7080]) expect({ port, rules: rulesOpening(rules, 'tcp', port) }).toEqual({ port, rules: [] });
  });

  test('flannel VXLAN (UDP 8472) among cluster nodes only, as a remote-group rule', () => {
    const rules = deriveRules(topo());
    expect(rulesOpening(rules, 'udp', 8472).map((r) => [r.group, peerOf(r)])).toEqual([['base', 'group:base']]);
    expect(rules.filter((r) => r.protocol === 'udp')).toHaveLength(1);
  });

  test('NodePorts: closed by default; open on the minions from nodePortAllowedCidrs', () => {
    expect(rulesOpening(deriveRules(topo()), 'tcp', 30080)).toEqual([]);
    // WHEN
    const rules = deriveRules(topo({ nodePortAllowedCidrs: ['192.0.2.0/24', '198.51.100.0/24'] }));
    // THEN
    expect(rulesOpening(rules, 'tcp', 30080).map((r) => [r.group, peerOf(r), range(r)])).toEqual([
      ['minion', '192.0.2.0/24', [30000, 32767]],
      ['minion', '198.51.100.0/24', [30000, 32767]],
    ]);
  });

  test('traffic among the bay nodes uses remote-group peers, never the world', () => {
    // GIVEN a bay whose outside openings are all closed but the API
    const rules = deriveRules(topo());
    // THEN every rule is from a group but the API and etcd-LB rules from the bay subnet and apiAllowedCidrs
    const byCidr = rules.filter((r) => 'cidr' in r.peer).map((r) => `${peerOf(r)} ${r.protocol} ${r.ports}`);
    expect(byCidr.sort()).toEqual(['10.0.0.0/24 tcp 2379,2379', '10.0.0.0/24 tcp api', '203.0.113.0/24 tcp api']);
    expect(rules.some((r) => peerOf(r) === '0.0.0.0/0')).toBe(false);
  });

  test('duplicates are dropped (Neutron rejects identical rules)', () => {
    // GIVEN CIDRs listed twice and the bay subnet in apiAllowedCidrs
    const rules = deriveRules(
      topo({ apiAllowedCidrs: ['10.0.0.0/24', '203.0.113.0/24', '203.0.113.0/24'], sshAllowedCidrs: ['198.51.100.0/24', '198.51.100.0/24'] }),
    );
    // THEN
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    const key = (r: RuleSpec) => `${r.group} ${peerOf(r)} ${r.protocol} ${r.ports}`;
    expect(new Set(rules.map(key)).size).toBe(rules.length);
    expect(rulesOpening(rules, 'tcp', 6443)).toHaveLength(2);
    expect(rulesOpening(rules, 'tcp', 22)).toHaveLength(1);
  });

  test('ids derive from the content: stable across runs and unaffected by other rules', () => {
    // GIVEN
    const a = deriveRules(topo({ sshAllowedCidrs: ['198.51.100.0/24'] }));
    const again = deriveRules(topo({ sshAllowedCidrs: ['198.51.100.0/24'] }));
    // WHEN a CIDR is added in front
    const more = deriveRules(topo({ sshAllowedCidrs: ['192.0.2.0/24', '198.51.100.0/24'], nodePortAllowedCidrs: ['192.0.2.0/24'] }));
    // THEN the same rules keep the same ids (no index in them)
    expect(again.map((r) => r.id)).toEqual(a.map((r) => r.id));
    expect(more.map((r) => r.id)).toEqual(expect.arrayContaining(a.map((r) => r.id)));
    expect(a.map((r) => r.id)).toEqual(
      expect.arrayContaining(['base-from-base-udp-8472', 'base-from-master-tcp-10250', 'master-from-master-tcp-2379-2380', 'base-from-198-51-100-0-24-tcp-22']),
    );
    for (const r of a) expect(r.id).toMatch(/^(base|master|minion)-from-[a-z0-9-]+-(tcp|udp|icmp)(-\d+(-\d+)?|-api)?$/);
  });

  test('the API port is a value of its own: changing it does not rename any rule', () => {
    const a = deriveRules(topo({ kubernetesPort: 6443 })).map((r) => r.id);
    const b = deriveRules(topo({ kubernetesPort: 8443 })).map((r) => r.id);
    expect(b).toEqual(a);
  });
});

describe('worldOpenViolations', () => {
  const rule = (over: Partial<RuleSpec> & Pick<RuleSpec, 'peer'>): RuleSpec => ({
    id: 'test-rule',
    group: 'master',
    protocol: 'tcp',
    ports: [2379, 2380],
    purpose: 'test',
    ...over,
  });

  test('the rules of a bay, even with every opening set to the world, pass', () => {
    const rules = deriveRules(topo({ apiAllowedCidrs: ['0.0.0.0/0'], sshAllowedCidrs: ['0.0.0.0/0'], nodePortAllowedCidrs: ['0.0.0.0/0'] }));
    expect(worldOpenViolations(rules, 6443)).toEqual([]);
  });

  test.each(['0.0.0.0/0', '::/0'])('etcd open to %s: one message per sensitive port, naming the rule', (cidr) => {
    const out = worldOpenViolations([rule({ id: 'master-from-world-tcp-2379-2380', peer: { cidr } })], 6443);
    expect(out).toEqual([
      `security rule master-from-world-tcp-2379-2380 opens etcd client port 2379 to ${cidr}`,
      `security rule master-from-world-tcp-2379-2380 opens etcd peer port 2380 to ${cidr}`,
    ]);
  });

  test('a TCP rule without ports opens every sensitive port', () => {
    const out = worldOpenViolations([rule({ ports: undefined, peer: { cidr: '0.0.0.0/0' } })], 6443);
    expect(out).toHaveLength(SENSITIVE_PORTS.length);
    for (const s of SENSITIVE_PORTS) expect(out.some((m) => m.includes(`port ${s.port} `))).toBe(true);
  });

  test('kubelet, read-only kubelet and the insecure API ports are sensitive too', () => {
    for (const port of [10250, 10255, 8080, 7080]) {
      expect(worldOpenViolations([rule({ ports: [port, port], peer: { cidr: '0.0.0.0/0' } })], 6443)).toHaveLength(1);
    }
  });

  test("an 'api' rule is checked with the API port it stands for", () => {
    const api = rule({ ports: 'api', peer: { cidr: '0.0.0.0/0' } });
    expect(worldOpenViolations([api], 6443)).toEqual([]);
    expect(worldOpenViolations([api], 8080)).toEqual(['security rule test-rule opens insecure Kubernetes API port 8080 to 0.0.0.0/0']);
  });

  test('not violations: group peers, narrower CIDRs, UDP and ICMP', () => {
    const out = worldOpenViolations(
      [
        rule({ peer: { group: 'master' } }),
        rule({ peer: { cidr: '10.0.0.0/8' } }),
        rule({ peer: { cidr: '172.16.0.0/12' } }),
        rule({ protocol: 'udp', ports: [10250, 10250], peer: { cidr: '0.0.0.0/0' } }),
        rule({ protocol: 'icmp', ports: undefined, peer: { cidr: '0.0.0.0/0' } }),
        rule({ ports: [22, 22], peer: { cidr: '0.0.0.0/0' } }),
      ],
      6443,
    );
    expect(out).toEqual([]);
  });
});

describe('the world-open check at synth time', () => {
  afterEach(() => jest.restoreAllMocks());

  const groups = (root: Construct, extra: Partial<ConstructorParameters<typeof BaySecurityGroups>[2]> = {}) =>
    new BaySecurityGroups(root, 'security', { name: 'sg', ...TOPOLOGY, ...extra });

  test('security groups whose etcd load-balancer rule would face the world fail validation', () => {
    // GIVEN a (nonsensical) bay subnet of 0.0.0.0/0: the etcd LB rule opens 2379 to it
    const root = new Construct(undefined as any, 'root');
    groups(root, { fixedNetworkCidr: '0.0.0.0/0' });
    // WHEN / THEN
    expect(() => assertValid(root)).toThrow(BayValidationError);
    expect(() => assertValid(root)).toThrow(/\[root\/security\] security rule master-from-0-0-0-0-0-tcp-2379 opens etcd client port 2379 to 0\.0\.0\.0\/0; .*allowInsecureWorldRules: true/);
  });

  test('allowInsecureWorldRules lets the same groups through', () => {
    const root = new Construct(undefined as any, 'root');
    groups(root, { fixedNetworkCidr: '0.0.0.0/0', allowInsecureWorldRules: true });
    expect(() => assertValid(root)).not.toThrow();
  });

  describe('through the bay (a rule injected into deriveRules)', () => {
    const injectWorldKubelet = () => {
      const real = rulesModule.deriveRules;
      jest.spyOn(rulesModule, 'deriveRules').mockImplementation((t) => [
        ...real(t),
        { id: 'base-from-0-0-0-0-0-tcp-10250', group: 'base', protocol: 'tcp', ports: [10250, 10250], peer: { cidr: '0.0.0.0/0' }, purpose: 'injected' },
      ]);
    };

    test('the synth fails, naming the rule and the escape hatch', () => {
      // GIVEN
      injectWorldKubelet();
      // WHEN / THEN
      expect(() => tfBay({ name: 'worldcheck' })).toThrow(
        /\[test\/worldcheck\/security\] security rule base-from-0-0-0-0-0-tcp-10250 opens kubelet port 10250 to 0\.0\.0\.0\/0; .*allowInsecureWorldRules/,
      );
    });

    test('allowInsecureWorldRules: true on the bay synthesizes the rule', () => {
      // GIVEN
      injectWorldKubelet();
      // WHEN
      const { json } = tfBay({ name: 'worldcheck', allowInsecureWorldRules: true });
      // THEN
      const rule = tfResources(json).find(([type, name]) => type === 'openstack_networking_secgroup_rule_v2' && name.endsWith('rule_base_from_0_0_0_0_0_tcp_10250'));
      expect(rule?.[2]).toMatchObject({ remote_ip_prefix: '0.0.0.0/0', port_range_min: 10250, port_range_max: 10250 });
    });
  });
});

// The API port as a deploy-time value (kubernetes_port parameter).
const API_TOPOLOGY: TopologyForRules = {
  kubernetesPort: 6443,
  fixedNetworkCidr: '10.0.0.0/24',
  apiAllowedCidrs: ['0.0.0.0/0', '203.0.113.0/24'],
  sshAllowedCidrs: ['198.51.100.0/24'],
  nodePortAllowedCidrs: ['0.0.0.0/0'],
  etcdLoadBalancer: true,
};

describe('deriveRules: the API port', () => {
  it('GIVEN apiAllowedCidrs WHEN rules are derived THEN the API rules carry the api port marker and ids ending in -tcp-api', () => {
    const api = deriveRules(API_TOPOLOGY).filter((r) => r.ports === 'api');

    expect(api.map((r) => r.id)).toEqual([
      'master-from-10-0-0-0-24-tcp-api',
      'master-from-0-0-0-0-0-tcp-api',
      'master-from-203-0-113-0-24-tcp-api',
    ]);
    for (const r of api) expect(r).toMatchObject({ group: 'master', protocol: 'tcp' });
  });

  it('GIVEN the bay subnet also in apiAllowedCidrs WHEN rules are derived THEN the API rule is not duplicated', () => {
    const rules = deriveRules({ ...API_TOPOLOGY, apiAllowedCidrs: ['10.0.0.0/24'] });
    expect(rules.filter((r) => r.ports === 'api').map((r) => r.id)).toEqual(['master-from-10-0-0-0-24-tcp-api']);
  });

  it('GIVEN any kubernetesPort WHEN rules are derived THEN no rule has it as a literal port', () => {
    const rules = deriveRules({ ...API_TOPOLOGY, kubernetesPort: 8443 });
    expect(rules.filter((r) => Array.isArray(r.ports) && r.ports.includes(8443))).toEqual([]);
  });
});

describe('worldOpenViolations: the API port is checked as the synth-time kubernetesPort', () => {
  it('GIVEN the API open to the world on 6443 and NodePorts open WHEN checked THEN nothing is reported', () => {
    expect(worldOpenViolations(deriveRules(API_TOPOLOGY), 6443)).toEqual([]);
  });

  it.each([
    [2379, 'etcd client'],
    [10250, 'kubelet'],
    [8080, 'insecure Kubernetes API'],
  ])('GIVEN the world API rule checked as port %d WHEN checked THEN it is reported as %s', (port, what) => {
    expect(worldOpenViolations(deriveRules(API_TOPOLOGY), port)).toEqual([
      `security rule master-from-0-0-0-0-0-tcp-api opens ${what} port ${port} to 0.0.0.0/0`,
    ]);
  });

  it('GIVEN the API open only to a private range WHEN checked on a sensitive port THEN nothing is reported', () => {
    expect(worldOpenViolations(deriveRules({ ...API_TOPOLOGY, apiAllowedCidrs: ['203.0.113.0/24'] }), 2379)).toEqual([]);
  });
});

describe('BaySecurityGroups: API rule ports', () => {
  const apiRules = (sg: BaySecurityGroups) =>
    sg.node.findAll().filter((c): c is BayResource<any> => BayResource.isBayResource(c) && c.node.id.endsWith('-tcp-api'));

  it('GIVEN no apiPort WHEN built THEN the API rules use kubernetesPort', () => {
    const root = new Construct(undefined as any, 'root');
    const sg = new BaySecurityGroups(root, 'sg', { ...API_TOPOLOGY, name: 'b' });

    expect(apiRules(sg)).toHaveLength(3);
    for (const r of apiRules(sg)) expect(r.props).toMatchObject({ portMin: 6443, portMax: 6443 });
  });

  it('GIVEN apiPort a parameter reference WHEN built THEN the API rules use it and the world check still passes', () => {
    const root = new Construct(undefined as any, 'root');
    const port = new BayParameter(root, 'kubernetes_port', { type: 'number', description: 'API port', default: 6443 });
    const sg = new BaySecurityGroups(root, 'sg', { ...API_TOPOLOGY, name: 'b', apiPort: port.value });

    for (const r of apiRules(sg)) {
      expect(r.props.portMin).toBeInstanceOf(ParamRef);
      expect(r.props.portMin.param).toBe(port);
      expect(r.props.portMax.param).toBe(port);
    }
    expect(collectErrors(root)).toEqual([]);
  });

  it('GIVEN a world-open API on a sensitive kubernetesPort WHEN validated THEN the construct reports it', () => {
    const root = new Construct(undefined as any, 'root');
    new BaySecurityGroups(root, 'sg', { ...API_TOPOLOGY, kubernetesPort: 10250, name: 'b', apiPort: 'ignored-by-the-check' });

    expect(collectErrors(root).join('\n')).toMatch(/master-from-0-0-0-0-0-tcp-api opens kubelet port 10250 to 0\.0\.0\.0\/0/);
  });
});

test('networks wider than a /8 count as the world for sensitive ports', () => {
  // GIVEN kubelet opened to two halves of the Internet
  const rules = ['0.0.0.0/1', '128.0.0.0/1', '10.0.0.0/8'].map((cidr) => ({
    id: `x-${cidr}`, group: 'base' as const, protocol: 'tcp' as const, ports: [10250, 10250] as const, peer: { cidr }, purpose: 'test',
  }));
  // WHEN / THEN: the halves are refused, a /8 is not
  expect(worldOpenViolations(rules, 6443)).toEqual([
    'security rule x-0.0.0.0/1 opens kubelet port 10250 to 0.0.0.0/1',
    'security rule x-128.0.0.0/1 opens kubelet port 10250 to 128.0.0.0/1',
  ]);
});
