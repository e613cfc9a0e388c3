/**
 * Magnum labels set the options by Magnum's names; unknown labels are errors,
 * Magnum labels kubebay does not support are warnings saying why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectWarnings } from '../../lib';
import { SUPPORTED_LABELS, UNSUPPORTED_LABELS } from '../../lib/bay/labels';
import { hotBay, tfBay } from '../helpers';
import { asValidationError, thrownBy } from '../support/validation';

const LABELS = {
  kube_tag: 'v1.32.1',
  availability_zone: 'az-1',
  nodes_affinity_policy: 'soft-anti-affinity',
  docker_volume_type: 'ssd',
  master_lb_floating_ip_enabled: 'false',
  octavia_provider: 'amphora',
  octavia_lb_algorithm: 'SOURCE_IP',
  master_lb_allowed_cidrs: '203.0.113.0/24, 198.51.100.0/24',
  kubelet_options: '--max-pods=200 --v=2',
  kubeapi_options: '--audit-log-maxage=7',
};

describe('Magnum labels', () => {
  test('each label sets its prop, as if the prop were given', () => {
    const { bay } = hotBay({ labels: LABELS });
    expect(bay.config).toMatchObject({
      kubernetesVersion: 'v1.32.1',
      availabilityZone: 'az-1',
      nodesAffinityPolicy: 'soft-anti-affinity',
      dockerVolumeType: 'ssd',
      masterLbFloatingIp: false,
      octaviaProvider: 'amphora',
      octaviaLbAlgorithm: 'SOURCE_IP',
      apiAllowedCidrs: ['203.0.113.0/24', '198.51.100.0/24'],
      kubeletExtraArgs: { 'max-pods': '200', v: '2' },
      apiServerExtraArgs: { 'audit-log-maxage': '7' },
    });
  });

  test('in both formats: the parameters and properties of the props they set', () => {
    const hot = hotBay({ labels: LABELS }).docs.get('kubecluster.yaml');
    expect(hot.parameters.kubernetes_version.default).toBe('v1.32.1');
    expect(hot.parameters.availability_zone.default).toBe('az-1');
    expect(hot.resources.demo_api_floating).toBeUndefined();
    expect(hot.resources.demo_api_pool.properties.lb_algorithm).toEqual({ get_param: 'octavia_lb_algorithm' });
    expect(hot.parameters.octavia_lb_algorithm.default).toBe('SOURCE_IP');
    const tf = tfBay({ labels: LABELS }).json;
    expect(tf.variable.demo_kubernetes_version.default).toBe('v1.32.1');
    expect(tf.variable.demo_docker_volume_type.default).toBe('ssd');
    expect(tf.resource.openstack_lb_loadbalancer_v2.demo_api_loadbalancer.loadbalancer_provider).toBe('amphora');
    expect(tf.resource.openstack_compute_servergroup_v2.demo_minion_server_group.policies).toEqual(['soft-anti-affinity']);
  });

  test('labels given as YAML scalars (booleans, numbers) are read as their text', () => {
    expect(hotBay({ labels: { master_lb_floating_ip_enabled: false } }).bay.config.masterLbFloatingIp).toBe(false);
  });

  test('cloud_provider_enabled / cinder_csi_enabled set the cloud-integration props', () => {
    const err = asValidationError(thrownBy(() => hotBay({ labels: { cloud_provider_enabled: 'true' } })));
    expect(err.errors).toEqual([expect.stringMatching(/cloudControllerManager: true needs OpenStack credentials/)]);
    expect(hotBay({ labels: { cinder_csi_enabled: 'false' } }).bay.config.cinderCsi).toBe(false);
  });

  test('a Magnum label kubebay does not support is a warning saying why', () => {
    const { bay } = hotBay({ labels: { ingress_controller: 'octavia', kubeproxy_options: '--v=2' } });
    const messages = collectWarnings(bay).map((w) => w.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[kubebay:label-ignored\] label ingress_controller is ignored: /),
      expect.stringMatching(/label kubeproxy_options is ignored: .*set kubeProxyConfig/),
    ]));
  });

  test.each([
    [{ kube_tga: 'v1.31' }, /labels\.kube_tga: "v1\.31" is not a Magnum label kubebay knows; did you mean kube_tag\?/],
    [{ frobnicate: 'yes' }, /labels\.frobnicate: "yes" is not a Magnum label kubebay knows; remove it/],
    [{ master_lb_floating_ip_enabled: 'yes' }, /labels\.master_lb_floating_ip_enabled: "yes" is not 'true' or 'false'/],
    [{ kubelet_options: 'max-pods=3' }, /labels\.kubelet_options: "max-pods=3" has 'max-pods=3', not --flag=value/],
    [{ kube_tag: 'v1.20.1' }, /kubernetesVersion: "v1\.20\.1" is not a supported Kubernetes version/],
  ])('%j is reported naming the label and the fix', (labels, message) => {
    const err = asValidationError(thrownBy(() => hotBay({ labels } as object)));
    expect(err.errors).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test('a label that disagrees with its prop given explicitly is an error', () => {
    const err = asValidationError(thrownBy(() => hotBay({ kubernetesVersion: 'v1.31', labels: { kube_tag: 'v1.32.1' } })));
    expect(err.errors).toEqual(expect.arrayContaining([expect.stringMatching(/labels\.kube_tag: "v1\.32\.1" disagrees with kubernetesVersion "v1\.31"; set one of them/)]));
  });
});

test('the README table names every label kubebay knows, and the prop of each supported one', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Magnum options'), readme.indexOf('\n## ', readme.indexOf('## Magnum options') + 3));
  const rows = section.split('\n').filter((l) => l.startsWith('| '));
  for (const [label, { prop }] of Object.entries(SUPPORTED_LABELS)) {
    expect({ label, row: rows.some((r) => r.includes(`\`${label}\``) && r.includes(`\`${prop}\``)) }).toEqual({ label, row: true });
  }
  for (const label of Object.keys(UNSUPPORTED_LABELS)) {
    expect({ label, row: rows.some((r) => r.includes(`\`${label}\``) && r.includes('not supported')) }).toEqual({ label, row: true });
  }
});
