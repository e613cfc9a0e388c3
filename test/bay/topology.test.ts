/**
 * The topology of a default bay, in both formats: every resource is found
 * by type and properties, and every logical name comes from the bay's own
 * constructs (`logicalIdOf`, `getResource`, `ref`), never from a literal.
 */
import { BayNetwork, KubernetesBay } from '../../lib';
import { hotBay, tfBay } from '../helpers';
import { HotTemplate, Match, TerraformTemplate } from '../support/template';
import { hotUserData } from './userdata-files';

// GIVEN the default bay, synthesized both ways
const hot = hotBay();
const tf = tfBay();
const H = HotTemplate.fromSet(hot.set);
const T = TerraformTemplate.fromJson(tf.json);
const hb = hot.bay;
const tb = tf.bay;
const hotNet = hb.network as BayNetwork;
const tfNet = tb.network as BayNetwork;
const HMaster = H.templateOf(hb.masters.server);
const HMinion = H.templateOf(hb.minions.server);
const RULE = 'OS::Neutron::SecurityGroupRule';
const TF_RULE = 'openstack_networking_secgroup_rule_v2';
const SERVER = 'openstack_compute_instance_v2';
/** The Terraform-side parameter reference of the HOT parameter `name`. */
const tfVar = (bay: KubernetesBay, name: string) => T.varRef(bay.parameters[name]);
const hotParam = (name: string) => H.getParam(hb.parameters[name]);

describe('network', () => {
  test('a network, a subnet with the CIDR and DNS parameters, a router with an external gateway and its interface', () => {
    // THEN (HOT)
    H.resourceCountIs('OS::Neutron::Net', 1);
    H.hasResourceProperties('OS::Neutron::Subnet', {
      cidr: hotParam('fixed_network_cidr'),
      dns_nameservers: hotParam('dns_nameserver'),
      network: H.getResource(hotNet.network),
    });
    H.hasResourceProperties('OS::Neutron::Router', { external_gateway_info: Match.exact({ network: hotParam('external_network') }) });
    H.hasResourceProperties('OS::Neutron::RouterInterface', Match.exact({ router: H.getResource(hotNet.router), subnet: H.getResource(hotNet.subnet) }));
    // THEN (Terraform)
    T.hasResourceProperties('openstack_networking_subnet_v2', {
      cidr: tfVar(tb, 'fixed_network_cidr'),
      dns_nameservers: tfVar(tb, 'dns_nameserver'),
      network_id: T.ref(tfNet.network),
    });
    T.hasResourceProperties('data.openstack_networking_network_v2', { name: tfVar(tb, 'external_network') });
    const external = T.getResourceId('data.openstack_networking_network_v2');
    T.hasResourceProperties('openstack_networking_router_v2', { external_network_id: '${data.openstack_networking_network_v2.' + external + '.id}' });
  });

  test('an existing network replaces network, subnet and router', () => {
    // WHEN
    const t = TerraformTemplate.fromJson(tfBay({ name: 'byo', existingNetwork: { networkId: 'net-1', subnetId: 'sub-1' } }).json);
    // THEN
    t.resourceCountIs('openstack_networking_network_v2', 0);
    t.resourceCountIs('openstack_networking_subnet_v2', 0);
    t.resourceCountIs('openstack_networking_router_v2', 0);
    t.resourcePropertiesCountIs('openstack_networking_port_v2', { network_id: 'net-1' }, 2);
  });
});

