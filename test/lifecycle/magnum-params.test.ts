/**
 * Magnum's parameters through the lifecycle tools. `octavia_lb_algorithm`
 * changes the pools in place (nothing replaced). The cluster network's
 * parameters are fixed at synthesis: a
 * deploy-time value other than the synthesized one is refused before
 * anything changes (Heat: the parameter's allowed_values on update;
 * Terraform: the variable's validation at plan), with the message naming
 * the prop to change. Day 2 from main's outputs (the new parameters change
 * nothing on a running bay) is measured with scripts/outputs-golden.sh +
 * heat-update-to.py / tf-lifecycle (see the CHANGELOG).
 */
import { BAY, synthCheckout, lifeConfig, Checkout } from './bay';
import { describeLifecycle, heatLifecycle, planCounts, tfLifecycle } from './tools';
import { tmpDir } from '../tmp';

describeLifecycle('Magnum parameters: octavia_lb_algorithm in place, the cluster network fixed at synthesis', () => {
  let bay: Checkout;
  beforeAll(async () => {
    bay = await synthCheckout(lifeConfig([]));
  });

  test('HOT: a new octavia_lb_algorithm updates the pool in place', () => {
    const r = heatLifecycle(bay.hotDir, [['--update', 'octavia_lb_algorithm=SOURCE_IP']]);
    const update = r.steps[1];
    console.log(`heat-lifecycle octavia_lb_algorithm: ${update.stack_status}, updated ${update.updated}`);
    expect(update.stack_status).toBe('UPDATE_COMPLETE');
    expect([update.created, update.updated, update.replaced, update.deleted]).toEqual([[], [`${BAY}_api_pool`], [], []]);
  });

  test.each([
    ['flannel_backend', 'host-gw', 'flannelBackend'],
    ['pods_network_cidr', '10.200.0.0/16', 'podNetworkCidr'],
  ])('HOT: an update with another %s is refused, the stack untouched', (name, value, prop) => {
    const r = heatLifecycle(bay.hotDir, [['--update', `${name}=${value}`]]);
    const [create, update] = r.steps;
    expect(create.stack_status).toBe('CREATE_COMPLETE');
    expect(update.stack_status).toBe('CREATE_COMPLETE'); // the update never started
    expect([update.created, update.updated, update.replaced, update.deleted]).toEqual([[], [], [], []]);
    expect(update.errors?.join('\n')).toMatch(new RegExp(`Parameter '${name}' is invalid: ${name} is fixed at synthesis.*set ${prop} and synthesize again`));
  });

  test('Terraform: -var octavia_lb_algorithm updates the pool in place; network_driver or dns_service_ip other than the synthesized value fails the plan', () => {
    const work = tmpDir('kubebay-magnum-params-tf-');
    expect(tfLifecycle('apply', bay.tfDir, work).status).toBe(0);
    const algo = tfLifecycle('plan', bay.tfDir, work, ['-var', `${BAY}_octavia_lb_algorithm=SOURCE_IP`]);
    console.log(`tf-lifecycle plan -var octavia_lb_algorithm: ${planCounts(algo.plan)}`);
    expect([algo.plan.create, algo.plan.update, algo.plan.replace, algo.plan.delete]).toEqual([[], [`openstack_lb_pool_v2.${BAY}_api_pool`], [], []]);
    for (const [bad, prop] of [[`${BAY}_network_driver=calico`, 'networkDriver'], [`${BAY}_dns_service_ip=10.254.0.53`, 'dnsServiceIp']]) {
      const r = tfLifecycle('plan', bay.tfDir, work, ['-var', bad]);
      expect(r.status).not.toBe(0);
      expect(JSON.stringify(r.diagnostics)).toMatch(new RegExp(`fixed at synthesis.*set ${prop} and synthesize again`));
    }
  });
});
