import { parse } from 'yaml';
import { BayNodeGroup } from '../../lib';
import { toYaml } from '../../lib/core/yaml';
import { hotBay, tfBay } from '../helpers';
import { hotUserData } from './userdata-files';

const GPU: BayNodeGroup = {
  name: 'gpu',
  count: 2,
  flavor: 'g1.large',
  image: 'ubuntu-cuda',
  dockerVolumeSize: 100,
  dockerVolumeType: 'ssd',
  availabilityZone: 'az-2',
  affinityPolicy: 'soft-anti-affinity',
  labels: { 'example.com/accelerator': 'nvidia', 'node.kubernetes.io/pool': 'gpu' },
  taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
  nodesToRemove: ['1'],
};
const EDGE: BayNodeGroup = { name: 'edge-small', dockerVolumeSize: 0 };

const hot = hotBay({ nodeGroups: [GPU, EDGE] });
const root = hot.docs.get('kubecluster.yaml');
const gpu = hot.docs.get('kubenodegroup-gpu.yaml');
const tf = tfBay({ nodeGroups: [GPU, EDGE] }).json;

/** The join.yaml a node's user data writes. */
function joinYaml(userData: unknown): any {
  const text = typeof userData === 'string' ? userData : hotUserData(userData).template;
  const cloudConfig = parse(String(text).replace(/^#cloud-config\n/, ''));
  return parse(cloudConfig.write_files.find((f: any) => f.path === '/etc/kubernetes/kubeadm/join.yaml').content.replace(/"@@[A-Z_]+@@(:@@[A-Z_]+@@)?"/g, 'x'));
}

describe('node groups: HOT', () => {
  test('each group is a ResourceGroup of its own nested template, counted and pruned by its own parameters', () => {
    const group = root.resources.demo_kube_nodegroup_gpu;
    expect(group.type).toBe('OS::Heat::ResourceGroup');
    expect(group.properties.count).toEqual({ get_param: 'nodegroup_gpu_count' });
    expect(group.properties.resource_def.type).toBe('kubenodegroup-gpu.yaml');
    expect(group.properties.removal_policies).toEqual([{ resource_list: { get_param: 'nodegroup_gpu_to_remove' } }]);
    // Created in parallel with the masters, as the minions (their nodes retry kubeadm join).
    expect(group.depends_on ?? []).not.toContain('demo_kube_masters');
    expect(group.depends_on).toEqual(expect.arrayContaining(root.resources.demo_kube_minions.depends_on));
    expect(root.parameters.nodegroup_gpu_count.default).toBe(2);
    expect(root.parameters.nodegroup_gpu_to_remove.default).toEqual(['1']);
    expect(root.parameters.nodegroup_edge_small_count.default).toBe(1);
    expect(root.resources.demo_kube_nodegroup_edge_small.properties.resource_def.type).toBe('kubenodegroup-edge-small.yaml');
  });

  test("a group's servers take its flavor, image, zone and server group; its volumes its type and zone", () => {
    const server = gpu.resources.demo_nodegroup_gpu_server.properties;
    expect(server.flavor).toEqual({ get_param: 'nodegroup_gpu_flavor' });
    expect(server.image).toEqual({ get_param: 'nodegroup_gpu_image' });
    expect(server.availability_zone).toBe('az-2');
    expect(server.scheduler_hints).toEqual({ group: { get_param: 'demo_nodegroup_gpu_server_group' } });
    expect(server.name.list_join[1]).toEqual(['demo', 'gpu', { get_param: 'node_index' }]);
    expect(root.resources.demo_nodegroup_gpu_server_group.properties).toEqual({ name: 'demo-gpu', policies: ['soft-anti-affinity'] });
    expect(root.parameters.nodegroup_gpu_flavor.default).toBe('g1.large');
    const volume = gpu.resources.demo_nodegroup_gpu_volume;
    expect(volume.properties).toMatchObject({ size: { get_param: 'nodegroup_gpu_docker_volume_size' }, volume_type: 'ssd', availability_zone: 'az-2' });
    expect(volume.condition).toBe('nodegroup_gpu_has_docker_volume');
    // A group without a volume, zone or policy gets none; it inherits the bay's minion flavor.
    const edge = hot.docs.get('kubenodegroup-edge-small.yaml');
    expect(edge.resources.demo_nodegroup_edge_small_volume).toBeUndefined();
    expect(edge.resources.demo_nodegroup_edge_small_server.properties.availability_zone).toBeUndefined();
    expect(root.parameters.nodegroup_edge_small_flavor.default).toBe('m1.medium');
  });

  test('labels reach the kubelet (node-labels) and taints the node registration, in the group only', () => {
    const join = joinYaml(gpu.resources.demo_nodegroup_gpu_server.properties.user_data);
    expect(join.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'node-labels', value: 'example.com/accelerator=nvidia,node.kubernetes.io/pool=gpu' }]);
    expect(join.nodeRegistration.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    const minion = joinYaml(hot.docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data);
    expect(minion.nodeRegistration).toBeUndefined();
  });

  test('outputs per group', () => {
    expect(root.outputs.nodegroup_gpu_nodes.value).toEqual({ get_attr: ['demo_kube_nodegroup_gpu', 'demo_nodegroup_gpu_floating_address'] });
    expect(root.outputs.nodegroup_gpu_nodes_private.value).toEqual({ get_attr: ['demo_kube_nodegroup_gpu', 'demo_nodegroup_gpu_port_privateip'] });
    expect(root.outputs.nodegroup_gpu_nodes_by_key.value).toEqual({ get_attr: ['demo_kube_nodegroup_gpu', 'attributes', 'demo_nodegroup_gpu_port_privateip'] });
  });

  test('adding groups leaves every template, parameter and output of the bay without them as it was', () => {
    const plain = hotBay({});
    expect(toYaml(hotBay({ nodeGroups: [] }).docs.get('kubecluster.yaml'))).toBe(toYaml(plain.docs.get('kubecluster.yaml')));
    const plainRoot = plain.docs.get('kubecluster.yaml');
    for (const section of ['parameters', 'resources', 'outputs']) {
      for (const [name, body] of Object.entries(plainRoot[section])) expect([name, root[section][name]]).toEqual([name, body]);
    }
    expect(hot.docs.get('kubeminion.yaml')).toEqual(plain.docs.get('kubeminion.yaml'));
    expect(hot.docs.get('kubemaster.yaml')).toEqual(plain.docs.get('kubemaster.yaml'));
  });
});

describe('node groups: Terraform', () => {
  test('each group is a for_each over its own keys, with its own variables', () => {
    expect(tf.locals.demo_kube_nodegroup_gpu_keys).toContain('var.demo_nodegroup_gpu_count');
    expect(tf.locals.demo_kube_nodegroup_gpu_keys).toContain('var.demo_nodegroup_gpu_to_remove');
    const server = tf.resource.openstack_compute_instance_v2.demo_nodegroup_gpu_server;
    expect(server.for_each).toBe('${toset(local.demo_kube_nodegroup_gpu_keys)}');
    expect(server).toMatchObject({ flavor_name: '${var.demo_nodegroup_gpu_flavor}', image_name: '${var.demo_nodegroup_gpu_image}', availability_zone: 'az-2' });
    expect(server.scheduler_hints).toEqual([{ group: '${openstack_compute_servergroup_v2.demo_nodegroup_gpu_server_group.id}' }]);
    expect(tf.resource.openstack_compute_servergroup_v2.demo_nodegroup_gpu_server_group.policies).toEqual(['soft-anti-affinity']);
    expect(tf.resource.openstack_blockstorage_volume_v3.demo_nodegroup_gpu_volume).toMatchObject({ volume_type: 'ssd', availability_zone: 'az-2' });
    expect(tf.variable.demo_nodegroup_gpu_count.default).toBe(2);
    expect(tf.variable.demo_nodegroup_gpu_to_remove.default).toEqual(['1']);
    expect(server.depends_on ?? []).not.toContain('openstack_compute_instance_v2.demo_master_server');
    expect(server.depends_on).toEqual(tf.resource.openstack_compute_instance_v2.demo_minion_server.depends_on);
  });

  test('outputs per group, and the bay without groups unchanged', () => {
    expect(Object.keys(tf.output)).toEqual(expect.arrayContaining(['demo_nodegroup_gpu_nodes', 'demo_nodegroup_gpu_nodes_private', 'demo_nodegroup_gpu_nodes_by_key', 'demo_nodegroup_edge_small_nodes']));
    const plain = tfBay({}).json;
    for (const [type, byName] of Object.entries(plain.resource as Record<string, Record<string, unknown>>)) {
      for (const [name, body] of Object.entries(byName)) expect([name, tf.resource[type][name]]).toEqual([name, body]);
    }
    for (const [name, body] of Object.entries(plain.output)) expect([name, tf.output[name]]).toEqual([name, body]);
  });
});
