import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from '../helpers';
import { CommandRunner, memberId, nodeState, NodeState, readKubeconfig, roll, RollDeps, rollPlan, serversInState } from '../../lib/roll';

const STATE = [
  'openstack_compute_instance_v2.prod_master_server["0"]',
  'openstack_compute_instance_v2.prod_master_server["1"]',
  'openstack_compute_instance_v2.prod_master_server["2"]',
  'openstack_compute_instance_v2.prod_minion_server["0"]',
  'openstack_compute_instance_v2.prod_minion_server["2"]',
  'openstack_compute_instance_v2.prod_minion_server["10"]',
  'openstack_compute_instance_v2.other_minion_server["0"]',
  'openstack_networking_port_v2.prod_master_port["0"]',
].join('\n');

/** A fake cloud: terraform state list / apply -replace, nodes that come back with a new boot id after their replacement. */
function fakeCloud(opts: { master1Down?: boolean; neverReady?: string; applyFails?: boolean } = {}) {
  const calls: string[] = [];
  const boots = new Map<string, number>();
  let clock = 0;
  const run: CommandRunner = async (command, args) => {
    calls.push([command, ...args].join(' '));
    if (args[0] === 'state') return { code: 0, stdout: STATE, stderr: '' };
    if (args[0] === 'apply') {
      if (opts.applyFails) return { code: 1, stdout: '', stderr: 'Error: quota exceeded' };
      for (const a of args.filter((x) => x.startsWith('-replace='))) {
        const m = /prod_(master|minion)_server\["(\d+)"\]/.exec(a)!;
        const name = `prod-${m[1]}-${m[2]}`;
        boots.set(name, (boots.get(name) ?? 0) + 1);
      }
      return { code: 0, stdout: 'Apply complete!', stderr: '' };
    }
    return { code: 2, stdout: '', stderr: 'unexpected' };
  };
  const readNode = async (name: string): Promise<NodeState | undefined> => {
    calls.push(`GET ${name}`);
    const down = (opts.master1Down && name === 'prod-master-1') || (opts.neverReady === name && boots.has(name));
    return { ready: !down, bootId: `boot-${boots.get(name) ?? 0}` };
  };
  const deps: RollDeps = {
    run,
    readNode,
    removeEtcdMember: async (member, survivor) => {
      calls.push(`etcd remove ${member} via ${survivor}`);
      return 'abc123';
    },
    log: () => undefined,
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
  };
  return { calls, deps, boots };
}

const applies = (calls: string[]) => calls.filter((c) => c.includes(' apply '));

describe('roll plan', () => {
  test('masters one at a time from the highest key (master 0 last), then minions in batches in key order', () => {
    // GIVEN the servers of bay prod in the state (and another bay's)
    const state = serversInState(STATE, 'prod');
    // WHEN
    const steps = rollPlan(state, { bay: 'prod', batchSize: 2 });
    // THEN
    expect(steps.map((s) => `${s.role}:${s.keys.join('+')}`)).toEqual(['master:2', 'master:1', 'master:0', 'minion:0+2', 'minion:10']);
    expect(steps[0].addresses).toEqual(['openstack_compute_instance_v2.prod_master_server["2"]']);
    expect(steps[3].nodeNames).toEqual(['prod-minion-0', 'prod-minion-2']);
  });

  test('--node names a server of the state, or is refused with the list of servers', () => {
    const state = serversInState(STATE, 'prod');
    expect(rollPlan(state, { bay: 'prod', nodes: ['minion/10'] }).map((s) => s.addresses)).toEqual([
      ['openstack_compute_instance_v2.prod_minion_server["10"]'],
    ]);
    expect(() => rollPlan(state, { bay: 'prod', nodes: ['minion/1'] })).toThrow(/--node minion\/1: no such server.*minion\/10/);
  });

  test('memberId reads the hex id of a named member from etcdctl member list', () => {
    const list = '8e9e05c52164694d, started, prod-master-0, https://10.0.0.5:2380, https://10.0.0.5:2379, false\n' +
      '91bc3c398fb3c146, started, prod-master-1, https://10.0.0.6:2380, https://10.0.0.6:2379, false\n';
    expect(memberId(list, 'prod-master-1')).toBe('91bc3c398fb3c146');
    expect(memberId(list, 'prod-master-2')).toBeUndefined();
  });
});

