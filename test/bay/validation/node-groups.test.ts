/**
 * Bad node groups: each problem is reported naming the group's prop
 * (`nodeGroups[i].key`), the value and the fix, before anything is written.
 */
import { cli, BASE_CONFIG, writeConfig } from '../../cli/run-cli';
import { asValidationError, runPipeline, thrownBy, tree, workspaceWithPreviousOutputs } from '../../support/validation';

const gpu = { name: 'gpu', count: 2 };
const CASES: [string, unknown, string, RegExp][] = [
  ['not a list', { name: 'gpu' }, 'nodeGroups', /is not a list/],
  ['uppercase name', [{ name: 'GPU' }], 'nodeGroups[0].name', /"GPU" is not a valid node group name/],
  ['name of a default group', [{ name: 'minion' }], 'nodeGroups[0].name', /default group/],
  ['two groups of one name', [gpu, gpu], 'nodeGroups[1].name', /"gpu" is the name of an earlier group/],
  ['negative count', [{ ...gpu, count: -1 }], 'nodeGroups[0].count', /-1 is not a valid node count; use an integer from 0 to 10000/],
  ['empty flavor', [{ ...gpu, flavor: '' }], 'nodeGroups[0].flavor', /"" is not a non-empty string/],
  ['unknown affinity policy', [{ ...gpu, affinityPolicy: 'spread' }], 'nodeGroups[0].affinityPolicy', /"spread" is not a Nova server-group policy; use one of affinity/],
  ['label key with a space', [{ ...gpu, labels: { 'my label': 'x' } }], 'nodeGroups[0].labels', /"my label" is not a Kubernetes label key/],
  ['kubelet may not set node-role labels', [{ ...gpu, labels: { 'node-role.kubernetes.io/gpu': '' } }], 'nodeGroups[0].labels', /kubelet may not label its own node/],
  ['label value too long', [{ ...gpu, labels: { 'example.com/x': 'v'.repeat(64) } }], 'nodeGroups[0].labels.example.com/x', /is not a Kubernetes label value/],
  ['taint without an effect', [{ ...gpu, taints: [{ key: 'gpu' }] }], 'nodeGroups[0].taints[0].effect', /undefined is not a taint effect; use one of NoSchedule/],
  ['taint with an unknown key', [{ ...gpu, taints: [{ key: 'gpu', effect: 'NoSchedule', operator: 'Exists' }] }], 'nodeGroups[0].taints[0]', /is not a taint/],
  ['removing a node that does not exist', [{ ...gpu, nodesToRemove: ['5'] }], 'nodeGroups[0].nodesToRemove', /"5" is not a node of this group \(keys 0-2 exist\)/],
  ['removing by IP', [{ ...gpu, nodesToRemove: ['10.0.0.5'] }], 'nodeGroups[0].nodesToRemove', /is not a node key; use keys such as '3' \(see the nodegroup_gpu_nodes_by_key output\)/],
  ['typo in a group key', [{ ...gpu, flavour: 'm1.small' }], 'nodeGroups[0].flavour', /is not a key of nodeGroups\[0\]; did you mean flavor\?/],
  ['groups that overflow the subnet', [{ name: 'big', count: 300 }], 'fixedNetworkCidr', /305 nodes/],
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('invalid node groups', () => {
  test.each(CASES)('%s: named in the error, nothing written', (_title, nodeGroups, prop, says) => {
    // GIVEN a workspace with previous outputs
    const ws = workspaceWithPreviousOutputs(['demo']);
    const before = tree(ws.root);
    // WHEN the pipeline runs with the bad node groups
    const err = asValidationError(thrownBy(() => runPipeline(ws, { nodeGroups })));
    // THEN a message names the prop, the value and the fix; nothing was written
    const about = err.errors.filter((m) => new RegExp(`^\\[[^\\]]+\\] ${escape(prop)}: `).test(m));
    expect({ prop, messages: about.length ? about : err.errors }).toEqual({ prop, messages: expect.arrayContaining([expect.stringMatching(says)]) });
    for (const m of about) expect(m).toMatch(/; .+/);
    expect(tree(ws.root)).toEqual(before);
  });

  test('a config file with node groups is accepted; an unknown key inside a group is reported with its line', async () => {
    // GIVEN a config with a valid group, and one with a typo in a group
    const good = writeConfig([...BASE_CONFIG, 'nodeGroups:', '  - name: gpu', '    count: 1', '    labels: { example.com/gpu: "true" }', '    taints: [{ key: gpu, effect: NoSchedule }]']);
    const bad = writeConfig([...BASE_CONFIG, 'nodeGroups:', '  - name: gpu', '    flavour: g1']);
    // WHEN
    const ok = await cli('synth', '--config', good, '--target', 'hot', '--out', `${good}.out`);
    const ko = await cli('synth', '--config', bad, '--target', 'hot', '--out', `${bad}.out`);
    // THEN
    expect(ok.stderr).not.toMatch(/error/i);
    expect(ok.status).toBe(0);
    expect(ko.status).not.toBe(0);
    expect(ko.stderr).toMatch(/:13: unknown key "nodeGroups\.0\.flavour"; did you mean "flavor"\?/);
  });
});
