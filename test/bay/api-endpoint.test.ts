/**
 * `masterLbEnabled: false` (Magnum's `master_lb_enabled`): a single-master
 * bay without an API load balancer, the API on the master's own addresses,
 * in both formats; and its refusals.
 */
import { hotBay, hotResources, tfBay, tfResources } from '../helpers';
import { asValidationError, thrownBy } from '../support/validation';
import { hotUserData } from './userdata-files';

const SOLO = { masterCount: 1, masterLbEnabled: false } as const;

describe('masterLbEnabled: false', () => {
  const hot = hotBay(SOLO);
  const root = hot.docs.get('kubecluster.yaml');
  const master = hot.docs.get('kubemaster.yaml').resources;
  const tfr = tfBay(SOLO);
  const tf = tfr.json;

  test('no load balancer in either format', () => {
    expect(hotResources(hot.docs).filter(([, , r]) => /Octavia|LBaaS|Neutron::Pool/.test(r.type))).toEqual([]);
    expect(tfResources(tf).filter(([type]) => type.startsWith('openstack_lb_'))).toEqual([]);
  });

  test("HOT: the master's user data names its own port and floating IP as the API addresses", () => {
    const params = hotUserData(master.demo_master_server.properties.user_data).params;
    expect(params['@@API_VIP@@']).toEqual({ get_attr: ['demo_master_port', 'fixed_ips', 0, 'ip_address'] });
    expect(params['@@API_PUBLIC_ADDRESS@@']).toEqual({ get_attr: ['demo_master_floating', 'floating_ip_address'] });
  });

  test("HOT: the minions join the master's private IP, passed from the root (so their group waits for the master)", () => {
    const minions = root.resources.demo_kube_minions.properties.resource_def.properties;
    expect(minions.demo_kube_masters_0_demo_master_port_privateip).toEqual({ get_attr: ['demo_kube_masters', 'resource.0', 'demo_master_port_privateip'] });
    const params = hotUserData(hot.docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data).params;
    expect(params['@@API_VIP@@']).toEqual({ get_param: 'demo_kube_masters_0_demo_master_port_privateip' });
  });

  test("the API outputs name the master's addresses (HOT and Terraform)", () => {
    expect(root.outputs.api_address.value).toEqual({ get_attr: ['demo_kube_masters', 'resource.0', 'demo_master_floating_address'] });
    expect(root.outputs.api_private_address.value).toEqual({ get_attr: ['demo_kube_masters', 'resource.0', 'demo_master_port_privateip'] });
    expect(tf.output.demo_api_address.value).toBe('${openstack_networking_floatingip_v2.demo_master_floating["0"].address}');
    expect(tf.output.demo_api_private_address.value).toBe('${openstack_networking_port_v2.demo_master_port["0"].all_fixed_ips[0]}');
  });

  test("Terraform: the master's user data references its own port and floating IP; the minions' the master's port", () => {
    const servers = tf.resource.openstack_compute_instance_v2;
    expect(servers.demo_master_server.user_data).toContain('${openstack_networking_port_v2.demo_master_port[each.key].all_fixed_ips[0]}');
    expect(servers.demo_master_server.user_data).toContain('${openstack_networking_floatingip_v2.demo_master_floating[each.key].address}');
    expect(servers.demo_minion_server.user_data).toContain('${openstack_networking_port_v2.demo_master_port["0"].all_fixed_ips[0]}');
    expect(servers.demo_minion_server.user_data).not.toContain('openstack_lb_');
  });

  test('without floating IPs the public API address is the private one; the API rules stay on the masters', () => {
    const h = hotBay({ ...SOLO, floatingIps: false, sshAllowedCidrs: ['192.0.2.0/24'] });
    expect(h.docs.get('kubecluster.yaml').outputs.api_address.value).toEqual({ get_attr: ['demo_kube_masters', 'resource.0', 'demo_master_port_privateip'] });
    expect(hotResources(h.docs).filter(([, name]) => /rule_master_from_.*_tcp_api$/.test(name)).length).toBeGreaterThan(0);
  });

  test('apiAddress (the cdktf reference) says to read the output instead', () => {
    expect(() => tfr.bay.apiAddress).toThrow(/masterLbEnabled is false \(no API load balancer\); read the api_address output/);
  });

  test('the master_lb_enabled label sets it', () => {
    expect(hotBay({ masterCount: 1, labels: { master_lb_enabled: 'false' } }).bay.apiLoadBalancer).toBeUndefined();
  });

  test.each([
    [{ masterLbEnabled: false }, /masterLbEnabled: false cannot serve 3 masters: without a load balancer the API is one master's own address; set masterCount: 1, or masterLbEnabled: true/],
    [{ ...SOLO, etcdLoadBalancer: true }, /etcdLoadBalancer: true needs the masters' load balancers, but masterLbEnabled is false; drop etcdLoadBalancer/],
    [{ ...SOLO, masterLbFloatingIp: false }, /masterLbFloatingIp: false is a load-balancer option, but masterLbEnabled is false; drop it, and set floatingIps: false for an internal API/],
    [{ ...SOLO, octaviaProvider: 'ovn', octaviaLbAlgorithm: 'SOURCE_IP_PORT' }, /octaviaProvider: "ovn" is a load-balancer option/],
  ])('%j is refused with the fix', (props, message) => {
    expect(asValidationError(thrownBy(() => hotBay(props as object))).errors).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});