describe('roll', () => {
  test('replaces exactly one server per apply for masters, removing its etcd member first, and waits for a new boot', async () => {
    // GIVEN a healthy bay
    const { calls, deps, boots } = fakeCloud();
    // WHEN
    await roll({ dir: '/stack', bay: 'prod', batchSize: 2 }, deps);
    // THEN one apply per master, one per minion batch, each with its own -replace list
    const a = applies(calls);
    expect(a).toHaveLength(5);
    expect(a[0]).toBe('terraform apply -input=false -auto-approve -replace=openstack_compute_instance_v2.prod_master_server["2"]');
    expect(a[3]).toContain('-replace=openstack_compute_instance_v2.prod_minion_server["0"] -replace=openstack_compute_instance_v2.prod_minion_server["2"]');
    // the etcd member goes before its server
    const i = calls.indexOf('etcd remove prod-master-2 via prod-master-1');
    expect(i).toBeGreaterThan(-1);
    expect(i).toBeLessThan(calls.indexOf(a[0]));
    expect(calls.filter((c) => c.startsWith('etcd remove'))).toHaveLength(3);
    // every server replaced exactly once
    expect([...boots.values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  test('refuses to replace a master while another master is not Ready, before any apply', async () => {
    const { calls, deps } = fakeCloud({ master1Down: true });
    await expect(roll({ dir: '/stack', bay: 'prod' }, deps)).rejects.toThrow(/master prod-master-1 is not Ready: replacing prod-master-2 now could leave etcd without quorum/);
    expect(applies(calls)).toHaveLength(0);
  });

  test('stops when a replaced node is not Ready with a new boot within the timeout, naming it and how to resume', async () => {
    const { calls, deps } = fakeCloud({ neverReady: 'prod-master-2' });
    await expect(roll({ dir: '/stack', bay: 'prod', timeoutSeconds: 60, pollSeconds: 10 }, deps)).rejects.toThrow(
      /prod-master-2 not Ready with a new boot within 60 s.*resume with `kubebay roll --node master\/2/,
    );
    expect(applies(calls)).toHaveLength(1);
  });

  test('a failed apply stops the roll', async () => {
    const { calls, deps } = fakeCloud({ applyFails: true });
    await expect(roll({ dir: '/stack', bay: 'prod' }, deps)).rejects.toThrow(/terraform apply failed \(exit 1\): Error: quota exceeded/);
    expect(applies(calls)).toHaveLength(1);
  });

  test('never replaces the only master of a bay (it holds etcd\'s only copy), and rolls the minions', async () => {
    const { calls, deps } = fakeCloud();
    const one = ['openstack_compute_instance_v2.prod_master_server["0"]', 'openstack_compute_instance_v2.prod_minion_server["0"]'].join('\n');
    const lines: string[] = [];
    const steps = await roll({ dir: '/stack', bay: 'prod' }, {
      ...deps,
      log: (l) => lines.push(l),
      run: async (command, args, cwd) => (args[0] === 'state' ? { code: 0, stdout: one, stderr: '' } : deps.run(command, args, cwd)),
    });
    expect(steps.map((s) => s.role)).toEqual(['minion']);
    expect(applies(calls)).toHaveLength(1);
    expect(applies(calls)[0]).toContain('prod_minion_server["0"]');
    expect(lines.join('\n')).toMatch(/skipping master 0: it is the only master/);
  });

  test('--dry-run changes nothing', async () => {
    const { calls, deps } = fakeCloud();
    const steps = await roll({ dir: '/stack', bay: 'prod', dryRun: true }, deps);
    expect(steps).toHaveLength(6);
    expect(applies(calls)).toHaveLength(0);
  });
});

describe('kube-api', () => {
  test('reads the current context of a kubeconfig with inline certificate data', () => {
    const file = path.join(tmpDir('kubebay-kc-'), 'admin.conf');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    fs.writeFileSync(file, [
      'apiVersion: v1', 'kind: Config', 'current-context: admin@prod',
      'clusters:', '- name: other', '  cluster: {server: "https://192.0.2.9:6443"}', '- name: prod', `  cluster: {server: "https://203.0.113.7:6443/", certificate-authority-data: ${b64('CA')}}`,
      'contexts:', '- name: admin@prod', '  context: {cluster: prod, user: admin}',
      'users:', '- name: admin', `  user: {client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')}}`,
    ].join('\n'));
    const c = readKubeconfig(file);
    expect(c.server).toBe('https://203.0.113.7:6443');
    expect([c.ca?.toString(), c.cert?.toString(), c.key?.toString()]).toEqual(['CA', 'CERT', 'KEY']);
  });

  test('a node is Ready only with a Ready=True condition; its boot id comes from nodeInfo', () => {
    expect(nodeState({ status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { bootID: 'b1' } } })).toEqual({ ready: true, bootId: 'b1' });
    expect(nodeState({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }, { type: 'MemoryPressure', status: 'True' }] } })).toEqual({ ready: false, bootId: '' });
  });
});
