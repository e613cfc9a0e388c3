/**
 * Issue 14's registry parameters (container_infra_prefix,
 * insecure_registry_url) through the lifecycle tools: with the defaults an
 * update changes nothing; a new value switches every node to the
 * deploy-time rendering of its user data (HOT: the rolling update replaces
 * every server, masters one at a time; Terraform: the servers keep their
 * user data until `kubebay roll`); a value the props would refuse is
 * refused before anything changes. Day 2 from main's outputs (no change
 * at all with the same props) is measured with scripts/outputs-golden.sh +
 * heat-update-to.py / tf-lifecycle (see the CHANGELOG).
 */
import { BAY, synthCheckout, lifeConfig, Checkout } from './bay';
import { describeLifecycle, heatLifecycle, planCounts, tfLifecycle } from './tools';
import { tmpDir } from '../tmp';

const servers = [
  ...['0', '1', '2'].map((k) => `${BAY}_kube_masters/${k}/${BAY}_master_server`),
  ...['0', '1', '2'].map((k) => `${BAY}_kube_minions/${k}/${BAY}_minion_server`),
];

describeLifecycle('registry parameters: deploy-time changes', () => {
  let bay: Checkout;
  beforeAll(async () => {
    bay = await synthCheckout(lifeConfig(['insecureRegistries: [registry.example.internal:5000]']));
  });

  test('HOT: an update with the defaults changes nothing; a new container_infra_prefix, then insecure_registry_url, replaces every server (masters one at a time)', () => {
    const r = heatLifecycle(bay.hotDir, [
      ['--no-change'],
      ['--update', 'container_infra_prefix=registry.example.com/k8s/'],
      ['--update', 'insecure_registry_url=registry.example.com:5000,10.0.0.5:5000'],
    ]);
    const [create, same, prefix, insecure] = r.steps;
    console.log(`heat-lifecycle container_infra_prefix update: ${prefix?.stack_status}, replaced ${prefix?.replaced.length}; insecure_registry_url: ${insecure?.stack_status}, replaced ${insecure?.replaced.length}`);
    expect(create.stack_status).toBe('CREATE_COMPLETE');
    expect(same.stack_status).toBe('UPDATE_COMPLETE');
    expect([same.created, same.updated, same.replaced, same.deleted]).toEqual([[], [], [], []]);
    for (const changed of [prefix, insecure]) {
      expect(changed.stack_status).toBe('UPDATE_COMPLETE');
      expect(changed.replaced.sort()).toEqual(servers);
      expect(changed.deleted.filter((d) => !d.endsWith('_server'))).toEqual([]);
    }
  });

  test('HOT: a prefix with a scheme is refused by the parameter constraint (nothing updated)', () => {
    const r = heatLifecycle(bay.hotDir, [['--update', 'container_infra_prefix=https://registry.example.com/k8s/']]);
    const update = r.steps[1];
    expect(update.stack_status).not.toBe('UPDATE_COMPLETE');
    expect(JSON.stringify(update.errors ?? update)).toMatch(/without a scheme/);
  });

  test('Terraform: -var container_infra_prefix plans no change (servers keep their user data until kubebay roll); bad values are refused', () => {
    const work = tmpDir('kubebay-registries-tf-');
    expect(tfLifecycle('apply', bay.tfDir, work).status).toBe(0);
    const changed = tfLifecycle('plan', bay.tfDir, work, ['-var', `${BAY}_container_infra_prefix=registry.example.com/k8s/`, '-var', `${BAY}_insecure_registry_url=`]);
    console.log(`tf-lifecycle plan -var container_infra_prefix -var insecure_registry_url: ${planCounts(changed.plan)}`);
    expect(changed.status).toBe(0);
    expect([changed.plan.create, changed.plan.update, changed.plan.replace, changed.plan.delete]).toEqual([[], [], [], []]);
    for (const bad of [`${BAY}_container_infra_prefix=registry.example.com/k8s`, `${BAY}_insecure_registry_url=a, b`]) {
      const r = tfLifecycle('plan', bay.tfDir, work, ['-var', bad]);
      expect(r.status).not.toBe(0);
      expect(JSON.stringify(r.diagnostics)).toMatch(/must be empty or/);
    }
  });
});
