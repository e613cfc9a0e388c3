import { hotBay, hotResources, tfBay, tfResources } from '../helpers';

const tf = tfBay();
const hot = hotBay();
const hotRoot = hot.docs.get('kubecluster.yaml');
const hotMaster = hot.docs.get('kubemaster.yaml');
const hotMinion = hot.docs.get('kubeminion.yaml');
const tfOf = (type: string) => Object.entries(tf.json.resource[type] ?? {}) as [string, any][];
const hotRules = () => Object.keys(hotRoot.resources).filter((n) => hotRoot.resources[n].type === 'OS::Neutron::SecurityGroupRule');

describe('network', () => {
  test('a network, a subnet with the CIDR and DNS parameters, a router with an external gateway and its interface', () => {
    // THEN (HOT)
    expect(hotRoot.resources.demo_fixed_network.type).toBe('OS::Neutron::Net');
    expect(hotRoot.resources.demo_fixed_subnet.properties).toMatchObject({
      cidr: { get_param: 'fixed_network_cidr' },
      dns_nameservers: { get_param: 'dns_nameserver' },
      network: { get_resource: 'demo_fixed_network' },
    });
    expect(hotRoot.resources.demo_extrouter.properties.external_gateway_info).toEqual({ network: { get_param: 'external_network' } });
    expect(hotRoot.resources.demo_extrouter_inside.properties).toEqual({
      router: { get_resource: 'demo_extrouter' },
      subnet: { get_resource: 'demo_fixed_subnet' },
    });
    // THEN (Terraform)
    const subnet = tf.json.resource.openstack_networking_subnet_v2.demo_fixed_subnet;
    expect(subnet).toMatchObject({
      cidr: '${var.demo_fixed_network_cidr}',
      dns_nameservers: '${var.demo_dns_nameserver}',
      network_id: '${openstack_networking_network_v2.demo_fixed_network.id}',
    });
    expect(tf.json.resource.openstack_networking_router_v2.demo_extrouter.external_network_id).toBe(
      '${data.openstack_networking_network_v2.demo_external_net.id}',
    );
    expect(tf.json.data.openstack_networking_network_v2.demo_external_net.name).toBe('${var.demo_external_network}');
  });

  test('an existing network replaces network, subnet and router', () => {
    // WHEN
    const t = tfBay({ name: 'byo', existingNetwork: { networkId: 'net-1', subnetId: 'sub-1' } });
    // THEN
    expect(t.json.resource.openstack_networking_network_v2).toBeUndefined();
    expect(t.json.resource.openstack_networking_router_v2).toBeUndefined();
    expect(t.json.resource.openstack_networking_port_v2.byo_minion_port.network_id).toBe('net-1');
  });
});

describe('security groups', () => {
  test('base, master and minion groups; every rule a separate resource in both formats', () => {
    const hotRules = hotResources(hot.docs).filter(([, , r]) => r.type === 'OS::Neutron::SecurityGroupRule');
    expect(hotRules.length).toBeGreaterThan(5);
    expect(tfOf('openstack_networking_secgroup_rule_v2').map(([n]) => n).sort()).toEqual(hotRules.map(([, n]) => n).sort());
    expect(tfOf('openstack_networking_secgroup_v2').map(([n]) => n).sort()).toEqual([
      'demo_secgroup_base',
      'demo_secgroup_master',
      'demo_secgroup_minion',
    ]);
  });

  test('flannel VXLAN is open only among cluster nodes, as a remote-group rule', () => {
    const rule = hotRoot.resources['demo_rule_base_from_base_udp_8472'];
    expect(rule.properties).toMatchObject({ protocol: 'udp', port_range_min: 8472, port_range_max: 8472, remote_group: { get_resource: 'demo_secgroup_base' } });
    expect(rule.properties.remote_ip_prefix).toBeUndefined();
    expect(tf.json.resource.openstack_networking_secgroup_rule_v2.demo_rule_base_from_base_udp_8472).toMatchObject({
      protocol: 'udp',
      port_range_min: 8472,
      remote_group_id: '${openstack_networking_secgroup_v2.demo_secgroup_base.id}',
    });
  });

  test('the API rules (bay subnet, apiAllowedCidrs) take their port from the kubernetes_port parameter', () => {
    const names = ['demo_rule_master_from_10_0_0_0_24_tcp_api', 'demo_rule_master_from_0_0_0_0_0_tcp_api'];
    expect(hotRules().filter((n) => n.endsWith('_tcp_api')).sort()).toEqual([...names].sort());
    for (const name of names) {
      expect(hotRoot.resources[name].properties).toMatchObject({
        protocol: 'tcp',
        port_range_min: { get_param: 'kubernetes_port' },
        port_range_max: { get_param: 'kubernetes_port' },
      });
      expect(tf.json.resource.openstack_networking_secgroup_rule_v2[name]).toMatchObject({
        protocol: 'tcp',
        port_range_min: '${var.demo_kubernetes_port}',
        port_range_max: '${var.demo_kubernetes_port}',
      });
    }
    expect(hotRoot.resources.demo_rule_master_from_0_0_0_0_0_tcp_api.properties.remote_ip_prefix).toBe('0.0.0.0/0');
    // No rule keeps the synth-time port as a literal.
    expect(tfOf('openstack_networking_secgroup_rule_v2').filter(([, r]) => r.port_range_min === 6443)).toEqual([]);
  });

  test('no rule opens 8080 or 7080, and SSH only from sshAllowedCidrs', () => {
    const rules = tfOf('openstack_networking_secgroup_rule_v2').map(([, r]) => r);
    expect(rules.filter((r) => r.port_range_min <= 8080 && r.port_range_max >= 7080)).toEqual([]);
    expect(rules.filter((r) => r.port_range_min === 22).map((r) => r.remote_ip_prefix)).toEqual(['198.51.100.0/24']);
  });
});

