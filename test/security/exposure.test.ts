/**
 * Network exposure (issue 12): world-like CIDR sets warn or fail wherever
 * they appear, the bay's networks stay private, nameservers stay outside
 * them, and deploy-time overrides cannot open what synthesis refuses.
 */
import { Construct } from 'constructs';
import { assertValid, collectWarnings, KubernetesBay, formatIssue, KubernetesBayProps } from '../../lib';
import { resolveProps } from '../../lib/bay/defaults';
import { validateProps } from '../../lib/bay/validate';
import { BaySecurityGroups } from '../../lib/security/bay-security-groups';
import { RuleSpec, worldOpenViolations } from '../../lib/security/rules';
import { BASE_PROPS, hotBay, tfBay } from '../helpers';

const QUIET: Partial<KubernetesBayProps> = { apiAllowedCidrs: ['203.0.113.0/24'] };

function bay(props: Partial<KubernetesBayProps>): KubernetesBay {
  const root = new Construct(undefined as any, 'root');
  return new KubernetesBay(root, 'exp', { ...BASE_PROPS, name: 'exp', ...QUIET, ...props });
}
const warningsOf = (b: KubernetesBay, id: string) => collectWarnings(b).filter((w) => w.message.startsWith(`[kubebay:${id}]`));
const errorsOf = (props: Partial<KubernetesBayProps>) => validateProps(resolveProps('exp', { ...BASE_PROPS, name: 'exp', ...props } as KubernetesBayProps)).map(formatIssue);

describe('world-like CIDR sets are recognised wherever they appear', () => {
  test('apiAllowedCidrs 0.0.0.0/1 + 128.0.0.0/1 warns api-open (world-like) and the listener filters nothing', () => {
    // GIVEN / WHEN
    const props = { name: 'split', apiAllowedCidrs: ['0.0.0.0/1', '128.0.0.0/1'] };
    const b = bay(props);
    const tf = tfBay(props);
    // THEN
    expect(warningsOf(b, 'api-open').map((w) => w.message)).toEqual([
      expect.stringMatching(/open to 0\.0\.0\.0\/1, 128\.0\.0\.0\/1 \(world-like: \d+ public IPv4 addresses\); set apiAllowedCidrs/),
    ]);
    expect(tf.json.resource.openstack_lb_listener_v2.split_api_listener.allowed_cidrs).toBeUndefined();
  });

  test('a restricted API keeps its allowed_cidrs (with the bay subnet) and has no api-open warning', () => {
    const tf = tfBay({ name: 'narrow', apiAllowedCidrs: ['203.0.113.0/24'] });
    expect(tf.json.resource.openstack_lb_listener_v2.narrow_api_listener.allowed_cidrs).toEqual(['203.0.113.0/24', '10.0.0.0/24']);
    expect(warningsOf(bay({ apiAllowedCidrs: ['203.0.113.0/24'] }), 'api-open')).toEqual([]);
  });

  test.each([
    ['sshAllowedCidrs', ['0.0.0.0/0'], 'ssh-open', /SSH \(22\) on every node is open to 0\.0\.0\.0\/0; set sshAllowedCidrs/],
    ['sshAllowedCidrs', ['0.0.0.0/1', '128.0.0.0/1'], 'ssh-open', /SSH \(22\) .*world-like/],
    ['nodePortAllowedCidrs', ['0.0.0.0/0'], 'nodeports-open', /NodePorts 30000-32767 on every minion are open to 0\.0\.0\.0\/0; set nodePortAllowedCidrs/],
    ['nodePortAllowedCidrs', ['64.0.0.0/2', '0.0.0.0/2', '128.0.0.0/1'], 'nodeports-open', /NodePorts .*world-like/],
  ])('%s %j warns %s', (prop, cidrs, id, message) => {
    const b = bay({ [prop]: cidrs });
    expect(warningsOf(b, id).map((w) => w.message)).toEqual([expect.stringMatching(message)]);
  });

  test.each([
    ['sshAllowedCidrs', 'ssh-open'],
    ['nodePortAllowedCidrs', 'nodeports-open'],
  ])('%s of private or small networks: no %s warning', (prop, id) => {
    expect(warningsOf(bay({ [prop]: ['10.0.0.0/8', '198.51.100.0/24'] }), id)).toEqual([]);
  });

  test('the rule lint: rules that open a sensitive port to split halves of the world fail together', () => {
    // GIVEN 512 rules, each from a /9 (below the /8 threshold alone), together the whole IPv4 space
    const ninths = Array.from({ length: 512 }, (_, i) => `${i >> 1}.${(i & 1) * 128}.0.0/9`);
    const rules: RuleSpec[] = ninths.map((cidr, i) => ({ id: `r${i}`, group: 'base', protocol: 'tcp', ports: [10250, 10250], peer: { cidr }, purpose: 'x' }));
    // WHEN
    const out = worldOpenViolations(rules, 6443);
    // THEN one message naming the port and the union
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^security rules r0, r1, .* open kubelet port 10250 to 0\.0\.0\.0\/9, .* together \d+ public IPv4 addresses \(world-like\)$/);
    // and no message for the same set on a harmless port
    expect(worldOpenViolations(rules.map((r) => ({ ...r, ports: [443, 443] })), 6443)).toEqual([]);
  });

  test('the rule lint through the security groups: a public /8 bay subnet opens etcd (2379) to the world', () => {
    const root = new Construct(undefined as any, 'root');
    new BaySecurityGroups(root, 'security', {
      name: 'sg', kubernetesPort: 6443, fixedNetworkCidr: '8.0.0.0/8', apiAllowedCidrs: [], sshAllowedCidrs: [], nodePortAllowedCidrs: [], etcdLoadBalancer: true,
    });
    expect(() => assertValid(root)).toThrow(/security rule master-from-8-0-0-0-8-tcp-2379 opens etcd client port 2379 to 8\.0\.0\.0\/8/);
  });
});

