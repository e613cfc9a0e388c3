import { Construct } from 'constructs';
import { collectErrors, ParamRef } from '../../lib';
import { BayParameter, BayResource } from '../../lib/core/model';
import { BaySecurityGroups } from '../../lib/security/bay-security-groups';
import { deriveRules, TopologyForRules, worldOpenViolations } from '../../lib/security/rules';

const TOPOLOGY: TopologyForRules = {
  kubernetesPort: 6443,
  fixedNetworkCidr: '10.0.0.0/24',
  apiAllowedCidrs: ['0.0.0.0/0', '203.0.113.0/24'],
  sshAllowedCidrs: ['198.51.100.0/24'],
  nodePortAllowedCidrs: ['0.0.0.0/0'],
  etcdLoadBalancer: true,
};

describe('deriveRules: the API port', () => {
  it('GIVEN apiAllowedCidrs WHEN rules are derived THEN the API rules carry the api port marker and ids ending in -tcp-api', () => {
    const api = deriveRules(TOPOLOGY).filter((r) => r.ports === 'api');

    expect(api.map((r) => r.id)).toEqual([
      'master-from-10-0-0-0-24-tcp-api',
      'master-from-0-0-0-0-0-tcp-api',
      'master-from-203-0-113-0-24-tcp-api',
    ]);
    for (const r of api) expect(r).toMatchObject({ group: 'master', protocol: 'tcp' });
  });

  it('GIVEN the bay subnet also in apiAllowedCidrs WHEN rules are derived THEN the API rule is not duplicated', () => {
    const rules = deriveRules({ ...TOPOLOGY, apiAllowedCidrs: ['10.0.0.0/24'] });
    expect(rules.filter((r) => r.ports === 'api').map((r) => r.id)).toEqual(['master-from-10-0-0-0-24-tcp-api']);
  });

  it('GIVEN any kubernetesPort WHEN rules are derived THEN no rule has it as a literal port', () => {
    const rules = deriveRules({ ...TOPOLOGY, kubernetesPort: 8443 });
    expect(rules.filter((r) => Array.isArray(r.ports) && r.ports.includes(8443))).toEqual([]);
  });
});

describe('worldOpenViolations: the API port is checked as the synth-time kubernetesPort', () => {
  it('GIVEN the API open to the world on 6443 and NodePorts open WHEN checked THEN nothing is reported', () => {
    expect(worldOpenViolations(deriveRules(TOPOLOGY), 6443)).toEqual([]);
  });

  it.each([
    [2379, 'etcd client'],
    [10250, 'kubelet'],
    [8080, 'insecure Kubernetes API'],
  ])('GIVEN the world API rule checked as port %d WHEN checked THEN it is reported as %s', (port, what) => {
    expect(worldOpenViolations(deriveRules(TOPOLOGY), port)).toEqual([
      `security rule master-from-0-0-0-0-0-tcp-api opens ${what} port ${port} to 0.0.0.0/0`,
    ]);
  });

  it('GIVEN the API open only to a private range WHEN checked on a sensitive port THEN nothing is reported', () => {
    expect(worldOpenViolations(deriveRules({ ...TOPOLOGY, apiAllowedCidrs: ['203.0.113.0/24'] }), 2379)).toEqual([]);
  });
});

describe('BaySecurityGroups: API rule ports', () => {
  const apiRules = (sg: BaySecurityGroups) =>
    sg.node.findAll().filter((c): c is BayResource<any> => BayResource.isBayResource(c) && c.node.id.endsWith('-tcp-api'));

  it('GIVEN no apiPort WHEN built THEN the API rules use kubernetesPort', () => {
    const root = new Construct(undefined as any, 'root');
    const sg = new BaySecurityGroups(root, 'sg', { ...TOPOLOGY, name: 'b' });

    expect(apiRules(sg)).toHaveLength(3);
    for (const r of apiRules(sg)) expect(r.props).toMatchObject({ portMin: 6443, portMax: 6443 });
  });

  it('GIVEN apiPort a parameter reference WHEN built THEN the API rules use it and the world check still passes', () => {
    const root = new Construct(undefined as any, 'root');
    const port = new BayParameter(root, 'kubernetes_port', { type: 'number', description: 'API port', default: 6443 });
    const sg = new BaySecurityGroups(root, 'sg', { ...TOPOLOGY, name: 'b', apiPort: port.value });

    for (const r of apiRules(sg)) {
      expect(r.props.portMin).toBeInstanceOf(ParamRef);
      expect(r.props.portMin.param).toBe(port);
      expect(r.props.portMax.param).toBe(port);
    }
    expect(collectErrors(root)).toEqual([]);
  });

  it('GIVEN a world-open API on a sensitive kubernetesPort WHEN validated THEN the construct reports it', () => {
    const root = new Construct(undefined as any, 'root');
    new BaySecurityGroups(root, 'sg', { ...TOPOLOGY, kubernetesPort: 10250, name: 'b', apiPort: 'ignored-by-the-check' });

    expect(collectErrors(root).join('\n')).toMatch(/master-from-0-0-0-0-0-tcp-api opens kubelet port 10250 to 0\.0\.0\.0\/0/);
  });
});
