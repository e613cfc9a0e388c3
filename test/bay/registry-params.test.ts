/**
 * container_infra_prefix and insecure_registry_url (Magnum's names) as
 * deploy-time parameters of every bay (issue 14), in both formats: their
 * defaults (the props) and constraints, and each node's user data chosen
 * by a condition — the rendering with the props while both hold their
 * defaults (the text the bay always had), else the deploy-time rendering
 * whose script reads them from bootstrap.env.
 */
import { hotBay, tfBay } from '../helpers';
import { hotCloudConfig, hotUserData } from './userdata-files';
import { INSECURE_REGISTRIES_PATTERN } from '../../lib/bay/egress';

const PREFIX = 'registry.example.internal:5000/k8s/';
const props = { containerInfraPrefix: PREFIX, insecureRegistries: ['registry.example.internal:5000', '10.0.0.5:5000'], registryMirrors: { 'docker.io': 'https://mirror.example.internal' } };
const ENV = '/etc/kubebay/bootstrap.env';
const SCRIPT = '/usr/local/sbin/kubebay-bootstrap';

describe('registry parameters', () => {
  const hot = hotBay(props);
  const root = hot.docs.get('kubecluster.yaml');
  const masterDoc = hot.docs.get('kubemaster.yaml');
  const minionDoc = hot.docs.get('kubeminion.yaml');
  const tf = tfBay(props).json;
  const pattern = (name: string) => new RegExp(`^(?:${root.parameters[name].constraints[0].allowed_pattern})$`);

  test('HOT: both parameters, defaults from the props (the list comma-separated); the node templates default them too', () => {
    expect(root.parameters.container_infra_prefix).toMatchObject({ type: 'string', default: PREFIX });
    expect(root.parameters.insecure_registry_url).toMatchObject({ type: 'string', default: 'registry.example.internal:5000,10.0.0.5:5000' });
    expect(root.parameters.insecure_registry_url.description).toMatch(/comma-separated host\[:port\] entries, empty = none/);
    for (const doc of [masterDoc, minionDoc]) {
      expect(doc.parameters.container_infra_prefix).toEqual({ type: 'string', default: PREFIX });
      expect(doc.parameters.insecure_registry_url).toEqual({ type: 'string', default: 'registry.example.internal:5000,10.0.0.5:5000' });
    }
  });

  test('a bay without the props has them too, empty (the upstream registries, no insecure registry)', () => {
    const plain = hotBay().docs.get('kubecluster.yaml').parameters;
    expect([plain.container_infra_prefix.default, plain.insecure_registry_url.default]).toEqual(['', '']);
    const vars = tfBay().json.variable;
    expect([vars.demo_container_infra_prefix.default, vars.demo_insecure_registry_url.default]).toEqual(['', '']);
  });

  test.each([
    ['', true],
    [PREFIX, true],
    ['registry.example.com/', true],
    ['registry.example.com/k8s', false],
    ['https://registry.example.com/k8s/', false],
    ["registry.example.com/k8s'/", false],
    ['Registry.example.com/', false],
  ])('the container_infra_prefix constraint on %j: %s (as the prop)', (value, ok) => {
    expect(pattern('container_infra_prefix').test(value)).toBe(ok);
  });

  test.each([
    ['', true],
    ['registry.example.internal:5000,10.0.0.5:5000', true],
    ['registry.example.internal', true],
    ['a, b', false],
    ['a,', false],
    ['http://registry:5000', false],
  ])('the insecure_registry_url constraint on %j: %s', (value, ok) => {
    expect(pattern('insecure_registry_url').test(value)).toBe(ok);
    expect(new RegExp(`^(?:${INSECURE_REGISTRIES_PATTERN})$`).test(value)).toBe(ok);
  });

  test('HOT: every node chooses by the registries_default condition (both parameters at their defaults)', () => {
    for (const doc of [masterDoc, minionDoc]) {
      expect(doc.conditions.registries_default).toEqual({
        and: [
          { equals: [{ get_param: 'container_infra_prefix' }, PREFIX] },
          { equals: [{ get_param: 'insecure_registry_url' }, 'registry.example.internal:5000,10.0.0.5:5000'] },
        ],
      });
    }
    const masters = masterDoc.resources.demo_master_server.properties.user_data;
    expect(masters.if[0]).toBe('is_first_master');
    expect([masters.if[1].if[0], masters.if[2].if[0], minionDoc.resources.demo_minion_server.properties.user_data.if[0]]).toEqual(['registries_default', 'registries_default', 'registries_default']);
  });

  test('HOT: the defaults branch is the rendering with the props (literal prefix and hosts.toml), which reads no registry parameter', () => {
    const first = hotCloudConfig(masterDoc.resources.demo_master_server.properties.user_data);
    expect(first.files.get('/etc/kubernetes/kubeadm/init.yaml')).toContain('imageRepository: registry.example.internal:5000/k8s\n');
    expect(first.files.get('/etc/containerd/certs.d/10.0.0.5:5000/hosts.toml')).toContain('skip_verify = true');
    expect(first.files.get(ENV)).not.toMatch(/CONTAINER_INFRA_PREFIX|INSECURE_REGISTRY_URL/);
    expect(Object.keys(hotUserData(masterDoc.resources.demo_master_server.properties.user_data).params)).not.toContain('@@CONTAINER_INFRA_PREFIX@@');
  });

  test('HOT: the deploy-time branch reads both parameters through bootstrap.env; only the mirrors stay files', () => {
    const ud = masterDoc.resources.demo_master_server.properties.user_data;
    const first = hotCloudConfig(ud, true, true);
    expect(hotUserData(ud, true, true).params).toMatchObject({
      '@@CONTAINER_INFRA_PREFIX@@': { get_param: 'container_infra_prefix' },
      '@@INSECURE_REGISTRY_URL@@': { get_param: 'insecure_registry_url' },
    });
    expect(first.files.get(ENV)).toContain("KUBEBAY_CONTAINER_INFRA_PREFIX='@@CONTAINER_INFRA_PREFIX@@'\nKUBEBAY_INSECURE_REGISTRY_URL='@@INSECURE_REGISTRY_URL@@'\n");
    expect(first.files.get('/etc/kubernetes/kubeadm/init.yaml')).not.toContain('imageRepository');
    expect([...first.files.keys()].filter((f) => f.includes('certs.d'))).toEqual(['/etc/containerd/certs.d/docker.io/hosts.toml']);
    expect(first.files.get(SCRIPT)).not.toContain(PREFIX);
    const minion = hotCloudConfig(minionDoc.resources.demo_minion_server.properties.user_data, true, true);
    expect(minion.files.get(SCRIPT)).toContain('pause=$img_prefix$(basename "$pause")');
  });

  test('Terraform: the variables with validations; the user data a conditional on both at their defaults, the deploy-time rendering reading them', () => {
    expect(tf.variable.demo_container_infra_prefix).toMatchObject({ type: 'string', default: PREFIX });
    expect(tf.variable.demo_insecure_registry_url.validation[0].condition).toContain('can(regex(');
    const test = `((var.demo_container_infra_prefix == "${PREFIX}") && (var.demo_insecure_registry_url == "registry.example.internal:5000,10.0.0.5:5000")) ? `;
    const servers = tf.resource.openstack_compute_instance_v2;
    expect(servers.demo_minion_server.user_data.startsWith(`\${(${test}`)).toBe(true);
    expect(servers.demo_master_server.user_data).toContain(`((each.key == "0") ? (${test}`);
    expect(servers.demo_minion_server.user_data).toContain("KUBEBAY_CONTAINER_INFRA_PREFIX='${var.demo_container_infra_prefix}'");
  });
});
