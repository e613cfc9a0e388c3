import { NODE_BOOTSTRAP } from '../../bench/bringup/durations';
import { hotSpec, referencedNames } from '../../bench/bringup/hot-graph';
import { mitakaSpec } from '../../bench/bringup/mitaka';
import { expand, schedule, Task } from '../../bench/bringup/model';
import { bringupReport, withMinionsAfterMasters } from '../../bench/bringup/report';
import { tfTasks } from '../../bench/bringup/tf-graph';
import { hotBay, tfBay } from '../helpers';
import { tmpPath } from '../tmp';

const task = (id: string, seconds: number, ...deps: string[]): Task => ({ id, seconds, deps });
const boot = { prepare: 100, finish: 10 };

describe('schedule (pure)', () => {
  test('a task starts when its slowest dependency is complete; the critical path follows the slowest chain', () => {
    // GIVEN a diamond: a → (b 5 s | c 20 s) → d
    const tasks = [task('a', 1), task('b', 5, 'a'), task('c', 20, 'a'), task('d', 2, 'b', 'c')];
    // WHEN
    const sc = schedule(tasks, boot);
    // THEN
    expect(sc.start.get('d')).toBe(21);
    expect(sc.total).toBe(23);
    expect(sc.path).toEqual(['a', 'c', 'd']);
  });

  test('a joining node finishes its bootstrap no earlier than `finish` after the first master is ready', () => {
    // GIVEN a master server that takes 60 s and a minion server that takes 1 s, independent of each other
    const tasks: Task[] = [
      task('master', 60), { id: 'master:boot', seconds: 0, deps: ['master'], bootstrap: 'first-master' },
      task('minion', 1), { id: 'minion:boot', seconds: 0, deps: ['minion'], bootstrap: 'minion' },
    ];
    // WHEN
    const sc = schedule(tasks, boot);
    // THEN the minion prepares in parallel (starts at 1 s) but joins after the API (60 + 110 = 170 s)
    expect(sc.start.get('minion:boot')).toBe(1);
    expect(sc.apiReady).toBe(170);
    expect(sc.finish.get('minion:boot')).toBe(180);
    expect(sc.path).toEqual(['master', 'master:boot', 'minion:boot']);
  });

  test('a joining node that is prepared after the API is ready is not delayed by it', () => {
    const tasks: Task[] = [
      { id: 'm:boot', seconds: 0, deps: [], bootstrap: 'first-master' },
      task('late', 500), { id: 'late:boot', seconds: 0, deps: ['late'], bootstrap: 'minion' },
    ];
    expect(schedule(tasks, boot).finish.get('late:boot')).toBe(500 + 100 + 10);
  });

  test('cycles and unknown dependencies are errors naming the tasks', () => {
    expect(() => schedule([task('a', 1, 'b'), task('b', 1, 'a')])).toThrow(/dependency cycle: a -> b -> a/);
    expect(() => schedule([task('a', 1, 'nope')])).toThrow(/a depends on unknown nope/);
  });
});

describe('expand (pure)', () => {
  const spec = {
    root: 'root.yaml',
    templates: {
      'root.yaml': {
        net: { type: 'OS::Neutron::Net', deps: [] },
        pool: { type: 'OS::Octavia::Pool', deps: [] },
        nodes: { type: 'OS::Heat::ResourceGroup', deps: ['net'], group: { template: 'node.yaml', count: 3, role: 'minion' as const } },
        fip: { type: 'OS::Neutron::FloatingIP', deps: ['nodes'] },
      },
      'node.yaml': {
        port: { type: 'OS::Neutron::Port', deps: [] },
        member: { type: 'OS::Octavia::PoolMember', deps: ['port', '../pool'] },
      },
    },
  };

  test('a group is a start marker, count members after it, and an end marker after every member', () => {
    const tasks = new Map(expand(spec).map((t) => [t.id, t]));
    expect(tasks.get('nodes:start')!.deps).toEqual(['net']);
    expect(tasks.get('nodes/2/member')!.deps).toEqual(['nodes:start', 'nodes/2/port', 'pool']);
    expect(tasks.get('nodes')!.deps).toHaveLength(6);
    expect(tasks.get('fip')!.deps).toEqual(['nodes']);
  });

  test('members run in parallel: the group takes as long as one member whatever the count', () => {
    const total = (count: number) =>
      schedule(expand({ ...spec, templates: { ...spec.templates, 'root.yaml': { ...spec.templates['root.yaml'], nodes: { ...spec.templates['root.yaml'].nodes, group: { template: 'node.yaml', count, role: 'minion' as const } } } } })).total;
    expect(total(1)).toBe(total(1000));
  });
});