describe('load balancers', () => {
  test('API: Octavia load balancer, listener on the API port, round-robin pool, TCP monitor 5/5/5, floating IP on the VIP', () => {
    expect(hotRoot.resources.demo_api_listener.properties).toMatchObject({ protocol_port: { get_param: 'kubernetes_port' }, protocol: { get_param: 'loadbalancing_protocol' } });
    expect(hotRoot.resources.demo_api_pool.properties.lb_algorithm).toBe('ROUND_ROBIN');
    expect(hotRoot.resources.demo_api_monitor.properties).toMatchObject({ type: 'TCP', delay: 5, timeout: 5, max_retries: 5 });
    expect(hotRoot.resources.demo_api_floating.properties.port_id).toEqual({ get_attr: ['demo_api_loadbalancer', 'vip_port_id'] });
    expect(tf.json.resource.openstack_lb_monitor_v2.demo_api_monitor).toMatchObject({ type: 'TCP', delay: 5, timeout: 5, max_retries: 5 });
    expect(tf.json.resource.openstack_lb_listener_v2.demo_api_listener.protocol_port).toBe('${var.demo_kubernetes_port}');
    expect(tf.json.resource.openstack_networking_floatingip_v2.demo_api_floating.port_id).toBe(
      '${openstack_lb_loadbalancer_v2.demo_api_loadbalancer.vip_port_id}',
    );
  });

  test('etcd: no load balancer by default (nothing uses it); etcdLoadBalancer adds an internal one on 2379 (no floating IP)', () => {
    expect(tf.json.resource.openstack_lb_listener_v2.demo_etcd_listener).toBeUndefined();
    expect(tf.json.resource.openstack_lb_member_v2.demo_master_etcd_member).toBeUndefined();
    expect(hotRoot.resources.demo_etcd_loadbalancer).toBeUndefined();
    const on = tfBay({ name: 'withetcd', etcdLoadBalancer: true });
    expect(on.json.resource.openstack_lb_listener_v2.withetcd_etcd_listener).toMatchObject({ protocol_port: 2379, protocol: 'TCP' });
    expect(on.json.resource.openstack_lb_member_v2.withetcd_master_etcd_member).toBeDefined();
    expect(on.json.resource.openstack_networking_floatingip_v2.withetcd_etcd_floating).toBeUndefined();
  });

  test('API listener: client and member data timeouts of one hour (watches, logs -f, exec outlive Octavia\'s 50 s) in Terraform; Heat has no such property', () => {
    expect(tf.json.resource.openstack_lb_listener_v2.demo_api_listener).toMatchObject({ timeout_client_data: 3_600_000, timeout_member_data: 3_600_000 });
    // OS::Octavia::Listener rejects unknown properties (validate-hot): README gives the post-create command.
    expect(hotRoot.resources.demo_api_listener.properties.timeout_client_data).toBeUndefined();
  });

  test("LBaaS v1 is written in HOT as Magnum Mitaka did, and the Terraform target refuses it naming loadBalancerApi", () => {
    const v1 = hotBay({ name: 'mitaka', loadBalancerApi: 'lbaas-v1' });
    const root = v1.docs.get('kubecluster.yaml');
    expect(root.resources.mitaka_api_pool.type).toBe('OS::Neutron::Pool');
    expect(root.resources.mitaka_api_pool.properties).toMatchObject({ lb_method: 'ROUND_ROBIN', vip: { protocol_port: { get_param: 'kubernetes_port' } } });
    expect(root.resources.mitaka_api_monitor.type).toBe('OS::Neutron::HealthMonitor');
    expect(v1.docs.get('kubemaster.yaml').resources.mitaka_master_api_member.type).toBe('OS::Neutron::PoolMember');
    expect(() => tfBay({ name: 'mitaka2', loadBalancerApi: 'lbaas-v1' })).toThrow(/no Neutron LBaaS v1.*loadBalancerApi: 'octavia'/s);
  });
});

