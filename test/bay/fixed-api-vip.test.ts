/**
 * `fixedApiVip`: the API address known at synthesis (a VIP outside the
 * subnet's allocation pool), so that no node waits for the load balancer —
 * in both formats; off by default (existing bays unchanged); its refusals.
 */
import { Construct } from 'constructs';
import { KubernetesBay } from '../../lib';
import { reservedAddresses } from '../../lib/network/reserved-addresses';
import { BASE_PROPS, hotBay, tfBay } from '../helpers';
import { asValidationError, thrownBy } from '../support/validation';
import { tmpPath } from '../tmp';
import { hotUserData } from './userdata-files';

/** On, in a store of its own: the bay record of 'demo' in the tests' store says its VIP is Octavia's, and a bay can not switch. */
const ON = { fixedApiVip: true, pkiDir: tmpPath('kubebay-pki-vip-') } as const;

describe('reservedAddresses', () => {
  test('the top of the last /24: .254 API, .253 etcd, .240+key masters; the pool stops at .239', () => {
    expect(reservedAddresses('10.0.0.0/24')).toEqual({
      allocationPool: { start: '10.0.0.2', end: '10.0.0.239' }, apiVip: '10.0.0.254', etcdVip: '10.0.0.253', masterPrefix: '10.0.0.24',
    });
    expect(reservedAddresses('172.16.0.0/16')).toMatchObject({ allocationPool: { start: '172.16.0.2', end: '172.16.255.239' }, apiVip: '172.16.255.254' });
    expect(reservedAddresses('10.0.0.0/25')).toMatch(/is a \/25/);
    expect(reservedAddresses('fd00::/64')).toMatch(/not an IPv4 CIDR/);
  });
});

describe('fixedApiVip: true', () => {
  const hot = hotBay(ON);
  const root = hot.docs.get('kubecluster.yaml').resources;
  const tf = tfBay(ON).json.resource;

  test('the subnet\'s allocation pool leaves the reserved addresses out; the load balancer takes the fixed VIP (both formats)', () => {
    expect(root.demo_fixed_subnet.properties.allocation_pools).toEqual([{ start: '10.0.0.2', end: '10.0.0.239' }]);
    expect(tf.openstack_networking_subnet_v2.demo_fixed_subnet.allocation_pool).toEqual([{ start: '10.0.0.2', end: '10.0.0.239' }]);
    expect(root.demo_api_loadbalancer.properties.vip_address).toBe('10.0.0.254');
    expect(tf.openstack_lb_loadbalancer_v2.demo_api_loadbalancer.vip_address).toBe('10.0.0.254');
  });

  test('HOT: no node group references an Octavia object or the API floating IP\'s association; the users data carry the literal VIP', () => {
    const refs = (x: unknown) => JSON.stringify(x);
    for (const g of ['demo_kube_masters', 'demo_kube_minions']) {
      expect(refs(root[g])).not.toMatch(/demo_api_(loadbalancer|listener|pool|monitor|floating_association)/);
    }
    const minion = hotUserData(hot.docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data);
    expect(minion.template).toContain("KUBEBAY_API_VIP='10.0.0.254'");
    // the public address is the floating IP allocated at once, associated with the VIP port after the load balancer
    expect(root.demo_api_floating.properties).not.toHaveProperty('port_id');
    expect(root.demo_api_floating_association.properties).toEqual({
      floatingip_id: { get_resource: 'demo_api_floating' }, port_id: { get_attr: ['demo_api_loadbalancer', 'vip_port_id'] },
    });
  });

  test('HOT: masters have fixed addresses; their pool members are a group of their own, after the pool', () => {
    const port = hot.docs.get('kubemaster.yaml').resources.demo_master_port.properties;
    expect(port.fixed_ips).toEqual([{ subnet: { get_param: 'demo_fixed_subnet' }, ip_address: { list_join: ['', ['10.0.0.24', { get_param: 'node_index' }]] } }]);
    expect(hot.docs.get('kubemaster.yaml').resources).not.toHaveProperty('demo_master_api_member');
    expect(root.demo_kube_masters_members.properties.count).toEqual(root.demo_kube_masters.properties.count);
    const member = hot.docs.get('kubemastermember.yaml').resources.demo_master_api_member.properties;
    expect(member.address).toEqual({ list_join: ['', ['10.0.0.24', { get_param: 'node_index' }]] });
  });

  test('Terraform: servers reference no load-balancer resource; members on the masters\' keys and fixed addresses', () => {
    const servers = JSON.stringify(tf.openstack_compute_instance_v2);
    expect(servers).not.toMatch(/openstack_lb_|floatingip_associate/);
    expect(servers).toContain("KUBEBAY_API_VIP='10.0.0.254'");
    expect(tf.openstack_lb_member_v2.demo_master_api_member.address).toBe('${join("", ["10.0.0.24", each.key])}');
    expect(tf.openstack_networking_floatingip_associate_v2.demo_api_floating_association.port_id).toBe('${openstack_lb_loadbalancer_v2.demo_api_loadbalancer.vip_port_id}');
  });

  test('the subnet CIDR parameter accepts only the CIDR the addresses were computed from', () => {
    const p = hot.docs.get('kubecluster.yaml').parameters.fixed_network_cidr;
    expect(p.constraints).toEqual([expect.objectContaining({ allowed_values: ['10.0.0.0/24'] })]);
  });

  test('the etcd load balancer gets .253', () => {
    expect(hotBay({ ...ON, etcdLoadBalancer: true }).docs.get('kubecluster.yaml').resources.demo_etcd_loadbalancer.properties.vip_address).toBe('10.0.0.253');
  });
});

