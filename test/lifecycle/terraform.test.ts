/**
 * Issue 10 on an applied 3-master + 3-minion bay with real Terraform 1.11
 * (tf-lifecycle, fake OpenStack provider with the real ForceNew paths): one
 * apply, then plans against the same state.
 */
import * as path from 'node:path';
import { tmpDir } from '../helpers';
import { BAY, Checkout, lifeConfig, synthCheckout } from './bay';
import { describeLifecycle, planCounts, TfRun, tfLifecycle } from './tools';

const server = (role: string, key: string) => `openstack_compute_instance_v2.${BAY}_${role}_server["${key}"]`;
const servers = (addrs: string[]) => addrs.filter((a) => a.startsWith('openstack_compute_instance_v2.'));
const v = (name: string, value: string) => ['-var', `${BAY}_${name}=${value}`];

describeLifecycle('Terraform lifecycle of a 3-master + 3-minion bay', () => {
  let bay: Checkout;
  let work: string;
  const plan = (args: string[] = [], env: Record<string, string> = {}): TfRun => {
    const r = tfLifecycle('plan', bay.tfDir, work, args, env);
    // eslint-disable-next-line no-console
    console.log(`tf-lifecycle plan ${args.join(' ')} ${Object.entries(env).map(([k, x]) => `${k}=${x}`).join(' ')}: ${r.plan.error ? 'refused' : planCounts(r.plan)}`);
    return r;
  };

  beforeAll(async () => {
    bay = await synthCheckout(lifeConfig());
    work = path.join(tmpDir('kubebay-tfwork-'), 'work');
    const applied = tfLifecycle('apply', bay.tfDir, work);
    expect(applied.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(applied.apply).toBe('ok');
    expect(servers(applied.plan.create)).toHaveLength(6);
  }, 300_000);

  test('a plan with the same props changes nothing', () => {
    const r = plan();
    expect(planCounts(r.plan)).toBe('create 0, update 0, replace 0, delete 0');
  });

  test('a kubernetes_version change plans no replacement: servers ignore user-data drift', () => {
    const r = plan(v('kubernetes_version', 'v1.32'));
    expect(planCounts(r.plan)).toBe('create 0, update 0, replace 0, delete 0');
  });

  test('a new image, flavor or key pair plans no replacement or resize either', () => {
    const r = plan([...v('server_image', 'ubuntu-26.04'), ...v('master_flavor', 'm1.large'), ...v('ssh_key_name', 'ops2')]);
    expect(planCounts(r.plan)).toBe('create 0, update 0, replace 0, delete 0');
  });

  test('one -replace (what kubebay roll runs per master) replaces exactly one server, with the new user data', () => {
    const r = plan(v('kubernetes_version', 'v1.32'), { TF_CLI_ARGS_plan: `-replace=${server('master', '1').replace(/"/g, '\\"')}` });
    expect(servers(r.plan.replace)).toEqual([server('master', '1')]);
    // its volume attachment follows the new server; nothing else changes
    expect(r.plan.replace).toEqual([server('master', '1'), `openstack_compute_volume_attach_v2.${BAY}_master_volume_attach["1"]`]);
    expect(r.plan.delete).toEqual([]);
  });

  test('masters 3 -> 1 is refused before anything is applied, naming the operation and the safe way', () => {
    const r = plan(v('number_of_masters', '1'));
    expect(r.plan.error).toBe(true);
    const message = r.diagnostics.map((d) => `${d.summary} ${d.detail ?? ''}`).join('\n');
    expect(message).toMatch(/life_number_of_masters cannot change from 3 to 1/);
    expect(message).toMatch(/create a new bay/);
  });

  test('minions +2 creates only the two new minions', () => {
    const r = plan(v('number_of_minions', '5'));
    expect(r.plan.replace).toEqual([]);
    expect(r.plan.delete).toEqual([]);
    expect(r.plan.update).toEqual([]);
    expect(servers(r.plan.create)).toEqual([server('minion', '3'), server('minion', '4')]);
    expect(r.plan.create.every((a) => /_minion_\w+\["[34]"\]$/.test(a))).toBe(true);
  });

  test('removing minion 1 by key deletes only minion 1', () => {
    const r = plan([...v('number_of_minions', '2'), ...v('minions_to_remove', '["1"]')]);
    expect(r.plan.create).toEqual([]);
    expect(r.plan.replace).toEqual([]);
    expect(servers(r.plan.delete)).toEqual([server('minion', '1')]);
    expect(r.plan.delete.every((a) => /_minion_\w+\["1"\]$/.test(a))).toBe(true);
  });

  test('re-synthesizing with the same props plans no change', async () => {
    await synthCheckout(lifeConfig(), bay.dir);
    expect(planCounts(plan().plan)).toBe('create 0, update 0, replace 0, delete 0');
  });

  // A fresh checkout (everything but the PKI store): test/lifecycle/state.test.ts (refused before
  // writing; after `kubebay pki import`, Terraform plans no change and Heat updates nothing).
});
