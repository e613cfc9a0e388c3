/**
 * Magnum-grade options of the default groups and the load balancers, in both
 * formats: the parameter or property each one produces.
 */
import { hotBay, tfBay } from '../helpers';
import { asValidationError, thrownBy } from '../support/validation';

const OPTIONS = {
  availabilityZone: 'az-1',
  masterAffinityPolicy: 'anti-affinity',
  nodesAffinityPolicy: 'soft-anti-affinity',
  dockerVolumeType: 'ssd',
  masterImage: 'cp-image',
  minionImage: 'worker-image',
  masterLbFloatingIp: false,
  octaviaProvider: 'amphora',
  octaviaLbAlgorithm: 'LEAST_CONNECTIONS',
  // Off by default since issue 11; on here so both load balancers carry the Octavia options.
  etcdLoadBalancer: true,
} as const;

const hot = hotBay(OPTIONS);
const root = hot.docs.get('kubecluster.yaml');
const master = hot.docs.get('kubemaster.yaml').resources;
const minion = hot.docs.get('kubeminion.yaml').resources;
const tfr = tfBay(OPTIONS);
const tf = tfr.json;

describe('placement', () => {
  test('availabilityZone: a parameter for the servers and volumes of masters and minions', () => {
    expect(root.parameters.availability_zone.default).toBe('az-1');
    for (const r of [master.demo_master_server, minion.demo_minion_server, master.demo_master_volume, minion.demo_minion_volume]) {
      expect(r.properties.availability_zone).toEqual({ get_param: 'availability_zone' });
    }
    expect(tf.variable.demo_availability_zone.default).toBe('az-1');
    expect(tf.resource.openstack_compute_instance_v2.demo_minion_server.availability_zone).toBe('${var.demo_availability_zone}');
    expect(tf.resource.openstack_blockstorage_volume_v3.demo_master_volume.availability_zone).toBe('${var.demo_availability_zone}');
  });

  test('masterAffinityPolicy and nodesAffinityPolicy: server groups of the masters and of the minions', () => {
    expect(root.resources.demo_master_server_group.properties.policies).toEqual(['anti-affinity']);
    expect(root.resources.demo_minion_server_group.properties).toEqual({ name: 'demo-minions', policies: ['soft-anti-affinity'] });
    expect(minion.demo_minion_server.properties.scheduler_hints).toEqual({ group: { get_param: 'demo_minion_server_group' } });
    expect(tf.resource.openstack_compute_servergroup_v2.demo_minion_server_group.policies).toEqual(['soft-anti-affinity']);
    expect(tf.resource.openstack_compute_instance_v2.demo_minion_server.scheduler_hints).toEqual([{ group: '${openstack_compute_servergroup_v2.demo_minion_server_group.id}' }]);
  });

  test('by default the masters keep soft-anti-affinity and the minions have no server group', () => {
    const plain = hotBay({}).docs;
    expect(plain.get('kubecluster.yaml').resources.demo_master_server_group.properties.policies).toEqual(['soft-anti-affinity']);
    expect(plain.get('kubecluster.yaml').resources.demo_minion_server_group).toBeUndefined();
    expect(plain.get('kubeminion.yaml').resources.demo_minion_server.properties.scheduler_hints).toBeUndefined();
    expect(plain.get('kubecluster.yaml').parameters.availability_zone).toBeUndefined();
  });
});

describe('volumes and images', () => {
  test('dockerVolumeType: the volume type of every container volume', () => {
    expect(root.parameters.docker_volume_type.default).toBe('ssd');
    expect(minion.demo_minion_volume.properties.volume_type).toEqual({ get_param: 'docker_volume_type' });
    expect(tf.resource.openstack_blockstorage_volume_v3.demo_minion_volume.volume_type).toBe('${var.demo_docker_volume_type}');
  });

  test('masterImage and minionImage: separate images; node groups default to image', () => {
    expect(master.demo_master_server.properties.image).toEqual({ get_param: 'master_image' });
    expect(minion.demo_minion_server.properties.image).toEqual({ get_param: 'minion_image' });
    expect(tf.resource.openstack_compute_instance_v2.demo_master_server.image_name).toBe('${var.demo_master_image}');
    expect(tf.resource.openstack_compute_instance_v2.demo_minion_server.image_name).toBe('${var.demo_minion_image}');
    expect(hotBay({ ...OPTIONS, nodeGroups: [{ name: 'g' }] }).docs.get('kubecluster.yaml').parameters.nodegroup_g_image.default).toBe('ubuntu-24.04');
  });
});

