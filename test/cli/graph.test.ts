import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmpDir } from '../helpers';
import { BASE_CONFIG, cli, writeConfig } from './run-cli';

const CONFIG = writeConfig([...BASE_CONFIG, 'apiAllowedCidrs: [203.0.113.0/24]']);

// The usual order: the bay is synthesized (its store created), then drawn.
beforeAll(async () => expect((await cli('synth', '-c', CONFIG, '-t', 'hot', '-o', tmpDir())).status).toBe(0));

test('graph --format dot shows the topology: resources, references, node groups and rules between groups', async () => {
  // WHEN
  const r = await cli('graph', '--config', CONFIG, '--format', 'dot');
  // THEN
  expect(r.status).toBe(0);
  const dot = r.stdout;
  expect(dot).toMatch(/^digraph "kubebay_demo" \{/);
  // Network, external network, node groups with their per-node resources.
  expect(dot).toContain('subgraph "cluster_demo_network"');
  expect(dot).toMatch(/"demo_external_net" \[label="external_net\\nexternal-network\\npublic".*shape=cylinder/);
  expect(dot).toContain('label="kube_masters: per node (×3)"');
  expect(dot).toContain('label="kube_minions: per node (×2)"');
  expect(dot).toContain('"demo_master_server" [label="master_server\\nserver"');
  // References, labelled with the prop that holds them.
  expect(dot).toContain('"demo_fixed_subnet" -> "demo_fixed_network" [label="network"]');
  expect(dot).toContain('"demo_extrouter" -> "demo_external_net" [label="externalNetwork"]');
  expect(dot).toContain('"demo_master_api_member" -> "demo_api_pool" [label="pool"]');
  expect(dot).toMatch(/"demo_minion_port" -> "demo_secgroup_minion" \[label="securityGroups"\]/);
  // Security rules: group to group, CIDR to group, the bay subnet to a group.
  expect(dot).toMatch(/"demo_secgroup_master" -> "demo_secgroup_base" \[label="tcp 10250", .*color="#b91c1c"/);
  expect(dot).toMatch(/"demo_secgroup_master" -> "demo_secgroup_master" \[label="tcp 2379-2380"/);
  expect(dot).toMatch(/"cidr_203_0_113_0_24" -> "demo_secgroup_master" \[label="tcp 6443"/);
  expect(dot).toMatch(/"cidr_198_51_100_0_24" -> "demo_secgroup_base" \[label="tcp 22, icmp"/);
  expect(dot).toMatch(/"demo_fixed_subnet" -> "demo_secgroup_master" \[label="tcp 6443",/); // 2379 only with etcdLoadBalancer
  // Minions are not ordered after the masters (no edge between the group boxes).
  expect(dot).not.toContain('ltail="cluster_demo_kube_minions", lhead="cluster_demo_kube_masters"');
  // Security-group rule resources are edges, not boxes.
  expect(dot).not.toContain('security-group-rule');
});

test('graph --format mermaid gives a flowchart with the same topology', async () => {
  const r = await cli('graph', '-c', CONFIG, '-f', 'mermaid');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^flowchart TB\n|^flowchart LR\n/);
  expect(r.stdout).toContain('subgraph cluster_demo_kube_masters["kube_masters: per node (×3)"]');
  expect(r.stdout).toContain('demo_fixed_subnet -->|"network"| demo_fixed_network');
  expect(r.stdout).toContain('demo_secgroup_master ==>|"tcp 10250"| demo_secgroup_base');
  expect(r.stdout).not.toContain('cluster_demo_kube_minions -.->|"after"| cluster_demo_kube_masters');
});

test('graph --out writes the file; the certificate store is not created for a picture', async () => {
  // GIVEN a bay whose store does not exist
  const pkiDir = path.join(tmpDir(), 'pki');
  const config = writeConfig(BASE_CONFIG.map((l) => (l.startsWith('pkiDir') ? `pkiDir: ${pkiDir}` : l)));
  const out = path.join(tmpDir(), 'bay.dot');
  // WHEN
  const r = await cli('graph', '-c', config, '-o', out);
  // THEN
  expect(r.status).toBe(0);
  expect(fs.readFileSync(out, 'utf8')).toMatch(/^digraph/);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/generating/);
  expect(fs.existsSync(pkiDir)).toBe(false);
});

const hasDot = spawnSync('dot', ['-V']).status === 0;
(hasDot ? test : test.skip)('graph --format svg renders through Graphviz', async () => {
  const r = await cli('graph', '-c', CONFIG, '-f', 'svg');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/<svg[\s\S]*demo_fixed_network[\s\S]*<\/svg>/);
});

test('graph --format svg without Graphviz says what to do and fails', async () => {
  // GIVEN no dot binary
  const saved = process.env.KUBEBAY_DOT;
  process.env.KUBEBAY_DOT = '/nonexistent/dot';
  try {
    // WHEN
    const r = await cli('graph', '-c', CONFIG, '-f', 'svg');
    // THEN
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("kubebay: Graphviz 'dot' not found; install graphviz or use --format dot|mermaid\n");
    expect(r.stdout).toBe('');
  } finally {
    if (saved === undefined) delete process.env.KUBEBAY_DOT;
    else process.env.KUBEBAY_DOT = saved;
  }
});

test('graph reports invalid configs like synth', async () => {
  const r = await cli('graph', '-c', writeConfig([...BASE_CONFIG.filter((l) => !l.startsWith('minionCount')), 'minionCount: -1']));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/bay\.yaml:\d+: minionCount: -1 is not a valid minion count/);
});