describe('masters', () => {
  test('a resource group of number_of_masters nested kubemaster.yaml stacks, after the router interface', () => {
    const group = hotRoot.resources.demo_kube_masters;
    expect(group.type).toBe('OS::Heat::ResourceGroup');
    expect(group.properties.count).toEqual({ get_param: 'number_of_masters' });
    expect(group.properties.resource_def.type).toBe('kubemaster.yaml');
    expect(group.depends_on).toContain('demo_extrouter_inside');
    expect(tf.json.locals.demo_kube_masters_keys).toBe('${[for i in range(var.demo_number_of_masters) : tostring(i)]}');
  });

  test('each master: port with base+master groups, server with image/flavor/keypair/user data, floating IP, volume, API member', () => {
    const r = hotMaster.resources;
    expect(r.demo_master_port.properties.security_groups).toEqual([{ get_param: 'demo_secgroup_base' }, { get_param: 'demo_secgroup_master' }]);
    expect(r.demo_master_server.properties).toMatchObject({
      image: { get_param: 'server_image' },
      flavor: { get_param: 'master_flavor' },
      key_name: { get_param: 'ssh_key_name' },
      user_data_format: 'RAW',
      networks: [{ port: { get_resource: 'demo_master_port' } }],
    });
    expect(r.demo_master_floating.type).toBe('OS::Neutron::FloatingIP');
    expect(r.demo_master_volume).toMatchObject({ type: 'OS::Cinder::Volume', condition: 'has_docker_volume' });
    expect(r.demo_master_volume_attach.properties).toEqual({ instance_uuid: { get_resource: 'demo_master_server' }, volume_id: { get_resource: 'demo_master_volume' } });
    expect(r.demo_master_api_member.properties.address).toEqual({ get_attr: ['demo_master_port', 'fixed_ips', 0, 'ip_address'] });
    const server = tf.json.resource.openstack_compute_instance_v2.demo_master_server;
    expect(server).toMatchObject({ for_each: '${toset(local.demo_kube_masters_keys)}', flavor_name: '${var.demo_master_flavor}', key_pair: '${var.demo_ssh_key_name}' });
    expect(tf.json.resource.openstack_lb_member_v2.demo_master_api_member.address).toBe('${openstack_networking_port_v2.demo_master_port[each.key].all_fixed_ips[0]}');
  });

  test('masters are spread by a soft anti-affinity server group', () => {
    expect(hotRoot.resources.demo_master_server_group.properties.policies).toEqual(['soft-anti-affinity']);
    expect(tf.json.resource.openstack_compute_instance_v2.demo_master_server.scheduler_hints[0].group).toBe(
      '${openstack_compute_servergroup_v2.demo_master_server_group.id}',
    );
  });

  test('the first master gets the init user data, the others the join user data', () => {
    const ud = hotMaster.resources.demo_master_server.properties.user_data;
    expect(ud.if[0]).toBe('is_first_master');
    expect(hotMaster.conditions.is_first_master).toEqual({ equals: [{ get_param: 'node_index' }, '0'] });
    expect(JSON.stringify(ud.if[1])).toContain('kubeadm');
    expect(tf.json.resource.openstack_compute_instance_v2.demo_master_server.user_data).toMatch(/^\$\{\(\(each\.key == "0"\) \? /);
  });
});

describe('the kubernetes_port and kubernetes_version parameters reach the user data', () => {
  test('HOT: the nested templates take both parameters and str_replace the placeholders with them', () => {
    const ud = hotMaster.resources.demo_master_server.properties.user_data;
    const [, first, other] = ud.if;
    for (const branch of [first, other, hotMinion.resources.demo_minion_server.properties.user_data]) {
      expect(branch.str_replace.params['@@KUBERNETES_PORT@@']).toEqual({ get_param: 'kubernetes_port' });
      expect(branch.str_replace.template).not.toMatch(/:6443\b|bindPort: 6443/);
    }
    expect(first.str_replace.params['@@KUBERNETES_VERSION@@']).toEqual({ get_param: 'kubernetes_version' });
    expect(first.str_replace.template).toContain('bindPort: @@KUBERNETES_PORT@@\n');
    expect(first.str_replace.template).toContain("KUBEBAY_KUBERNETES_PORT='@@KUBERNETES_PORT@@'\n"); // the script's environment file
    for (const [doc, group] of [[hotMaster, 'demo_kube_masters'], [hotMinion, 'demo_kube_minions']] as const) {
      expect(doc.parameters.kubernetes_port).toEqual({ type: 'number' });
      expect(doc.parameters.kubernetes_version).toEqual({ type: 'string' });
      expect(hotRoot.resources[group].properties.resource_def.properties).toMatchObject({
        kubernetes_port: { get_param: 'kubernetes_port' },
        kubernetes_version: { get_param: 'kubernetes_version' },
      });
    }
  });

  test('Terraform: the user data interpolates var.<bay>_kubernetes_port and var.<bay>_kubernetes_version', () => {
    const master = tf.json.resource.openstack_compute_instance_v2.demo_master_server.user_data as string;
    expect(master).toContain('bindPort: ${var.demo_kubernetes_port}\\n');
    expect(master).toContain("KUBEBAY_KUBERNETES_PORT='${var.demo_kubernetes_port}'");
    expect(master).toContain("KUBEBAY_KUBERNETES_VERSION='${var.demo_kubernetes_version}'");
    expect(master).not.toMatch(/:6443\b|bindPort: 6443/);
    const minion = tf.json.resource.openstack_compute_instance_v2.demo_minion_server.user_data as string;
    // A top-level template (the masters' user data is a quoted string inside a conditional).
    expect(minion).toContain('apiServerEndpoint: "${openstack_lb_loadbalancer_v2.demo_api_loadbalancer.vip_address}:${var.demo_kubernetes_port}"');
    expect(minion).toContain("KUBEBAY_KUBERNETES_VERSION='${var.demo_kubernetes_version}'");
  });

  test('kubernetes_version: default from the prop, v1.<minor>[.<patch>] constraint in both formats', () => {
    const t = tfBay({ name: 'pinned', kubernetesVersion: 'v1.32.3' });
    expect(t.json.variable.pinned_kubernetes_version.default).toBe('v1.32.3');
    // the same pattern in both formats: HOT allowed_pattern, Terraform regex() in a validation block
    const pattern: string = hotRoot.parameters.kubernetes_version.constraints[0].allowed_pattern;
    expect(hotRoot.parameters.kubernetes_version.type).toBe('string');
    expect(t.json.variable.pinned_kubernetes_version.validation[0].condition).toBe(
      `\${can(regex(${JSON.stringify(`^(?:${pattern})$`)}, var.pinned_kubernetes_version))}`,
    );
    const accepts = (v: string) => new RegExp(`^(?:${pattern})$`).test(v);
    expect(['v1.31', 'v1.32.3', 'v1.100'].filter(accepts)).toEqual(['v1.31', 'v1.32.3', 'v1.100']);
    expect(['v1.30', 'v1.29.4', '1.31', 'v1.31.', 'v2.0', 'v1.31.1000', 'v1.1000'].filter(accepts)).toEqual([]);
  });
});

describe('minions', () => {
  test('a resource group after the network only (not after the masters), with removal policies fed by minions_to_remove', () => {
    const group = hotRoot.resources.demo_kube_minions;
    expect(group.depends_on).toContain('demo_extrouter_inside');
    expect(group.depends_on).not.toContain('demo_kube_masters');
    expect(JSON.stringify(group.properties)).not.toMatch(/demo_kube_masters|demo_master_/);
    expect(group.properties.removal_policies).toEqual([{ resource_list: { get_param: 'minions_to_remove' } }]);
    expect(hotMinion.outputs['OS::stack_id'].value).toEqual({ get_attr: ['demo_minion_port', 'fixed_ips', 0, 'ip_address'] });
  });

  test('Terraform: no minion resource waits for a master resource (minions boot in parallel with the masters)', () => {
    // GIVEN the default bay; WHEN synthesized to Terraform; THEN
    const minionResources = Object.values(tf.json.resource).flatMap((byName: any) => Object.entries(byName)).filter(([n]) => n.startsWith('demo_minion_'));
    expect(minionResources.map(([n]) => n)).toEqual(expect.arrayContaining(['demo_minion_server', 'demo_minion_port']));
    for (const [, r] of minionResources as [string, any][]) {
      expect(JSON.stringify(r)).not.toMatch(/demo_master_/);
      expect(r.depends_on ?? []).toContain('openstack_networking_router_interface_v2.demo_extrouter_inside');
    }
  });

  test('each minion: port with base+minion groups, server, floating IP, volume; no pool membership', () => {
    const r = hotMinion.resources;
    expect(r.demo_minion_port.properties.security_groups).toEqual([{ get_param: 'demo_secgroup_base' }, { get_param: 'demo_secgroup_minion' }]);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['demo_minion_server', 'demo_minion_floating', 'demo_minion_volume', 'demo_minion_volume_attach']));
    expect(Object.values(r).filter((x: any) => /Member/.test(x.type))).toEqual([]);
  });

  test('without floating IPs and volumes no such resources exist', () => {
    const t = tfBay({ name: 'bare', floatingIps: false, dockerVolumeSize: 0 });
    const types = tfResources(t.json).filter(([, n]) => /minion|master/.test(n)).map(([type]) => type);
    expect(types).not.toContain('openstack_blockstorage_volume_v3');
    expect(t.json.resource.openstack_networking_floatingip_v2.bare_minion_floating).toBeUndefined();
    expect(t.json.output.bare_kube_minions.value).toBe(t.json.output.bare_kube_minions_private.value);
  });
});