describe('security groups', () => {
  test('base, master and minion groups; every rule a separate resource with the same name in both formats', () => {
    const hotRules = H.resourceIds(RULE);
    expect(hotRules.length).toBeGreaterThan(5);
    expect(T.resourceIds(TF_RULE)).toEqual(hotRules);
    const groups = tb.securityGroups.groups;
    expect(T.resourceIds('openstack_networking_secgroup_v2')).toEqual([groups.base, groups.master, groups.minion].map((g) => T.logicalIdOf(g)).sort());
    H.resourceCountIs('OS::Neutron::SecurityGroup', 3);
  });

  test('flannel VXLAN is open only among cluster nodes, as a remote-group rule', () => {
    const base = hb.securityGroups.groups.base;
    const vxlan = { protocol: 'udp', port_range_min: 8472, port_range_max: 8472 };
    H.resourcePropertiesCountIs(RULE, vxlan, 1);
    H.hasResourceProperties(RULE, { ...vxlan, security_group: H.getResource(base), remote_group: H.getResource(base), remote_ip_prefix: Match.absent() });
    T.resourcePropertiesCountIs(TF_RULE, vxlan, 1);
    T.hasResourceProperties(TF_RULE, { ...vxlan, remote_group_id: T.ref(tb.securityGroups.groups.base), remote_ip_prefix: Match.absent() });
  });

  test('the API rules (bay subnet, apiAllowedCidrs) take their port from the kubernetes_port parameter', () => {
    const port = hotParam('kubernetes_port');
    const hotApi = H.resourceIds(RULE, { protocol: 'tcp', port_range_min: port, port_range_max: port });
    expect(hotApi).toHaveLength(2);
    H.hasResourceProperties(RULE, { port_range_min: port, remote_ip_prefix: '10.0.0.0/24' });
    H.hasResourceProperties(RULE, { port_range_min: port, remote_ip_prefix: '0.0.0.0/0', security_group: H.getResource(hb.securityGroups.groups.master) });
    const tfPort = tfVar(tb, 'kubernetes_port');
    expect(T.resourceIds(TF_RULE, { protocol: 'tcp', port_range_min: tfPort, port_range_max: tfPort })).toEqual(hotApi);
    // No rule keeps the synth-time port as a literal.
    T.hasNoResourceProperties(TF_RULE, { port_range_min: 6443 });
    H.hasNoResourceProperties(RULE, { port_range_min: 6443 });
  });

  test('no rule opens 8080 or 7080, and SSH only from sshAllowedCidrs', () => {
    const rules = Object.values(T.findResources(TF_RULE));
    expect(rules.filter((r) => r.port_range_min <= 8080 && r.port_range_max >= 7080)).toEqual([]);
    expect(Object.values(T.findResources(TF_RULE, { port_range_min: 22 })).map((r) => r.remote_ip_prefix)).toEqual(['198.51.100.0/24']);
  });
});