describe('boot from volume', () => {
  test('bootVolumeSize: every server boots from a new volume made from its image (HOT: the image name; Terraform: the looked-up id)', () => {
    const h = hotBay({ bootVolumeSize: 40, nodeGroups: [{ name: 'g' }] });
    const server = h.docs.get('kubeminion.yaml').resources.demo_minion_server.properties;
    expect(server.image).toBeUndefined();
    expect(server.block_device_mapping_v2).toEqual([{ image: { get_param: 'server_image' }, boot_index: 0, volume_size: { get_param: 'boot_volume_size' }, delete_on_termination: true }]);
    expect(h.docs.get('kubecluster.yaml').parameters.boot_volume_size.default).toBe(40);
    expect(h.docs.get('kubenodegroup-g.yaml').resources.demo_nodegroup_g_server.properties.block_device_mapping_v2[0].image).toEqual({ get_param: 'nodegroup_g_image' });

    const t = tfBay({ bootVolumeSize: 40, bootVolumeType: 'ssd' }).json;
    const tfServer = t.resource.openstack_compute_instance_v2.demo_master_server;
    expect(tfServer.image_name).toBeUndefined();
    expect(tfServer.block_device).toEqual([{
      uuid: '${data.openstack_images_image_v2.demo_master_boot_image.id}', source_type: 'image', destination_type: 'volume',
      boot_index: 0, volume_size: '${var.demo_boot_volume_size}', volume_type: '${var.demo_boot_volume_type}', delete_on_termination: true,
    }]);
    expect(t.data.openstack_images_image_v2.demo_master_boot_image).toMatchObject({ name: '${var.demo_server_image}', most_recent: true });
  });

  test('without it: no boot volume, no image lookup, no parameter', () => {
    const t = tfBay({}).json;
    expect(t.data.openstack_images_image_v2).toBeUndefined();
    expect(t.resource.openstack_compute_instance_v2.demo_master_server.block_device).toBeUndefined();
    expect(t.variable.demo_boot_volume_size).toBeUndefined();
  });

  test('bootVolumeType is refused for HOT, naming the reason and the fix; bootVolumeType without a size too', () => {
    const err = asValidationError(thrownBy(() => hotBay({ bootVolumeSize: 40, bootVolumeType: 'ssd' })));
    expect(err.errors).toEqual([expect.stringMatching(/bootVolumeType: "ssd" cannot be expressed in HOT .*--target terraform/)]);
    const none = asValidationError(thrownBy(() => tfBay({ bootVolumeType: 'ssd' })));
    expect(none.errors).toEqual([expect.stringMatching(/bootVolumeType: "ssd" is set but bootVolumeSize is 0/)]);
  });
});