describe('default and the context flag', () => {
  test('off by default: Octavia picks the VIP, the nodes reference it, the members stay in the node group', () => {
    const h = hotBay();
    const r = h.docs.get('kubecluster.yaml').resources;
    expect(r.demo_api_loadbalancer.properties).not.toHaveProperty('vip_address');
    expect(r.demo_fixed_subnet.properties).not.toHaveProperty('allocation_pools');
    expect(h.docs.get('kubemaster.yaml').resources).toHaveProperty('demo_master_api_member');
    expect(h.docs.has('kubemastermember.yaml')).toBe(false);
  });

  test('cdktf.json context "kubebay:fixedApiVip": true turns it on for new projects; an explicit prop wins', () => {
    const bay = (context: Record<string, unknown>, props = {}) => {
      const root = new Construct(undefined as any, 'root');
      root.node.setContext('kubebay:fixedApiVip', context.flag);
      return new KubernetesBay(root, 'demo', { ...BASE_PROPS, pkiDir: context.flag ? ON.pkiDir : BASE_PROPS.pkiDir, ...props });
    };
    expect(bay({ flag: true }).config.fixedApiVip).toBe(true);
    expect(bay({ flag: true }, { fixedApiVip: false, pkiDir: BASE_PROPS.pkiDir }).config.fixedApiVip).toBe(false);
    expect(bay({ flag: undefined }).config.fixedApiVip).toBe(false);
  });
});

describe('refusals', () => {
  test.each([
    [{ ...ON, masterCount: 1, masterLbEnabled: false }, /fixedApiVip: true fixes the load balancer's VIP, but masterLbEnabled is false/],
    [{ ...ON, existingNetwork: { networkId: 'n', subnetId: 's' } }, /fixedApiVip: true reserves addresses outside the allocation pool of the bay's own subnet, which existingNetwork replaces; drop existingNetwork/],
    [{ ...ON, loadBalancerApi: 'lbaas-v1' }, /fixedApiVip: true needs Octavia/],
    [{ ...ON, masterCount: 11 }, /fixedApiVip: true gives masters fixed addresses for at most 10 masters/],
    [{ ...ON, fixedNetworkCidr: '10.0.0.0/26' }, /fixedNetworkCidr: "10.0.0.0\/26" is a \/26: .*use a \/24 or larger IPv4 subnet/],
  ])('%j is refused with the fix', (props, message) => {
    expect(asValidationError(thrownBy(() => hotBay(props as object))).errors).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});