describe('load balancers', () => {
  test('API: Octavia load balancer, listener on the API port, round-robin pool, TCP monitor 5/5/5, floating IP on the VIP', () => {
    const lb = hb.apiLoadBalancer;
    H.hasResourceProperties('OS::Octavia::Listener', { protocol_port: hotParam('kubernetes_port'), protocol: hotParam('loadbalancing_protocol') });
    H.hasResourceProperties('OS::Octavia::Pool', { lb_algorithm: H.getParam('octavia_lb_algorithm') });
    H.hasParameter('octavia_lb_algorithm', { default: 'ROUND_ROBIN' });
    H.hasResourceProperties('OS::Octavia::HealthMonitor', { type: 'TCP', delay: 5, timeout: 5, max_retries: 5, pool: H.getResource(lb.pool) });
    H.hasResourceProperties('OS::Neutron::FloatingIP', { port_id: H.getAttr(lb.vip, 'vip_port_id') });
    expect(H.logicalIdOf(lb.floatingIp!)).toBe(T.logicalIdOf(tb.apiLoadBalancer.floatingIp!));
    T.hasResourceProperties('openstack_lb_monitor_v2', { type: 'TCP', delay: 5, timeout: 5, max_retries: 5, pool_id: T.ref(tb.apiLoadBalancer.pool) });
    T.hasResourceProperties('openstack_lb_listener_v2', { protocol_port: tfVar(tb, 'kubernetes_port') });
    T.hasResourceProperties('openstack_networking_floatingip_v2', { port_id: T.ref(tb.apiLoadBalancer.vip, 'vip_port_id') });
  });

  test('etcd: no load balancer by default (nothing uses it); etcdLoadBalancer adds an internal one on 2379 (no floating IP)', () => {
    expect(tb.etcdLoadBalancer).toBeUndefined();
    T.resourceCountIs('openstack_lb_loadbalancer_v2', 1);
    T.resourceCountIs('openstack_lb_listener_v2', 1);
    H.resourceCountIs('OS::Octavia::LoadBalancer', 1);
    const on = tfBay({ name: 'withetcd', etcdLoadBalancer: true });
    const t = TerraformTemplate.fromJson(on.json);
    const etcd = on.bay.etcdLoadBalancer!;
    t.resourceCountIs('openstack_lb_loadbalancer_v2', 2);
    t.hasResourceProperties('openstack_lb_listener_v2', { protocol_port: 2379, protocol: 'TCP' });
    t.hasResourceProperties('openstack_lb_member_v2', { pool_id: t.ref(etcd.pool) });
    expect(etcd.floatingIp).toBeUndefined();
    t.hasNoResourceProperties('openstack_networking_floatingip_v2', { port_id: t.ref(etcd.vip, 'vip_port_id') });
  });

  test("API listener: client and member data timeouts of one hour (watches, logs -f, exec outlive Octavia's 50 s) in Terraform; Heat has no such property", () => {
    T.hasResourceProperties('openstack_lb_listener_v2', { timeout_client_data: 3_600_000, timeout_member_data: 3_600_000 });
    // OS::Octavia::Listener rejects unknown properties (validate-hot): README gives the post-create command.
    H.hasResourceProperties('OS::Octavia::Listener', { timeout_client_data: Match.absent(), timeout_member_data: Match.absent() });
  });

  test('LBaaS v1 is written in HOT as Magnum Mitaka did, and the Terraform target refuses it naming loadBalancerApi', () => {
    const v1 = hotBay({ name: 'mitaka', loadBalancerApi: 'lbaas-v1' });
    const h = HotTemplate.fromSet(v1.set);
    const lb = v1.bay.apiLoadBalancer;
    expect(h.resource(h.logicalIdOf(lb.pool)).type).toBe('OS::Neutron::Pool');
    h.hasResourceProperties('OS::Neutron::Pool', { lb_method: 'ROUND_ROBIN', vip: { protocol_port: h.getParam('kubernetes_port') } });
    h.resourceCountIs('OS::Neutron::HealthMonitor', 1);
    h.hasResourceProperties('OS::Neutron::Pool', { monitors: [{ get_resource: h.getResourceId('OS::Neutron::HealthMonitor') }] });
    h.template('kubemaster.yaml').hasResourceProperties('OS::Neutron::PoolMember', { pool_id: h.getParam(h.logicalIdOf(lb.pool)) });
    h.resourceCountIs('OS::Octavia::LoadBalancer', 0);
    expect(() => tfBay({ name: 'mitaka2', loadBalancerApi: 'lbaas-v1' })).toThrow(/no Neutron LBaaS v1.*loadBalancerApi: 'octavia'/s);
  });
});