describe('load balancer', () => {
  test('masterLbFloatingIp: false: no floating IP on the API; api_address is the VIP', () => {
    expect(root.resources.demo_api_floating).toBeUndefined();
    expect(root.outputs.api_address.value).toEqual({ get_attr: ['demo_api_loadbalancer', 'vip_address'] });
    expect(tf.resource.openstack_networking_floatingip_v2?.demo_api_floating).toBeUndefined();
    expect(tf.output.demo_api_address.value).toBe('${openstack_lb_loadbalancer_v2.demo_api_loadbalancer.vip_address}');
    expect(tfr.bay.apiAddress).toMatch(/^\$\{TfToken\[/);
  });

  test('octaviaProvider and octaviaLbAlgorithm: on both load balancers and pools, the algorithm through its parameter', () => {
    for (const lb of ['api', 'etcd']) {
      expect(root.resources[`demo_${lb}_loadbalancer`].properties.provider).toBe('amphora');
      expect(root.resources[`demo_${lb}_pool`].properties.lb_algorithm).toEqual({ get_param: 'octavia_lb_algorithm' });
      expect(tf.resource.openstack_lb_loadbalancer_v2[`demo_${lb}_loadbalancer`].loadbalancer_provider).toBe('amphora');
      expect(tf.resource.openstack_lb_pool_v2[`demo_${lb}_pool`].lb_method).toBe('${var.demo_octavia_lb_algorithm}');
    }
    expect(root.parameters.octavia_lb_algorithm).toMatchObject({
      default: 'LEAST_CONNECTIONS', constraints: [{ allowed_values: ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT'] }],
    });
    expect(tf.variable.demo_octavia_lb_algorithm.validation[0].condition).toBe(
      '${contains(["ROUND_ROBIN","LEAST_CONNECTIONS","SOURCE_IP","SOURCE_IP_PORT"], var.demo_octavia_lb_algorithm)}',
    );
  });

  test('octavia_provider and nodes_affinity_policy: parameters fixed at synthesis (a change would replace the load balancers, the minions)', () => {
    expect(root.parameters.octavia_provider).toMatchObject({
      default: 'amphora', constraints: [{ allowed_values: ['amphora'], description: expect.stringMatching(/^octavia_provider is fixed at synthesis: the load balancers .*set octaviaProvider and synthesize again$/) }],
    });
    expect(root.parameters.nodes_affinity_policy.constraints[0].allowed_values).toEqual(['soft-anti-affinity']);
    expect(tf.variable.demo_nodes_affinity_policy.validation[0].condition).toBe('${contains(["soft-anti-affinity"], var.demo_nodes_affinity_policy)}');
  });

  test("the 'ovn' provider's algorithm parameter accepts SOURCE_IP_PORT only; no Octavia parameter without Octavia load balancers", () => {
    const ovn = hotBay({ octaviaProvider: 'ovn', octaviaLbAlgorithm: 'SOURCE_IP_PORT' }).docs.get('kubecluster.yaml').parameters;
    expect(ovn.octavia_lb_algorithm.constraints[0].allowed_values).toEqual(['SOURCE_IP_PORT']);
    const v1 = hotBay({ loadBalancerApi: 'lbaas-v1' }).docs.get('kubecluster.yaml');
    expect(v1.parameters).not.toHaveProperty('octavia_lb_algorithm');
    expect(v1.resources.demo_api_pool.properties.lb_method).toBe('ROUND_ROBIN');
    const plain = hotBay({}).docs.get('kubecluster.yaml').parameters;
    expect(plain.octavia_lb_algorithm.default).toBe('ROUND_ROBIN');
    expect(plain).not.toHaveProperty('octavia_provider');
    expect(plain).not.toHaveProperty('nodes_affinity_policy');
  });
});

describe('invalid options', () => {
  test.each([
    [{ masterAffinityPolicy: 'spread' }, /masterAffinityPolicy: "spread" is not a Nova server-group policy; use one of/],
    [{ nodesAffinityPolicy: 'none' }, /nodesAffinityPolicy: "none" is not a Nova server-group policy/],
    [{ availabilityZone: '' }, /availabilityZone: "" is not a non-empty string/],
    [{ masterLbFloatingIp: 'no' }, /masterLbFloatingIp: "no" is not a boolean/],
    [{ octaviaLbAlgorithm: 'RANDOM' }, /octaviaLbAlgorithm: "RANDOM" is not an Octavia pool algorithm/],
    [{ octaviaProvider: 'ovn' }, /octaviaLbAlgorithm: "ROUND_ROBIN" is not supported by the Octavia 'ovn' provider; set octaviaLbAlgorithm: 'SOURCE_IP_PORT'/],
    [{ loadBalancerApi: 'lbaas-v1', octaviaProvider: 'amphora' }, /octaviaProvider: "amphora" is an Octavia option, but loadBalancerApi is 'lbaas-v1'/],
  ])('%j is reported naming the prop and the fix', (props, message) => {
    const err = asValidationError(thrownBy(() => hotBay(props as object)));
    expect(err.errors).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});
