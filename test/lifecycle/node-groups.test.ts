/**
 * Node groups through the lifecycle tools (real Terraform 1.11 with the fake
 * OpenStack provider; Heat's engine with fake services): adding a group
 * creates only its nodes, removing one deletes only its nodes, and the
 * masters, the minions and the other groups are untouched.
 *
 * HOT: a stack created from one template set and updated to the next
 * (scripts/heat-update-to.py), and count updates of one set (heat-lifecycle).
 *
 * Needs terraform and python3-heat: runs only with KUBEBAY_LIFECYCLE=1 (CI,
 * scripts/ci-options.sh); `npm test` skips it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, writeConfig } from '../cli/run-cli';
import { PKI_DIR, tmpDir } from '../helpers';

const ENABLED = process.env.KUBEBAY_LIFECYCLE === '1';
if (!ENABLED) {
  console.log('test/lifecycle/node-groups: skipped (needs terraform and python3-heat; set KUBEBAY_LIFECYCLE=1, as CI does)');
}
const TOOLS = process.env.KUBEBAY_TOOLS ?? path.resolve(__dirname, '../../../shared/tools');
const describeLifecycle = ENABLED ? describe : describe.skip;

const BAY = ['name: lc', 'image: ubuntu-24.04', 'keyName: ops', 'externalNetwork: public', 'masterCount: 1', 'minionCount: 2', `pkiDir: ${PKI_DIR}`];
const GPU = ['  - name: gpu', '    count: 2', '    flavor: g1.large', '    labels: { example.com/accelerator: nvidia }'];
const EDGE = ['  - name: edge', '    count: 1', '    availabilityZone: az-2', '    affinityPolicy: anti-affinity'];

/** Synthesizes a bay config (both formats) and returns its output directory. */
async function synth(lines: string[]): Promise<string> {
  const out = tmpDir('kubebay-lc-');
  const r = await cli('synth', '--config', writeConfig(lines), '--out', out);
  if (r.status !== 0) throw new Error(r.stderr);
  return out;
}

