/**
 * Issue 14's deploy-time egress parameters through the lifecycle tools:
 * changing http_proxy at deploy time (HOT: the rolling update replaces every
 * server, masters one at a time; Terraform: the servers keep their user data
 * until `kubebay roll`), and the variables' validations refusing a proxy URL
 * with credentials or a malformed no_proxy before anything is planned.
 * Day 2 from main's outputs (no change at all with the same props) is
 * measured with scripts/outputs-golden.sh + heat-update-to.py / tf-lifecycle
 * (see the CHANGELOG); this suite covers what the branch itself can replay.
 */
import { BAY, synthCheckout, lifeConfig, Checkout } from './bay';
import { describeLifecycle, heatLifecycle, planCounts, tfLifecycle } from './tools';
import { tmpDir } from '../tmp';

const PROXY = 'http://proxy.example.internal:3128';
const egress = ['httpProxy: ' + PROXY, 'noProxy: [.example.internal]', 'dnsClusterDomain: k8s.internal'];

describeLifecycle('egress parameters: deploy-time changes', () => {
  let bay: Checkout;
  beforeAll(async () => {
    bay = await synthCheckout(lifeConfig(egress));
  });

  test('HOT: an update with the defaults changes nothing; a new http_proxy replaces every server (masters one at a time by their rolling update)', () => {
    const r = heatLifecycle(bay.hotDir, [['--no-change'], ['--update', 'http_proxy=http://proxy2.example.internal:3128']]);
    const [create, same, changed] = r.steps;
    console.log(`heat-lifecycle http_proxy update: ${changed?.stack_status}, replaced ${changed?.replaced.length}`);
    expect(create.stack_status).toBe('CREATE_COMPLETE');
    expect(same.stack_status).toBe('UPDATE_COMPLETE');
    expect([same.created, same.updated, same.replaced, same.deleted]).toEqual([[], [], [], []]);
    expect(changed.stack_status).toBe('UPDATE_COMPLETE');
    expect(changed.replaced.sort()).toEqual([
      ...['0', '1', '2'].map((k) => `${BAY}_kube_masters/${k}/${BAY}_master_server`),
      ...['0', '1', '2'].map((k) => `${BAY}_kube_minions/${k}/${BAY}_minion_server`),
    ]);
    expect(changed.deleted.filter((d) => !d.endsWith('_server'))).toEqual([]);
  });

  test('HOT: a proxy URL with credentials is refused by the parameter constraint (nothing updated)', () => {
    const r = heatLifecycle(bay.hotDir, [['--update', 'http_proxy=http://user:secret@proxy:3128']]);
    const update = r.steps[1];
    expect(update.stack_status).not.toBe('UPDATE_COMPLETE');
    expect(JSON.stringify(update.errors ?? update)).toMatch(/without credentials/);
  });

  test('Terraform: -var http_proxy plans no change (servers keep their user data until kubebay roll); a URL with credentials or a bad no_proxy is refused', () => {
    const work = tmpDir('kubebay-egress-tf-');
    expect(tfLifecycle('apply', bay.tfDir, work).status).toBe(0);
    const changed = tfLifecycle('plan', bay.tfDir, work, ['-var', `${BAY}_http_proxy=http://proxy2.example.internal:3128`]);
    console.log(`tf-lifecycle plan -var http_proxy: ${planCounts(changed.plan)}`);
    expect([changed.plan.create, changed.plan.update, changed.plan.replace, changed.plan.delete]).toEqual([[], [], [], []]);
    for (const bad of [`${BAY}_http_proxy=http://user:secret@proxy:3128`, `${BAY}_no_proxy=a, b`]) {
      const r = tfLifecycle('plan', bay.tfDir, work, ['-var', bad]);
      expect(r.status).not.toBe(0);
      expect(JSON.stringify(r.diagnostics)).toMatch(/must be/);
    }
  });
});