describe('graphs of the templates', () => {
  test('HOT: get_resource, get_attr and depends_on are dependencies; the count comes from the parameter', () => {
    // GIVEN
    const docs = new Map<string, unknown>([
      ['r.yaml', {
        parameters: { n: { default: 2 } },
        resources: {
          a: { type: 'OS::Neutron::Net' },
          b: { type: 'OS::Neutron::Subnet', properties: { network: { get_resource: 'a' } } },
          c: { type: 'OS::Neutron::Port', depends_on: 'a', properties: { x: [{ get_attr: ['b', 'cidr'] }] } },
          g: { type: 'OS::Heat::ResourceGroup', properties: { count: { get_param: 'n' }, resource_def: { type: 'm.yaml', properties: { s: { get_resource: 'b' } } } } },
        },
      }],
      ['m.yaml', { resources: { p: { type: 'OS::Neutron::Port' } } }],
    ]);
    // WHEN
    const spec = hotSpec(docs, 'r.yaml');
    // THEN
    expect(spec.templates['r.yaml'].c.deps.sort()).toEqual(['a', 'b']);
    expect(spec.templates['r.yaml'].g).toMatchObject({ deps: ['b'], group: { template: 'm.yaml', count: 2, role: 'master' } });
    expect(hotSpec(docs, 'r.yaml', { n: 7 }).templates['r.yaml'].g.group!.count).toBe(7);
    expect([...referencedNames({ a: [{ get_attr: ['x', 'y'] }, { get_resource: 'z' }] })]).toEqual(['x', 'z']);
  });

  test('the example bay (HOT): minion servers are created while the masters bootstrap, and the bay is up sooner than before and than Mitaka', () => {
    // GIVEN the bay of the tests (3 masters, 2 minions), synthesized to HOT
    const hot = hotBay();
    const spec = hotSpec(hot.docs, 'kubecluster.yaml');
    // WHEN
    const now = schedule(expand(spec));
    const before = schedule(expand(withMinionsAfterMasters(spec, 'demo')));
    const mitaka = schedule(expand(mitakaSpec({ masters: 3, minions: 2 })));
    // THEN minions start long before the first master's wait condition is complete ...
    expect(now.start.get('demo_kube_minions/0/demo_minion_server')!).toBeLessThan(now.finish.get('demo_kube_masters/0/demo_master_wait')! - NODE_BOOTSTRAP.prepare);
    // ... which is when they started before issue 15 (and in Mitaka)
    expect(before.start.get('demo_kube_minions:start')).toBe(before.finish.get('demo_kube_masters'));
    expect(mitaka.start.get('kube_minions:start')).toBe(mitaka.finish.get('kube_masters'));
    expect(now.total).toBeLessThan(before.total);
    expect(now.total).toBeLessThan(mitaka.total);
    // and a minion's bootstrap still ends after the first master's (it joins through the API)
    expect(now.finish.get('demo_kube_minions/0/demo_minion_wait')!).toBeGreaterThanOrEqual(now.apiReady! + NODE_BOOTSTRAP.finish);
  });

  test('fixedApiVip (HOT): the node groups start before the load balancer is ACTIVE; members after the pool; the bay is up sooner', () => {
    // GIVEN the bay of the tests without and with fixedApiVip
    const before = hotSpec(hotBay().docs, 'kubecluster.yaml');
    const spec = hotSpec(hotBay({ fixedApiVip: true, pkiDir: tmpPath('kubebay-pki-vip-') }).docs, 'kubecluster.yaml'); // its own store: a bay can not switch
    // WHEN
    const sc = schedule(expand(spec));
    // THEN no node group waits for an Octavia object, the members' group waits for the pool ...
    const root = spec.templates['kubecluster.yaml'];
    const octavia = (d: string) => /^OS::Octavia::/.test(root[d]?.type ?? '');
    expect(before.templates['kubecluster.yaml'].demo_kube_masters.deps.filter(octavia)).not.toEqual([]);
    expect(root.demo_kube_masters.deps.filter(octavia)).toEqual([]);
    expect(root.demo_kube_minions.deps.filter(octavia)).toEqual([]);
    expect(root.demo_kube_masters_members.deps).toContain('demo_api_pool');
    // ... so the master servers start while the load balancer is being created
    expect(sc.start.get('demo_kube_masters/0/demo_master_server')!).toBeLessThan(sc.finish.get('demo_api_loadbalancer')!);
    expect(sc.total).toBeLessThan(schedule(expand(before)).total);
    // and the first master's kubeadm init still waits for its member (the VIP must route to it)
    expect(sc.apiReady!).toBeGreaterThanOrEqual(sc.finish.get('demo_kube_masters_members/0/demo_master_api_member')! + NODE_BOOTSTRAP.finish);
  });

  test('the first master\'s bootstrap finishes no earlier than every load-balancer member exists', () => {
    const tasks: Task[] = [
      { id: 'm:boot', seconds: 0, deps: [], bootstrap: 'first-master' },
      { ...task('member', 500), lbMember: true },
    ];
    const sc = schedule(tasks, boot);
    expect(sc.finish.get('m:boot')).toBe(500 + 10);
    expect(sc.path).toEqual(['member', 'm:boot']);
  });

  test('Terraform: one task per key; per-key references stay per key; every server has a bootstrap task', () => {
    // GIVEN
    const tf = tfBay();
    // WHEN
    const tasks = new Map(tfTasks(tf.json).map((t) => [t.id, t]));
    // THEN
    expect(tasks.has('openstack_compute_instance_v2.demo_master_server[2]')).toBe(true);
    expect(tasks.get('openstack_compute_instance_v2.demo_minion_server[1]')!.deps).toContain('openstack_networking_port_v2.demo_minion_port[1]');
    expect(tasks.get('openstack_compute_instance_v2.demo_minion_server[1]')!.deps).not.toContain('openstack_networking_port_v2.demo_minion_port[0]');
    expect(tasks.get('openstack_compute_instance_v2.demo_master_server[0]:bootstrap')!.bootstrap).toBe('first-master');
    expect(tasks.get('openstack_compute_instance_v2.demo_master_server[1]:bootstrap')!.bootstrap).toBe('master');
    expect(tasks.get('openstack_compute_instance_v2.demo_minion_server[0]:bootstrap')!.bootstrap).toBe('minion');
    // and no minion resource waits for a master resource
    const minionDeps = [...tasks.values()].filter((t) => /demo_minion_/.test(t.id) && !t.bootstrap).flatMap((t) => t.deps);
    expect(minionDeps.filter((d) => /demo_master_/.test(d))).toEqual([]);
  });

  test('the report: flat in the minion count in both formats, and a PASS/MISS row for the 0.7× goal', () => {
    const r = bringupReport({ hot: hotBay().docs, tf: tfBay().json, bay: 'demo' });
    expect(r.flat).toBe(true);
    expect(r.markdown).toMatch(/\| Example bay, time to CREATE_COMPLETE vs Mitaka's templates \(HOT\) \| ≤ 0\.7× \| \d\.\d\d× \(\d+ s vs \d+ s\) \| (PASS|MISS) \|/);
    expect(r.ratio).toBeCloseTo(r.kubebay.total / r.mitaka.total);
  });
});