function tool(name: string, args: string[], cwd?: string): any[] {
  const text = execFileSync(path.join(TOOLS, name), args, { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' }, maxBuffer: 64 << 20 });
  return text.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

/** tf-lifecycle on a synthesized bay: the plan summary. */
function tf(command: 'apply' | 'plan', out: string, work: string): any {
  const text = execFileSync(path.join(TOOLS, 'tf-lifecycle'), [command, path.join(out, 'terraform/stacks/lc'), '--work', work], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    maxBuffer: 64 << 20,
  });
  const result = JSON.parse(text);
  expect(result.diagnostics.filter((d: any) => d.severity === 'error')).toEqual([]);
  return result.plan;
}

const only = (addresses: string[], prefix: string) => addresses.every((a) => a.split('.')[1].startsWith(prefix));

describeLifecycle('node groups: Terraform (tf-lifecycle apply, then plan the next config)', () => {
  test('adding a group creates only its nodes; removing it deletes only its nodes', async () => {
    // GIVEN a bay with a gpu group, applied
    const withGpu = await synth([...BAY, 'nodeGroups:', ...GPU]);
    const withBoth = await synth([...BAY, 'nodeGroups:', ...GPU, ...EDGE]);
    const work = tmpDir('kubebay-lc-work-');
    tf('apply', withGpu, work);

    // WHEN the edge group is added THEN only edge resources are created, nothing else changes
    const add = tf('plan', withBoth, work);
    expect(add.create.length).toBeGreaterThan(0);
    expect(only(add.create, 'lc_nodegroup_edge_')).toBe(true);
    expect(add.create).toEqual(expect.arrayContaining(['openstack_compute_instance_v2.lc_nodegroup_edge_server["0"]', 'openstack_compute_servergroup_v2.lc_nodegroup_edge_server_group']));
    expect([add.update, add.replace, add.delete]).toEqual([[], [], []]);

    // WHEN it is applied and then removed again THEN only edge resources are deleted (gpu, masters, minions kept)
    tf('apply', withBoth, work);
    const remove = tf('plan', withGpu, work);
    expect(remove.delete.length).toBe(add.create.length);
    expect(only(remove.delete, 'lc_nodegroup_edge_')).toBe(true);
    expect([remove.create, remove.update, remove.replace]).toEqual([[], [], []]);
  }, 300_000);
});

/** scripts/heat-update-to.py: create from the HOT set in `from`, then a full update to the set in `to`. */
function heatUpdate(from: string, to: string): any[] {
  const scratch = tmpDir('kubebay-lc-heat-');
  fs.cpSync(path.join(from, 'hot/lc'), scratch, { recursive: true });
  const text = execFileSync(
    path.resolve(__dirname, '../../scripts/heat-update-to.py'),
    [path.join(to, 'hot/lc'), '-e', 'environment.yaml', '-e', 'secrets.env.yaml', path.join(scratch, 'kubecluster.yaml'), '--no-change', '--compact', '-q'],
    { cwd: scratch, encoding: 'utf8', env: { ...process.env, HEAT_LIFECYCLE: path.join(TOOLS, 'heat-lifecycle') }, maxBuffer: 64 << 20 },
  );
  return text.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

describeLifecycle('node groups: Heat (a stack created from one HOT set, updated to the next)', () => {
  test('adding a group to the templates creates only its nodes; removing it deletes only its nodes', async () => {
    // GIVEN the HOT sets of a bay with a gpu group, and with gpu and edge groups
    const withGpu = await synth([...BAY, 'nodeGroups:', ...GPU]);
    const withBoth = await synth([...BAY, 'nodeGroups:', ...GPU, ...EDGE]);
    // WHEN a stack of the first set is updated to the second, and one of the second back to the first
    const [, add] = heatUpdate(withGpu, withBoth);
    const [, remove] = heatUpdate(withBoth, withGpu);
    // THEN adding creates the edge group, its member and its server group, and nothing else changes
    expect(add.stack_status).toBe('UPDATE_COMPLETE');
    expect(add.created).toEqual(expect.arrayContaining(['lc_kube_nodegroup_edge', 'lc_kube_nodegroup_edge/0/lc_nodegroup_edge_server', 'lc_nodegroup_edge_server_group']));
    expect(add.created.every((r: string) => r.startsWith('lc_kube_nodegroup_edge') || r === 'lc_nodegroup_edge_server_group')).toBe(true);
    expect([add.updated, add.replaced, add.deleted]).toEqual([[], [], []]);
    for (const g of ['lc_kube_masters', 'lc_kube_minions', 'lc_kube_nodegroup_gpu']) {
      expect(add.groups[g]).toMatchObject({ added: [], removed: [], members_with_replaced_resources: [], members_with_updated_resources: [] });
    }
    // ... and removing deletes exactly those resources
    expect(remove.stack_status).toBe('UPDATE_COMPLETE');
    expect([...remove.deleted].sort()).toEqual([...add.created].sort());
    expect([remove.created, remove.updated, remove.replaced]).toEqual([[], [], []]);
  }, 300_000);
});

describeLifecycle('node groups: Heat (heat-lifecycle create, then updates of the group count)', () => {
  test('a group scaled from 0 creates only its members; a named member is removed; back to 0 deletes only its members', async () => {
    // GIVEN the HOT set of a bay with a gpu group, created with the group empty
    const dir = path.join(await synth([...BAY, 'nodeGroups:', ...GPU]), 'hot/lc');
    expect(fs.existsSync(path.join(dir, 'kubenodegroup-gpu.yaml'))).toBe(true);
    const steps = tool(
      'heat-lifecycle',
      ['-e', 'environment.yaml', '-e', 'secrets.env.yaml', '-P', 'nodegroup_gpu_count=0', 'kubecluster.yaml', '--compact', '-q',
        '--update', 'nodegroup_gpu_count=2', '--update', 'nodegroup_gpu_count=1,nodegroup_gpu_to_remove=0', '--update', 'nodegroup_gpu_count=0'],
      dir,
    );
    const [create, grow, removeOne, empty] = steps;
    expect(steps.map((s) => s.stack_status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_COMPLETE']);
    expect(create.created).toContain('lc_kube_nodegroup_gpu');
    expect(create.created.filter((r: string) => r.startsWith('lc_kube_nodegroup_gpu/'))).toEqual([]);

    // THEN growing the group creates its members' resources only
    expect(grow.created.length).toBe(14); // 7 per member (port, server, volume + attachment, wait handle, 2 wait conditions)
    expect(grow.created.every((r: string) => r.startsWith('lc_kube_nodegroup_gpu/'))).toBe(true);
    expect([grow.updated, grow.replaced, grow.deleted]).toEqual([[], [], []]);
    expect(grow.groups.lc_kube_nodegroup_gpu.added).toEqual(['0', '1']);
    for (const g of ['lc_kube_masters', 'lc_kube_minions']) {
      expect(grow.groups[g]).toMatchObject({ added: [], removed: [], members_with_replaced_resources: [], members_with_updated_resources: [] });
    }
    // Removing member 0 by key keeps member 1
    expect(removeOne.groups.lc_kube_nodegroup_gpu).toMatchObject({ members: ['1'], removed: ['0'] });
    expect(removeOne.deleted.every((r: string) => r.startsWith('lc_kube_nodegroup_gpu/0'))).toBe(true);
    expect([removeOne.created, removeOne.updated, removeOne.replaced]).toEqual([[], [], []]);
    // Emptying the group deletes only its remaining member
    expect(empty.deleted.every((r: string) => r.startsWith('lc_kube_nodegroup_gpu/1'))).toBe(true);
    expect(empty.counts.resources_now).toBe(create.counts.resources_now);
    expect(empty.outputs.nodegroup_gpu_nodes).toEqual([]);
    expect(empty.outputs.kube_minions).toEqual(create.outputs.kube_minions);
  }, 300_000);
});