describe('parameters and outputs', () => {
  const names = [
    'number_of_masters', 'number_of_minions', 'master_flavor', 'minion_flavor', 'server_image', 'ssh_key_name',
    'external_network', 'fixed_network_cidr', 'dns_nameserver', 'docker_volume_size', 'kubernetes_port',
    'kubernetes_version', 'loadbalancing_protocol', 'minions_to_remove',
  ];
  test.each(names)('%s is a HOT parameter and a Terraform variable with the same default', (name) => {
    const h = hotRoot.parameters[name];
    const v = tf.json.variable[`demo_${name}`];
    expect(h).toBeDefined();
    expect(v).toBeDefined();
    // HOT checks kubernetes_port as a string with a pattern (a number parameter cannot exclude ports)
    expect(v.default).toEqual(name === 'kubernetes_port' ? Number(h.default) : h.default);
  });

  test('defaults come from the props', () => {
    expect(hotRoot.parameters.number_of_masters.default).toBe(3);
    expect(tf.json.variable.demo_number_of_minions.default).toBe(2);
    expect(hotRoot.parameters.loadbalancing_protocol.constraints[0].allowed_values).toEqual(['TCP', 'HTTPS']);
    // the synth-time range of masterCount (bay/specs.ts), not just its minimum
    expect(tf.json.variable.demo_number_of_masters.validation[0].condition).toBe('${var.demo_number_of_masters >= 1 && var.demo_number_of_masters <= 99}');
  });

  test.each(['api_address', 'kube_masters', 'kube_masters_private', 'kube_minions', 'kube_minions_private'])('output %s exists in both formats', (name) => {
    expect(hotRoot.outputs[name]).toBeDefined();
    expect(tf.json.output[`demo_${name}`]).toBeDefined();
  });

  test('kube_minions reads a nested output of the group (HOT) and a for expression over the keys (Terraform)', () => {
    expect(hotRoot.outputs.kube_minions.value).toEqual({ get_attr: ['demo_kube_minions', 'demo_minion_floating_address'] });
    expect(hotMinion.outputs.demo_minion_floating_address.value).toEqual({ get_attr: ['demo_minion_floating', 'floating_ip_address'] });
    expect(tf.json.output.demo_kube_minions.value).toBe(
      '${[for k in local.demo_kube_minions_keys : openstack_networking_floatingip_v2.demo_minion_floating[k].address]}',
    );
  });
});

describe('create timeout', () => {
  test('unset: the library default (60) on servers; explicit value used; 0 means none', () => {
    expect(tf.json.resource.openstack_compute_instance_v2.demo_master_server.timeouts).toEqual({ create: '60m' });
    expect(tfBay({ name: 't90', createTimeoutMinutes: 90 }).json.resource.openstack_compute_instance_v2.t90_minion_server.timeouts).toEqual({ create: '90m' });
    expect(tfBay({ name: 't0', createTimeoutMinutes: 0 }).json.resource.openstack_compute_instance_v2.t0_minion_server.timeouts).toBeUndefined();
    const payload = (p: any) => JSON.parse(hotBay(p).files.find((f) => f.path === 'stack-create.json')!.content).timeout_mins;
    expect(payload({ name: 'h60' })).toBe(60);
    expect(payload({ name: 'h0', createTimeoutMinutes: 0 })).toBeNull();
  });
});
