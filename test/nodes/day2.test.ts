/**
 * Day 2 behaviour written into the templates: HOT rolling updates, the
 * immutable master count (HOT parameter, Terraform guard), servers that keep
 * their user data in Terraform, and the HOT single-master exception.
 */
import { BayValidationError } from '../../lib';
import { hotBay, tfBay, tfResources } from '../helpers';

describe('HOT', () => {
  // GIVEN a 3-master bay with minions rolled 3 at a time
  const hot = hotBay({ name: 'roll', updateMaxBatchSize: 3 });
  const root = hot.docs.get('kubecluster.yaml');

  test('masters roll one at a time with a pause, minions in batches of update_max_batch_size', () => {
    expect(root.resources.roll_kube_masters.update_policy).toEqual({
      rolling_update: { min_in_service: 0, max_batch_size: 1, pause_time: { get_param: 'master_update_pause_time' } },
    });
    expect(root.resources.roll_kube_minions.update_policy).toEqual({
      rolling_update: { min_in_service: 0, max_batch_size: { get_param: 'update_max_batch_size' } },
    });
    expect(hot.set.parameters.update_max_batch_size).toBe(3);
    expect(hot.set.parameters.master_update_pause_time).toBe(600);
  });

  test('number_of_masters is immutable, its description says why and the safe way', () => {
    const p = root.parameters.number_of_masters;
    expect(p.immutable).toBe(true);
    expect(p.description).toMatch(/Fixed once deployed: .*quorum.*create a new bay/);
    expect(root.parameters.number_of_minions.immutable).toBeUndefined();
  });

  test('a new image replaces a server (clean boot) instead of rebuilding it', () => {
    expect(hot.docs.get('kubemaster.yaml').resources.roll_master_server.properties.image_update_policy).toBe('REPLACE');
    expect(hot.docs.get('kubeminion.yaml').resources.roll_minion_server.properties.image_update_policy).toBe('REPLACE');
  });

  test('masters are replaced on a user-data change unless the bay has a single master; minions always', () => {
    const master = hot.docs.get('kubemaster.yaml');
    expect(master.conditions.single_master).toEqual({ equals: [{ get_param: 'number_of_masters' }, 1] });
    expect(master.resources.roll_master_server.properties.user_data_update_policy).toEqual({ if: ['single_master', 'IGNORE', 'REPLACE'] });
    expect(hot.docs.get('kubeminion.yaml').resources.roll_minion_server.properties.user_data_update_policy).toBeUndefined();
  });

  test('the master pause is shortened to fit the stack timeout', () => {
    expect(hotBay({ name: 'short', masterCount: 5, createTimeoutMinutes: 20 }).set.parameters.master_update_pause_time).toBe(299);
    expect(hotBay({ name: 'nolimit', masterCount: 5, createTimeoutMinutes: 0 }).set.parameters.master_update_pause_time).toBe(600);
  });
});

describe('Terraform', () => {
  const tf = tfBay({ name: 'roll' });
  const resources = tfResources(tf.json);

  test('every server ignores user-data, image, flavor and key drift (a plan never replaces or resizes them all)', () => {
    const servers = resources.filter(([t]) => t === 'openstack_compute_instance_v2');
    expect(servers.map(([, n]) => n).sort()).toEqual(['roll_master_server', 'roll_minion_server']);
    for (const [, , body] of servers) expect(body.lifecycle).toEqual({ ignore_changes: ['user_data', 'image_name', 'flavor_name', 'key_pair'] });
  });

  test('a guard records the applied number_of_masters and refuses a plan that changes it', () => {
    const data = tf.json.resource.terraform_data;
    expect(data.roll_number_of_masters_deployed.input).toBe('${var.roll_number_of_masters}');
    expect(data.roll_number_of_masters_deployed.lifecycle).toEqual({ ignore_changes: ['input'] });
    const [pre] = data.roll_number_of_masters_check.lifecycle.precondition;
    expect(pre.condition).toBe('${terraform_data.roll_number_of_masters_deployed.output == var.roll_number_of_masters}');
    expect(pre.error_message).toMatch(/^roll_number_of_masters cannot change from \$\{terraform_data\.roll_number_of_masters_deployed\.output\} to \$\{var\.roll_number_of_masters\}: .*create a new bay/);
  });

  test('the guard synthesizes without a terraform binary and starts no process (cdktf\'s DataResource ran `terraform version` per validation)', () => {
    const path = process.env.PATH;
    const spawned = jest.spyOn(require('node:child_process') as typeof import('node:child_process'), 'execSync');
    try {
      process.env.PATH = '/nonexistent';
      const { json } = tfBay({ name: 'nobin' });
      expect(Object.keys(json.resource.terraform_data).sort()).toEqual(['nobin_number_of_masters_check', 'nobin_number_of_masters_deployed']);
      expect(spawned).not.toHaveBeenCalled();
    } finally {
      process.env.PATH = path;
      spawned.mockRestore();
    }
  });
});

test('updateMaxBatchSize and masterUpdatePauseTime are checked, naming the prop and the fix', () => {
  let error: unknown;
  try {
    hotBay({ name: 'bad', updateMaxBatchSize: 0, masterUpdatePauseTime: 7200 });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(BayValidationError);
  const text = (error as BayValidationError).errors.join('\n');
  expect(text).toMatch(/updateMaxBatchSize: 0 is not a batch size.*use an integer from 1/);
  expect(text).toMatch(/masterUpdatePauseTime: 7200 .*use an integer from 0 to 3600/);
});