describe('masters', () => {
  test('a resource group of number_of_masters nested kubemaster.yaml stacks, after the router interface', () => {
    H.hasResource('OS::Heat::ResourceGroup', {
      properties: { count: hotParam('number_of_masters'), resource_def: { type: 'kubemaster.yaml' } },
      depends_on: Match.arrayWith([H.logicalIdOf(hotNet.routerInterface)]),
    });
    expect(H.getResourceId('OS::Heat::ResourceGroup', { resource_def: { type: 'kubemaster.yaml' } })).toBe(H.logicalIdOf(hb.masters.group));
    expect(T.local(`${T.logicalIdOf(tb.masters.group)}_keys`)).toBe(`\${[for i in range(${tfVar(tb, 'number_of_masters').slice(2, -1)}) : tostring(i)]}`);
  });

  test('each master: port with base+master groups, server with image/flavor/keypair/user data, floating IP, volume, API member', () => {
    const groups = hb.securityGroups.groups;
    const param = (c: any) => HMaster.getParam(H.logicalIdOf(c));
    HMaster.hasResourceProperties('OS::Neutron::Port', { security_groups: [param(groups.base), param(groups.master)] });
    HMaster.hasResourceProperties('OS::Nova::Server', {
      image: HMaster.getParam('server_image'),
      flavor: HMaster.getParam('master_flavor'),
      key_name: HMaster.getParam('ssh_key_name'),
      user_data_format: 'RAW',
      networks: [{ port: H.getResource(hb.masters.port) }],
    });
    HMaster.hasResourceProperties('OS::Neutron::FloatingIP', { port_id: H.getResource(hb.masters.port) });
    HMaster.hasResource('OS::Cinder::Volume', { condition: 'has_docker_volume' });
    const volume = HMaster.getResourceId('OS::Cinder::Volume');
    HMaster.hasResourceProperties('OS::Cinder::VolumeAttachment', Match.exact({ instance_uuid: H.getResource(hb.masters.server), volume_id: { get_resource: volume } }));
    HMaster.hasResourceProperties('OS::Octavia::PoolMember', { address: H.getAttr(hb.masters.port, 'fixed_ips', 0, 'ip_address') });
    const keys = `local.${T.logicalIdOf(tb.masters.group)}_keys`;
    T.hasResourceProperties(SERVER, {
      for_each: '${toset(' + keys + ')}',
      flavor_name: tfVar(tb, 'master_flavor'),
      key_pair: tfVar(tb, 'ssh_key_name'),
    });
    T.hasResourceProperties('openstack_lb_member_v2', {
      pool_id: T.ref(tb.apiLoadBalancer.pool),
      address: '${' + T.addressOf(tb.masters.port) + '[each.key].all_fixed_ips[0]}',
    });
  });

  test('masters are spread by a soft anti-affinity server group', () => {
    H.hasResourceProperties('OS::Nova::ServerGroup', { policies: ['soft-anti-affinity'] });
    const group = T.getResourceId('openstack_compute_servergroup_v2');
    expect(T.resource(T.logicalIdOf(tb.masters.server)).scheduler_hints).toEqual([{ group: '${openstack_compute_servergroup_v2.' + group + '.id}' }]);
  });

  test('the first master gets the init user data, the others the join user data', () => {
    const ud = H.resource(H.logicalIdOf(hb.masters.server)).properties.user_data;
    expect(ud.if[0]).toBe('is_first_master');
    expect(HMaster.condition('is_first_master')).toEqual({ equals: [{ get_param: 'node_index' }, '0'] });
    expect(JSON.stringify(ud.if[1])).toContain('kubeadm');
    // Each role: the rendering with the props while the registry parameters hold their defaults, else the deploy-time one.
    expect(ud.if[1].if[0]).toBe('registries_default');
    expect(T.resource(T.logicalIdOf(tb.masters.server)).user_data).toMatch(/^\$\{\(\(each\.key == "0"\) \? /);
  });
});

describe('the kubernetes_port and kubernetes_version parameters reach the user data', () => {
  test('HOT: the nested templates take both parameters and str_replace the placeholders with them', () => {
    const masters = H.resource(H.logicalIdOf(hb.masters.server)).properties.user_data;
    const minions = H.resource(H.logicalIdOf(hb.minions.server)).properties.user_data;
    for (const deployTime of [false, true]) {
      const [first, other] = [hotUserData(masters, true, deployTime), hotUserData(masters, false, deployTime)];
      for (const branch of [first, other, hotUserData(minions, true, deployTime)]) {
        expect(branch.params['@@KUBERNETES_PORT@@']).toEqual({ get_param: 'kubernetes_port' });
        expect(branch.template).not.toMatch(/:6443\b|bindPort: 6443/);
      }
      expect(first.params['@@KUBERNETES_VERSION@@']).toEqual({ get_param: 'kubernetes_version' });
      expect(first.template).toContain('bindPort: @@KUBERNETES_PORT@@\n');
      expect(first.template).toContain("KUBEBAY_KUBERNETES_PORT='@@KUBERNETES_PORT@@'\n"); // the script's environment file
    }
    for (const [nested, group] of [[HMaster, hb.masters.group], [HMinion, hb.minions.group]] as const) {
      nested.hasParameter('kubernetes_port', Match.exact({ type: 'number' }));
      nested.hasParameter('kubernetes_version', Match.exact({ type: 'string' }));
      expect(H.resource(H.logicalIdOf(group)).properties.resource_def.properties).toMatchObject({
        kubernetes_port: hotParam('kubernetes_port'),
        kubernetes_version: hotParam('kubernetes_version'),
      });
    }
  });

  test('Terraform: the user data interpolates var.<bay>_kubernetes_port and var.<bay>_kubernetes_version', () => {
    const port = tfVar(tb, 'kubernetes_port');
    const version = tfVar(tb, 'kubernetes_version');
    const master = T.resource(T.logicalIdOf(tb.masters.server)).user_data as string;
    expect(master).toContain(`bindPort: ${port}\\n`);
    expect(master).toContain(`KUBEBAY_KUBERNETES_PORT='${port}'`);
    expect(master).toContain(`KUBEBAY_KUBERNETES_VERSION='${version}'`);
    expect(master).not.toMatch(/:6443\b|bindPort: 6443/);
    const minion = T.resource(T.logicalIdOf(tb.minions.server)).user_data as string;
    // A quoted string inside the registry parameters' conditional (as the masters').
    expect(minion).toContain(`apiServerEndpoint: \\"${T.ref(tb.apiLoadBalancer.vip, 'vip_address')}:${port}\\"`);
    expect(minion).toContain(`KUBEBAY_KUBERNETES_VERSION='${version}'`);
  });

  test('kubernetes_version: default from the prop, v1.<minor>[.<patch>] constraint in both formats', () => {
    const pinned = tfBay({ name: 'pinned', kubernetesVersion: 'v1.32.3' });
    const t = TerraformTemplate.fromJson(pinned.json);
    const variable = t.logicalIdOf(pinned.bay.parameters.kubernetes_version);
    t.hasVariable(variable, { default: 'v1.32.3' });
    // the same pattern in both formats: HOT allowed_pattern, Terraform regex() in a validation block
    H.hasParameter('kubernetes_version', { type: 'string' });
    const pattern: string = H.parameter('kubernetes_version').constraints[0].allowed_pattern;
    t.hasVariable(variable, { validation: [{ condition: `\${can(regex(${JSON.stringify(`^(?:${pattern})$`)}, var.${variable}))}` }] });
    const accepts = (v: string) => new RegExp(`^(?:${pattern})$`).test(v);
    expect(['v1.31', 'v1.32.3', 'v1.100'].filter(accepts)).toEqual(['v1.31', 'v1.32.3', 'v1.100']);
    expect(['v1.30', 'v1.29.4', '1.31', 'v1.31.', 'v2.0', 'v1.31.1000', 'v1.1000'].filter(accepts)).toEqual([]);
  });
});

describe('minions', () => {
  test('a resource group after the network only (not after the masters), with removal policies fed by minions_to_remove', () => {
    const group = H.resource(H.logicalIdOf(hb.minions.group));
    expect(group.depends_on).toContain(H.logicalIdOf(hotNet.routerInterface));
    expect(group.depends_on).not.toContain(H.logicalIdOf(hb.masters.group));
    expect(JSON.stringify(group.properties)).not.toContain(H.logicalIdOf(hb.masters.group));
    expect(JSON.stringify(group.properties)).not.toContain(H.logicalIdOf(hb.masters.port));
    expect(group.properties.removal_policies).toEqual([{ resource_list: hotParam('minions_to_remove') }]);
    HMinion.hasOutput('OS::stack_id', { value: H.getAttr(hb.minions.port, 'fixed_ips', 0, 'ip_address') });
  });

  test('Terraform: no minion resource waits for a master resource (minions boot in parallel with the masters)', () => {
    // GIVEN the default bay; WHEN synthesized to Terraform; THEN
    const keys = `local.${T.logicalIdOf(tb.minions.group)}_keys`;
    const perMinion = (T.allResourceIds().map((id) => [id, T.resource(id)]) as [string, any][]).filter(([, r]) => String(r.for_each ?? '').includes(keys));
    expect(perMinion.map(([id]) => id)).toEqual(expect.arrayContaining([T.logicalIdOf(tb.minions.server), T.logicalIdOf(tb.minions.port)]));
    const masterNames = [tb.masters.server, tb.masters.port].map((c) => T.logicalIdOf(c));
    for (const [, r] of perMinion) {
      for (const m of masterNames) expect(JSON.stringify(r)).not.toContain(m);
      expect(r.depends_on ?? []).toContain(T.addressOf(tfNet.routerInterface));
    }
  });

  test('each minion: port with base+minion groups, server, floating IP, volume; no pool membership', () => {
    const groups = hb.securityGroups.groups;
    const param = (c: any) => HMinion.getParam(H.logicalIdOf(c));
    HMinion.hasResourceProperties('OS::Neutron::Port', { security_groups: [param(groups.base), param(groups.minion)] });
    expect(HMinion.inventory()).toMatchObject({ 'OS::Nova::Server': 1, 'OS::Neutron::FloatingIP': 1, 'OS::Cinder::Volume': 1, 'OS::Cinder::VolumeAttachment': 1 });
    expect(Object.keys(HMinion.inventory()).filter((type) => /Member/.test(type))).toEqual([]);
  });

  test('without floating IPs and volumes no such resources exist', () => {
    const bare = tfBay({ name: 'bare', floatingIps: false, dockerVolumeSize: 0 });
    const t = TerraformTemplate.fromJson(bare.json);
    t.resourceCountIs('openstack_blockstorage_volume_v3', 0);
    expect(bare.bay.minions.floatingIp).toBeUndefined();
    // only the API VIP keeps a floating IP
    expect(t.resourceIds('openstack_networking_floatingip_v2')).toEqual([t.logicalIdOf(bare.bay.apiLoadBalancer.floatingIp!)]);
    const out = (n: string) => t.output(t.logicalIdOf(bare.bay.outputs[n])).value;
    expect(out('kube_minions')).toBe(out('kube_minions_private'));
  });
});

describe('parameters and outputs', () => {
  const names = [
    'number_of_masters', 'number_of_minions', 'master_flavor', 'minion_flavor', 'server_image', 'ssh_key_name',
    'external_network', 'fixed_network_cidr', 'dns_nameserver', 'docker_volume_size', 'kubernetes_port',
    'kubernetes_version', 'loadbalancing_protocol', 'minions_to_remove',
  ];
  test.each(names)('%s is a HOT parameter and a Terraform variable with the same default', (name) => {
    const h = H.parameter(H.logicalIdOf(hb.parameters[name]));
    const v = T.variable(T.logicalIdOf(tb.parameters[name]));
    // HOT checks kubernetes_port as a string with a pattern (a number parameter cannot exclude ports)
    expect(v.default).toEqual(name === 'kubernetes_port' ? Number(h.default) : h.default);
  });

  test('defaults come from the props', () => {
    H.hasParameter('number_of_masters', { default: 3 });
    H.hasParameter('loadbalancing_protocol', { constraints: [{ allowed_values: ['TCP', 'HTTPS'] }] });
    const masters = T.logicalIdOf(tb.parameters.number_of_masters);
    T.hasVariable(T.logicalIdOf(tb.parameters.number_of_minions), { default: 2 });
    // the synth-time range of masterCount (bay/specs.ts), not just its minimum
    T.hasVariable(masters, { validation: [{ condition: `\${var.${masters} >= 1 && var.${masters} <= 99}` }] });
  });

  test.each(['api_address', 'kube_masters', 'kube_masters_private', 'kube_minions', 'kube_minions_private'])('output %s exists in both formats', (name) => {
    H.hasOutput(H.logicalIdOf(hb.outputs[name]));
    T.hasOutput(T.logicalIdOf(tb.outputs[name]));
  });

  test('kube_minions reads a nested output of the group (HOT) and a for expression over the keys (Terraform)', () => {
    H.hasOutput('kube_minions', { value: { get_attr: [H.logicalIdOf(hb.minions.group), Match.anyValue()] } });
    const [, name] = H.output('kube_minions').value.get_attr;
    HMinion.hasOutput(name, { value: H.getAttr(hb.minions.floatingIp!, 'floating_ip_address') });
    T.hasOutput(T.logicalIdOf(tb.outputs.kube_minions), {
      value: `\${[for k in local.${T.logicalIdOf(tb.minions.group)}_keys : ${T.addressOf(tb.minions.floatingIp!)}[k].address]}`,
    });
  });
});

describe('create timeout', () => {
  test('unset: the library default (60) on servers; explicit value used; 0 means none', () => {
    T.hasResourceProperties(SERVER, { timeouts: { create: '60m' } });
    TerraformTemplate.fromJson(tfBay({ name: 't90', createTimeoutMinutes: 90 }).json).resourcePropertiesCountIs(SERVER, { timeouts: Match.exact({ create: '90m' }) }, 2);
    TerraformTemplate.fromJson(tfBay({ name: 't0', createTimeoutMinutes: 0 }).json).resourcePropertiesCountIs(SERVER, { timeouts: Match.absent() }, 2);
    const payload = (p: any) => JSON.parse(hotBay(p).files.find((f) => f.path === 'stack-create.json')!.content).timeout_mins;
    expect(payload({ name: 'h60' })).toBe(60);
    expect(payload({ name: 'h0', createTimeoutMinutes: 0 })).toBeNull();
  });
});
