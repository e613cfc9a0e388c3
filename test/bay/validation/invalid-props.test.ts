/**
 * Bad input: every invalid prop is reported naming the prop and the value,
 * before anything is written — the previous outputs stay as they were.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { KubernetesBay } from '../../../lib';
import { BASE_PROPS, PKI_DIR, tmpDir } from '../../helpers';
import { asValidationError, leftovers, messagesAbout, runPipeline, thrownBy, tree, workspaceWithPreviousOutputs } from '../../support/validation';

/** PEM fixtures for the clusterCa cases, made once. */
const fixtures = (() => {
  const dir = tmpDir('kubebay-ca-fixtures-');
  const file = (name: string) => path.join(dir, name);
  fs.writeFileSync(file('garbage.crt'), 'not a certificate\n');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('leaf.key'), '-out', file('leaf.crt'), '-days', '30', '-subj', '/CN=leaf', '-addext', 'basicConstraints=critical,CA:FALSE'], { stdio: 'pipe' });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '30', '-subj', '/CN=ca', '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'pipe' });
  return { file };
})();

interface Case {
  /** What is wrong. */
  readonly title: string;
  readonly props: () => Record<string, unknown>;
  /** The prop the message must name. */
  readonly prop: string;
  /** Text the message must contain (the value received, as shown). */
  readonly value: string;
  /** More text the message must contain (the fix or the reason). */
  readonly says?: RegExp;
}

const c = (title: string, props: Record<string, unknown> | (() => Record<string, unknown>), prop: string, value: string, says?: RegExp): Case => ({
  title,
  props: typeof props === 'function' ? props : () => props,
  prop,
  value,
  says,
});