describe('the bay networks', () => {
  test('a public fixedNetworkCidr is refused, naming the prop, the private ranges and the opt-in', () => {
    expect(errorsOf({ fixedNetworkCidr: '203.0.113.0/24' })).toEqual([
      expect.stringMatching(/^fixedNetworkCidr: "203\.0\.113\.0\/24" is not a private network \(10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16, 100\.64\.0\.0\/10\).*; use a private range .*allowPublicFixedNetwork: true/),
    ]);
  });

  test('an unparseable fixedNetworkCidr gets its syntax message only (no privacy message on top)', () => {
    expect(errorsOf({ fixedNetworkCidr: '10.0.0.0/33' })).toEqual([expect.stringMatching(/^fixedNetworkCidr: "10\.0\.0\.0\/33" is not an IPv4 CIDR/)]);
  });

  test('allowPublicFixedNetwork accepts a small public subnet (an existing provider network)', () => {
    const props = { name: 'pub', fixedNetworkCidr: '203.0.113.0/24', allowPublicFixedNetwork: true };
    expect(errorsOf(props)).toEqual([]);
    expect(tfBay(props).json.variable.pub_fixed_network_cidr.default).toBe('203.0.113.0/24');
  });

  test('fixedNetworkCidr 8.0.0.0/8 with the opt-in: the default nameserver 8.8.8.8 lies inside it, and the rule lint refuses etcd to a world-like subnet', () => {
    // WHEN / THEN (validation: the nameserver)
    expect(errorsOf({ fixedNetworkCidr: '8.0.0.0/8', allowPublicFixedNetwork: true })).toEqual([
      expect.stringMatching(/^dnsNameservers: "8\.8\.8\.8" \(the default\) is inside fixedNetworkCidr 8\.0\.0\.0\/8: the nodes would send their DNS queries to an address of the bay's own network; set dnsNameservers to resolvers outside/),
    ]);
    // (the rule lint, with another nameserver; 2379 is opened to the subnet only with the etcd load balancer)
    expect(() => tfBay({ name: 'wide', fixedNetworkCidr: '8.0.0.0/8', allowPublicFixedNetwork: true, dnsNameservers: ['1.1.1.1'], etcdLoadBalancer: true })).toThrow(
      /opens etcd client port 2379 to 8\.0\.0\.0\/8; narrow the CIDRs/,
    );
  });

  test.each([
    ['fixedNetworkCidr', '10.0.0.53'],
    ['portalNetworkCidr', '10.254.0.10'],
    ['podNetworkCidr', '10.100.3.1'],
  ])('a nameserver inside %s is refused', (prop, ns) => {
    expect(errorsOf({ dnsNameservers: ['1.1.1.1', ns] })).toEqual([expect.stringMatching(new RegExp(`^dnsNameservers: "${ns.replace(/\./g, '\\.')}" is inside ${prop} `))]);
  });

  test('a public pod or service network warns public-cluster-network', () => {
    const b = bay({ podNetworkCidr: '11.0.0.0/16' });
    expect(warningsOf(b, 'public-cluster-network').map((w) => w.message)).toEqual([expect.stringMatching(/podNetworkCidr 11\.0\.0\.0\/16 is not a private range/)]);
  });
});

describe('deploy-time overrides are constrained like the synth-time props', () => {
  const hot = hotBay({ name: 'deploy' });
  const tf = tfBay({ name: 'deploy' });
  const hotParam = (name: string) => hot.docs.get('kubecluster.yaml').parameters[name];
  const tfVar = (name: string) => tf.json.variable[`deploy_${name}`];

  /** Heat's allowed_pattern: Python re.match, and the match must end at the value's end. */
  const heatAccepts = (pattern: string, value: string) => {
    const m = new RegExp(pattern, 'y').exec(value);
    return m !== null && m[0].length === value.length;
  };
  /** A Terraform validation condition of one number variable, as a JS predicate. */
  const tfPredicate = (condition: string, variable: string) =>
    new Function('floor', 'x', `return (${condition.replace(/^\$\{|\}$/g, '').split(variable).join('x')});`).bind(null, Math.floor) as (x: number) => boolean;

  test('kubernetes_port: HOT and Terraform accept the same ports, exactly those the synth-time check accepts', () => {
    const pattern = hotParam('kubernetes_port').constraints[0].allowed_pattern;
    const tfAccepts = tfPredicate(tfVar('kubernetes_port').validation[0].condition, 'var.deploy_kubernetes_port');
    expect(hotParam('kubernetes_port')).toMatchObject({ type: 'string', default: '6443' });
    // every port: HOT and Terraform agree
    const disagreements: unknown[] = [];
    for (let port = 0; port <= 65536; port++) {
      if (heatAccepts(pattern, String(port)) !== tfAccepts(port)) disagreements.push(port);
    }
    expect(disagreements).toEqual([]);
    // the synth-time validation agrees with them at every edge and on random ports
    const edges = [0, 1, 21, 22, 23, 2378, 2379, 2380, 2381, 7079, 7080, 7081, 8079, 8080, 8081, 10249, 10250, 10251, 10254, 10255, 10256,
      10257, 10258, 10259, 10260, 29999, 30000, 31000, 32767, 32768, 65535, 65536];
    const random = Array.from({ length: 500 }, (_, i) => (i * 7919) % 65536);
    for (const port of [...edges, ...random]) {
      const synth = errorsOf({ kubernetesPort: port }).length === 0;
      expect({ port, heat: heatAccepts(pattern, String(port)) }).toEqual({ port, heat: synth });
    }
    // the ports the issue names are refused
    for (const port of [2379, 10250]) expect([heatAccepts(pattern, String(port)), tfAccepts(port)]).toEqual([false, false]);
    // and non-canonical spellings do not slip through HOT's string check
    for (const v of ['02379', '+2379', '2379 ', '2379.0', '6443\n', '']) expect(heatAccepts(pattern, v)).toBe(false);
  });

  test('fixed_network_cidr: HOT and Terraform check the same private pattern; the opt-in relaxes both', () => {
    const pattern = hotParam('fixed_network_cidr').constraints[0].allowed_pattern;
    expect(tfVar('fixed_network_cidr').validation[0].condition).toContain(JSON.stringify(`^(?:${pattern})$`).slice(1, -1));
    expect(heatAccepts(pattern, '10.1.0.0/16')).toBe(true);
    expect(heatAccepts(pattern, '8.0.0.0/8')).toBe(false);
    expect(heatAccepts(pattern, '0.0.0.0/0')).toBe(false);
    const open = hotBay({ name: 'deploy', fixedNetworkCidr: '203.0.113.0/24', allowPublicFixedNetwork: true });
    expect(heatAccepts(open.docs.get('kubecluster.yaml').parameters.fixed_network_cidr.constraints[0].allowed_pattern, '8.0.0.0/8')).toBe(true);
  });
});
