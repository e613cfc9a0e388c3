/**
 * `fixedApiVip` through the lifecycle tools, on a 3-master bay (members of
 * their own group, fixed master addresses): Terraform applies, re-plans to
 * nothing and scales minions touching only the new nodes; Heat's engine
 * creates the stack and scales minions creating only the new member's
 * resources. (The bring-up order itself: scripts/ci-bringup.sh.)
 *
 * Needs terraform and python3-heat: runs only with KUBEBAY_LIFECYCLE=1 (CI,
 * scripts/ci-lifecycle.sh); `npm test` skips it.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { cli, writeConfig } from '../cli/run-cli';
import { PKI_DIR, tmpDir } from '../helpers';

const ENABLED = process.env.KUBEBAY_LIFECYCLE === '1';
if (!ENABLED) {
  console.log('test/lifecycle/fixed-api-vip: skipped (needs terraform and python3-heat; set KUBEBAY_LIFECYCLE=1, as CI does)');
}
const TOOLS = process.env.KUBEBAY_TOOLS ?? path.resolve(__dirname, '../../../shared/tools');
const describeLifecycle = ENABLED ? describe : describe.skip;

const BAY = ['name: vip', 'image: ubuntu-24.04', 'keyName: ops', 'externalNetwork: public', 'masterCount: 3', 'minionCount: 2', 'fixedApiVip: true', `pkiDir: ${PKI_DIR}`];

async function synth(lines: string[]): Promise<string> {
  const out = tmpDir('kubebay-vip-');
  const r = await cli('synth', '--config', writeConfig(lines), '--out', out);
  if (r.status !== 0) throw new Error(r.stderr);
  return out;
}

function tf(command: 'apply' | 'plan', out: string, work: string, ...vars: string[]): any {
  const args = [command, path.join(out, 'terraform/stacks/vip'), '--work', work, ...vars.flatMap((v) => ['-var', v])];
  const text = execFileSync(path.join(TOOLS, 'tf-lifecycle'), args, { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' }, maxBuffer: 64 << 20 });
  const result = JSON.parse(text);
  expect(result.diagnostics.filter((d: any) => d.severity === 'error')).toEqual([]);
  return result;
}

describeLifecycle('fixedApiVip: Terraform (tf-lifecycle)', () => {
  test('apply works, a re-plan is empty, scaling minions creates only the new nodes', async () => {
    const out = await synth(BAY);
    const work = tmpDir('kubebay-vip-work-');
    const applied = tf('apply', out, work);
    expect(applied.plan.create).toEqual(expect.arrayContaining([
      'openstack_lb_member_v2.vip_master_api_member["2"]', 'openstack_networking_floatingip_associate_v2.vip_api_floating_association',
    ]));
    const again = tf('plan', out, work).plan;
    expect([again.create, again.update, again.replace, again.delete]).toEqual([[], [], [], []]);
    const scaled = tf('plan', out, work, 'vip_number_of_minions=4').plan;
    expect(scaled.create.length).toBeGreaterThan(0);
    expect(scaled.create.every((a: string) => /vip_minion_\w+\["[23]"\]$/.test(a))).toBe(true);
    expect([scaled.update, scaled.replace, scaled.delete]).toEqual([[], [], []]);
  }, 300_000);
});

describeLifecycle('fixedApiVip: Heat (heat-lifecycle)', () => {
  test('the stack is created; scaling minions creates only the new member\'s resources', async () => {
    const dir = path.join(await synth(BAY), 'hot/vip');
    const text = execFileSync(path.join(TOOLS, 'heat-lifecycle'),
      ['-e', 'environment.yaml', '-e', 'secrets.env.yaml', 'kubecluster.yaml', '--compact', '-q', '--update', 'number_of_minions=3'],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    const [create, grow] = text.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect([create.stack_status, grow.stack_status]).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
    expect(create.created).toEqual(expect.arrayContaining(['vip_kube_masters_members/2/vip_master_api_member', 'vip_api_floating_association']));
    expect(grow.created.length).toBeGreaterThan(0);
    expect(grow.created.every((r: string) => r.startsWith('vip_kube_minions/2'))).toBe(true);
    expect([grow.updated, grow.replaced, grow.deleted]).toEqual([[], [], []]);
  }, 300_000);
});