const CASES: Case[] = [
  // Names.
  c('uppercase name', { name: 'Demo' }, 'name', '"Demo"', /lowercase/),
  c('underscore in the name', { name: 'demo_1' }, 'name', '"demo_1"'),
  c('name starting with a digit', { name: '1demo' }, 'name', '"1demo"'),
  c('name ending with "-"', { name: 'demo-' }, 'name', '"demo-"'),
  c('name too long for node names', { name: 'a'.repeat(41) }, 'name', `"${'a'.repeat(41)}"`),
  c('name with a path in it', { name: '../etc' }, 'name', '"../etc"'),
  // constructs keeps children in a plain object: these ids "already exist" in every scope
  c('name that the constructs library reserves', { name: 'constructor' }, 'name', '"constructor"', /reserved/),
  c('name that is a JavaScript built-in', { name: 'toString' }, 'name', '"toString"'),
  // Required references.
  c('empty image', { image: '' }, 'image', '""', /Glance image/),
  c('blank keyName', { keyName: '   ' }, 'keyName', '"   "', /keypair/),
  c('missing externalNetwork', { externalNetwork: undefined }, 'externalNetwork', 'undefined is missing'),
  c('numeric externalNetwork', { externalNetwork: 42 }, 'externalNetwork', '42'),
  c('empty masterFlavor', { masterFlavor: '' }, 'masterFlavor', '""', /flavor/),
  c('null minionFlavor', { minionFlavor: null }, 'minionFlavor', 'null'),
  // Counts, sizes, timeouts.
  c('no masters', { masterCount: 0 }, 'masterCount', '0', /integer from 1/),
  c('fractional masterCount', { masterCount: 2.5 }, 'masterCount', '2.5'),
  c('masterCount as a string', { masterCount: '3' }, 'masterCount', '"3"'),
  c('negative minionCount', { minionCount: -1 }, 'minionCount', '-1', /integer from 0/),
  c('NaN minionCount', { minionCount: NaN }, 'minionCount', 'NaN'),
  c('negative dockerVolumeSize', { dockerVolumeSize: -5 }, 'dockerVolumeSize', '-5'),
  c('fractional dockerVolumeSize', { dockerVolumeSize: 1.5 }, 'dockerVolumeSize', '1.5'),
  c('negative createTimeoutMinutes', { createTimeoutMinutes: -1 }, 'createTimeoutMinutes', '-1'),
  c('waitConditionTimeout under a minute', { waitConditionTimeout: 10 }, 'waitConditionTimeout', '10'),
  // Ports and protocols.
  c('port 0', { kubernetesPort: 0 }, 'kubernetesPort', '0', /1 to 65535/),
  c('port above 65535', { kubernetesPort: 70000 }, 'kubernetesPort', '70000'),
  c('API on the etcd client port', { kubernetesPort: 2379 }, 'kubernetesPort', '2379', /etcd/),
  c('API on the etcd peer port', { kubernetesPort: 2380 }, 'kubernetesPort', '2380', /etcd/),
  c('API on the kubelet port', { kubernetesPort: 10250 }, 'kubernetesPort', '10250', /kubelet/),
  c('API on the insecure port 8080', { kubernetesPort: 8080 }, 'kubernetesPort', '8080', /insecure/),
  c('API inside the NodePort range', { kubernetesPort: 30080 }, 'kubernetesPort', '30080', /NodePort/),
  c('HTTP load balancing of a TLS API', { loadBalancingProtocol: 'HTTP' }, 'loadBalancingProtocol', '"HTTP"', /TLS/),
  c('unknown load-balancing protocol', { loadBalancingProtocol: 'UDP' }, 'loadBalancingProtocol', '"UDP"'),
  c('unknown load-balancer API', { loadBalancerApi: 'neutron' }, 'loadBalancerApi', '"neutron"'),
  c('LBaaS v1 with the Terraform output', { loadBalancerApi: 'lbaas-v1', apiAllowedCidrs: ['0.0.0.0/0'] }, 'loadBalancerApi', '"lbaas-v1"', /octavia/),
  c('RSA-1024', { keySize: 1024 }, 'keySize', '1024'),
  c('bootstrap token lifetime in days', { bootstrapTokenTtl: '1d' }, 'bootstrapTokenTtl', '"1d"', /'24h'/),
  c('bootstrap token lifetime as a number', { bootstrapTokenTtl: 3600 }, 'bootstrapTokenTtl', '3600'),
  c('boolean as a string', { floatingIps: 'yes' }, 'floatingIps', '"yes"', /true or false/),
  c('allowInsecureWorldRules as a string', { allowInsecureWorldRules: 'true' }, 'allowInsecureWorldRules', '"true"'),
  c('Kubernetes too old', { kubernetesVersion: 'v1.20' }, 'kubernetesVersion', '"v1.20"'),
  c('Kubernetes version without v', { kubernetesVersion: '1.31' }, 'kubernetesVersion', '"1.31"'),
  c('empty pkiDir', { pkiDir: '' }, 'pkiDir', '""'),
  // Networks.
  c('host address instead of network', { fixedNetworkCidr: '10.0.0.1/24' }, 'fixedNetworkCidr', '"10.0.0.1/24"', /10\.0\.0\.0\/24/),
  c('prefix above 32', { fixedNetworkCidr: '10.0.0.0/33' }, 'fixedNetworkCidr', '"10.0.0.0/33"'),
  c('IPv6 fixed network', { fixedNetworkCidr: 'fd00::/64' }, 'fixedNetworkCidr', '"fd00::/64"', /IPv4/),
  c('short-form address', { fixedNetworkCidr: '10.0.0/24' }, 'fixedNetworkCidr', '"10.0.0/24"'),
  c('hexadecimal address', { portalNetworkCidr: '0xa.0.0.0/8' }, 'portalNetworkCidr', '"0xa.0.0.0/8"'),
  c('fixed subnet too small for 5 nodes and the load balancers', { fixedNetworkCidr: '10.0.0.0/29' }, 'fixedNetworkCidr', '"10.0.0.0/29"', /5 nodes/),
  c('service network overlapping the pod network', { portalNetworkCidr: '10.100.0.0/16' }, 'podNetworkCidr', 'overlaps portalNetworkCidr 10.100.0.0/16'),
  c('fixed network overlapping the service network', { fixedNetworkCidr: '10.254.1.0/24' }, 'portalNetworkCidr', 'overlaps fixedNetworkCidr 10.254.1.0/24'),
  c('pod network smaller than a /24', { podNetworkCidr: '10.100.0.0/25' }, 'podNetworkCidr', '"10.100.0.0/25"', /\/24/),
  c('truncated nameserver', { dnsNameservers: ['8.8.8'] }, 'dnsNameservers', '["8.8.8"]'),
  c('no nameservers', { dnsNameservers: [] }, 'dnsNameservers', '[]'),
  c('duplicate nameservers', { dnsNameservers: ['8.8.8.8', '8.8.8.8'] }, 'dnsNameservers', '["8.8.8.8","8.8.8.8"]', /twice/),
  c('API reachable from nowhere', { apiAllowedCidrs: [] }, 'apiAllowedCidrs', '[]'),
  c('API CIDR with host bits', { apiAllowedCidrs: ['203.0.113.5/24'] }, 'apiAllowedCidrs', '"203.0.113.5/24"'),
  c('IPv6 world in sshAllowedCidrs', { sshAllowedCidrs: ['::/0'] }, 'sshAllowedCidrs', '"::/0"'),
  c('nodePortAllowedCidrs not a list', { nodePortAllowedCidrs: '0.0.0.0/0' }, 'nodePortAllowedCidrs', '"0.0.0.0/0"', /list/),
  // Removal of minions.
  c('removing a minion that does not exist', { minionCount: 2, minionsToRemove: ['7'] }, 'minionsToRemove', '"7"', /keys 0-2/),
  c('removing a minion twice', { minionCount: 1, minionsToRemove: ['1', '1'] }, 'minionsToRemove', '"1"', /twice/),
  c('removing a minion by hostname', { minionsToRemove: ['demo-minion-1'] }, 'minionsToRemove', '"demo-minion-1"'),
  c('removing by an IP outside the subnet', { minionsToRemove: ['192.168.0.5'] }, 'minionsToRemove', '"192.168.0.5"', /fixedNetworkCidr/),
  c('removing by IP with the Terraform output', { minionsToRemove: ['10.0.0.15'] }, 'minionsToRemove', '"10.0.0.15"', /Terraform/),
  // Mutually exclusive options.
  c('existingNetwork with its own nameservers', { existingNetwork: { networkId: 'n', subnetId: 's' }, dnsNameservers: ['1.1.1.1'] }, 'dnsNameservers', '["1.1.1.1"]', /existingNetwork/),
  c('LBaaS v1 with a restricted API', { loadBalancerApi: 'lbaas-v1', apiAllowedCidrs: ['203.0.113.0/24'] }, 'apiAllowedCidrs', '["203.0.113.0/24"]', /octavia/),
  c('existingNetwork without subnetId', { existingNetwork: { networkId: 'n' } }, 'existingNetwork.subnetId', 'undefined is missing'),
  c('existingNetwork as a string', { existingNetwork: 'net-1' }, 'existingNetwork', '"net-1"'),
  // Bring-your-own CA.
  c('clusterCa file missing', { clusterCa: { certFile: '/nonexistent/ca.crt', keyFile: '/nonexistent/ca.key' } }, 'clusterCa.certFile', '"/nonexistent/ca.crt"', /ENOENT/),
  c('clusterCa not a PEM certificate', () => ({ clusterCa: { certFile: fixtures.file('garbage.crt'), keyFile: fixtures.file('ca.key') } }), 'clusterCa', 'garbage.crt', /not a PEM/),
  c('clusterCa not a CA', () => ({ clusterCa: { certFile: fixtures.file('leaf.crt'), keyFile: fixtures.file('leaf.key') } }), 'clusterCa', 'leaf.crt', /not a CA/),
  c('clusterCa key of another certificate', () => ({ clusterCa: { certFile: fixtures.file('ca.crt'), keyFile: fixtures.file('leaf.key') } }), 'clusterCa', 'ca.crt', /does not match/),
  // Unknown props (a typo from JS or a config carried over from Magnum).
  c('typo in a prop name', { masterCont: 3 }, 'masterCont', '3', /did you mean masterCount\?/),
  c('wrong case', { minioncount: 3 }, 'minioncount', '3', /did you mean minionCount\?/),
  c('Magnum parameter name', { number_of_masters: 3 }, 'number_of_masters', '3', /did you mean masterCount\?/),
  c('snake_case prop', { docker_volume_size: 20 }, 'docker_volume_size', '20', /did you mean dockerVolumeSize\?/),
  c('unknown prop without a near name', { flavour: 'm1.small', xyzzy: true }, 'xyzzy', 'true', /remove it/),
  // not taken for the built-in Object.prototype.toString when looking for a suggestion
  c('unknown prop named after a JavaScript built-in', { toString: 1 }, 'toString', '1', /; remove it \(known: /),
  c('typo inside existingNetwork', { existingNetwork: { networkId: 'n', subnetID: 's' } }, 'existingNetwork.subnetID', '"s"', /did you mean subnetId\?/),
];

describe('invalid props', () => {
  test('the table covers at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  test.each(CASES.map((x) => [x.title, x] as const))('%s: named in the error, nothing written', (_title, x) => {
    // GIVEN a workspace with previous outputs
    const ws = workspaceWithPreviousOutputs(['demo', 'bay']);
    const before = tree(ws.root);
    // WHEN the pipeline runs on the bad props
    const err = asValidationError(thrownBy(() => runPipeline(ws, x.props())));
    // THEN the error names the prop, shows the value (and the reason or fix) ...
    const about = messagesAbout(err, x.prop);
    expect({ prop: x.prop, messages: about.length > 0 ? about : err.errors }).toEqual({ prop: x.prop, messages: expect.arrayContaining([expect.stringContaining(x.value)]) });
    if (x.says) expect(about.some((m) => x.says!.test(m))).toBe(true);
    // ... with a fix after the semicolon and the construct path in front
    for (const m of about) expect(m).toMatch(/^\[[^\]]+\/[^\]]+\] \S+: .+; .+/);
    // ... and the previous outputs are intact, nothing new appeared
    expect(tree(ws.root)).toEqual(before);
  });

  test('several bad props are reported together in one error', () => {
    // GIVEN
    const ws = workspaceWithPreviousOutputs();
    const before = tree(ws.root);
    // WHEN
    const err = asValidationError(
      thrownBy(() =>
        runPipeline(ws, { masterCount: 0, kubernetesPort: 2379, fixedNetworkCidr: 'ten', loadBalancingProtocol: 'HTTP', masterCont: 3, image: '' }),
      ),
    );
    // THEN one error holds a message per prop, each with the bay's path
    for (const prop of ['masterCount', 'kubernetesPort', 'fixedNetworkCidr', 'loadBalancingProtocol', 'masterCont', 'image']) {
      expect({ prop, found: messagesAbout(err, prop).length }).toEqual({ prop, found: 1 });
    }
    expect(err.errors.every((m) => m.startsWith('[demo/demo] '))).toBe(true);
    expect(err.message).toMatch(/^kubebay: 6 validation errors:/);
    expect(err.message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(6);
    expect(tree(ws.root)).toEqual(before);
  });

  test('props missing entirely (from JS) are a validation error, not a TypeError', () => {
    // GIVEN / WHEN
    const ws = workspaceWithPreviousOutputs();
    const err = asValidationError(
      thrownBy(() => require('../../../stacks/main').synthesizeBay(undefined, { tfOutdir: ws.tfOutdir, hotOutdir: ws.hotOutdir })),
    );
    // THEN
    expect(err.errors.map((m) => m.replace(/^\[[^\]]+\] /, '').split(':')[0])).toEqual(expect.arrayContaining(['image', 'keyName', 'externalNetwork']));
    expect(leftovers(ws.root)).toEqual([]);
  });

  test('a __proto__ key (from a parsed config) is reported, not turned into a prototype', () => {
    // GIVEN a props object as JSON.parse makes it
    const ws = workspaceWithPreviousOutputs();
    const props = JSON.parse('{"__proto__": {"existingNetwork": {"networkId": "n", "subnetId": "s"}}}');
    // WHEN
    const err = asValidationError(thrownBy(() => runPipeline(ws, props)));
    // THEN
    expect(messagesAbout(err, '__proto__')).toHaveLength(1);
  });

  test('a construct id that the constructs library reserves is a validation error naming the id, not a collision', () => {
    // GIVEN an empty scope
    for (const id of ['toString', 'constructor', 'hasOwnProperty']) {
      const root = new Construct(undefined as unknown as Construct, 'root');
      // WHEN
      const err = asValidationError(thrownBy(() => new KubernetesBay(root, id, { ...BASE_PROPS, name: 'demo', pkiDir: PKI_DIR })));
      // THEN the message names the id and the fix, and the scope is still empty
      expect(err.errors).toEqual([`[root/${id}] id: "${id}" is reserved (the constructs library cannot hold it as a construct id); choose another construct id`]);
      expect(root.node.children).toEqual([]);
    }
  });

  test('control: the same workspace with valid props replaces the previous outputs', () => {
    // GIVEN
    const ws = workspaceWithPreviousOutputs();
    // WHEN
    const r = runPipeline(ws, {});
    // THEN the stack and the template set are new, the unrelated file next to them is kept
    expect(fs.existsSync(path.join(r.tfDir, 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(ws.tfOutdir, 'stacks', 'old'))).toBe(false);
    expect(fs.readFileSync(path.join(r.hotDir, 'kubecluster.yaml'), 'utf8')).toMatch(/^heat_template_version/m);
    expect(fs.readFileSync(path.join(ws.hotOutdir, 'README.txt'), 'utf8')).toBe('not kubebay output\n');
    expect(leftovers(ws.root)).toEqual([]);
  });
});
