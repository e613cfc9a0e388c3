/**
 * Issue 10 on a created 3-master + 3-minion bay with Heat's own engine
 * (heat-lifecycle): create, then every update in one run.
 */
import { BAY, lifeConfig, synthCheckout } from './bay';
import { describeLifecycle, HeatStep, heatLifecycle } from './tools';

const MASTERS = `${BAY}_kube_masters`;
const PAUSE = 20;
const MINIONS = `${BAY}_kube_minions`;
const under = (paths: string[], prefix: string) => paths.filter((p) => p.startsWith(prefix));
const summary = (s: HeatStep) =>
  `created ${s.counts.created}, updated ${s.counts.updated}, replaced ${s.counts.replaced}, deleted ${s.counts.deleted}`;

describeLifecycle('Heat lifecycle of a 3-master + 3-minion bay', () => {
  let steps: HeatStep[];
  let status: number;

  beforeAll(async () => {
    const bay = await synthCheckout(lifeConfig());
    const r = heatLifecycle(bay.hotDir, [
      ['--no-change'],
      // The version change with a 20 s pause between master batches (evidence of the batches, below).
      ['--update', `kubernetes_version=v1.32;master_update_pause_time=${PAUSE}`],
      ['--update', 'number_of_minions=5'],
      ['--update', 'number_of_minions=4;minions_to_remove=1'],
      ['--update', 'number_of_masters=1'],
    ]);
    steps = r.steps;
    status = r.status;
    // eslint-disable-next-line no-console
    console.log(steps.map((s) => `heat-lifecycle step ${s.step} ${s.action}: ${s.stack_status}, ${summary(s)}, ${s.seconds} s${s.errors ? `; ${s.errors.join('; ')}` : ''}`).join('\n'));
    if (steps.length < 6) throw new Error(`heat-lifecycle stopped early (exit ${status}): ${r.stderr.slice(-2000)}`);
  }, 300_000);

  test('create builds 3 masters and 3 minions', () => {
    expect(steps[0].stack_status).toBe('CREATE_COMPLETE');
    expect(steps[0].groups[MASTERS].members).toEqual(['0', '1', '2']);
    expect(steps[0].groups[MINIONS].members).toEqual(['0', '1', '2']);
  });

  test('an update without changes changes nothing', () => {
    expect(steps[1].stack_status).toBe('UPDATE_COMPLETE');
    expect(summary(steps[1])).toBe('created 0, updated 0, replaced 0, deleted 0');
  });

  test('a version change replaces each server (rolling, masters one at a time) and deletes or adds nothing', () => {
    const s = steps[2];
    expect(s.stack_status).toBe('UPDATE_COMPLETE');
    expect(s.groups[MASTERS].members_with_replaced_resources).toEqual(['0', '1', '2']);
    expect(s.groups[MINIONS].members_with_replaced_resources).toEqual(['0', '1', '2']);
    expect(s.replaced.filter((p) => p.endsWith('_server'))).toHaveLength(6);
    expect(s.created).toEqual([]);
    expect(s.deleted).toEqual([]);
  });

  test('the masters were replaced in three batches: Heat paused twice between them', () => {
    // heat-lifecycle reports no batch order, but Heat sleeps pause_time between two batches of a
    // rolling update: 3 batches (one master each) make 2 pauses, a single batch none, batches of 2 one.
    // A lower bound only (the run may be slower, never faster than its pauses).
    expect(steps[2].seconds).toBeGreaterThanOrEqual(2 * PAUSE);
  });

  test('minions +2 creates only the two new minions', () => {
    const s = steps[3];
    expect(s.stack_status).toBe('UPDATE_COMPLETE');
    expect(s.groups[MINIONS].added).toEqual(['3', '4']);
    expect(s.replaced).toEqual([]);
    expect(s.deleted).toEqual([]);
    expect(s.created.every((p) => p.startsWith(`${MINIONS}/3`) || p.startsWith(`${MINIONS}/4`))).toBe(true);
  });

  test('removing minion 1 deletes only minion 1', () => {
    const s = steps[4];
    expect(s.stack_status).toBe('UPDATE_COMPLETE');
    expect(s.groups[MINIONS].removed).toEqual(['1']);
    expect(s.groups[MINIONS].members).toEqual(['0', '2', '3', '4']);
    expect(s.deleted.length).toBeGreaterThan(0);
    expect(under(s.deleted, `${MINIONS}/1`)).toEqual(s.deleted);
    expect(s.replaced).toEqual([]);
    expect(s.created).toEqual([]);
  });

  test('masters 3 -> 1 is refused by Heat (immutable number_of_masters): no master goes', () => {
    const s = steps[5];
    expect(status).toBe(1);
    expect((s.errors ?? []).join('\n')).toMatch(/immutable.*number_of_masters/);
    expect(s.groups[MASTERS].members).toEqual(['0', '1', '2']);
    expect(summary(s)).toBe('created 0, updated 0, replaced 0, deleted 0');
  });
});

describeLifecycle('Heat lifecycle of a 1-master bay', () => {
  test('a version change keeps the only master (its etcd data) and replaces the minions', async () => {
    const bay = await synthCheckout(lifeConfig(['masterCount: 1']).filter((l) => l !== 'masterCount: 3').map((l) => l.replace(`name: ${BAY}`, 'name: solo')));
    const r = heatLifecycle(bay.hotDir, [['--update', 'kubernetes_version=v1.32']]);
    expect(r.status).toBe(0);
    const s = r.steps[1];
    expect(s.stack_status).toBe('UPDATE_COMPLETE');
    expect(s.groups.solo_kube_masters.members_with_replaced_resources).toEqual([]);
    expect(s.groups.solo_kube_minions.members_with_replaced_resources).toEqual(['0', '1', '2']);
  }, 300_000);
});
