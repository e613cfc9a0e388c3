/** BayLoadBalancer on its own: Octavia (both formats) or LBaaS v1 (HOT only), members, an optional floating IP. */
import { Construct } from 'constructs';
import { BayLoadBalancer, BayLoadBalancerProps, BayResource } from '../../lib';
import { BayNetwork, externalNetworkLookup } from '../../lib/network/bay-network';
import { Match } from '../support/template';
import { param, synthBoth, synthHot, synthTerraform } from '../support/tiny-tree';

/** A network, a port parameter and a load balancer in front of one member address. */
function withLb(props: Partial<BayLoadBalancerProps> = {}) {
  return (scope: Construct) => {
    const net = new BayNetwork(scope, 'Network', { name: 'n', externalNetwork: externalNetworkLookup(scope, 'public'), cidr: '10.0.0.0/24', dnsNameservers: [] });
    const port = param(scope, 'api_port', { type: 'number', default: 6443 });
    const lb = new BayLoadBalancer(scope, 'api', { name: 'lb1', api: 'octavia', subnet: net.subnetId, port: port.value, protocol: 'TCP', ...props });
    const member = lb.addMember(scope, 'm0', '10.0.0.5');
    return { net, port, lb, member };
  };
}

describe('BayLoadBalancer (Octavia)', () => {
  // GIVEN an internal load balancer with one member, WHEN synthesized both ways
  const { H, T, hot, tf } = synthBoth(withLb());

  test('a load balancer on the subnet, a listener on the port, a round-robin pool, a TCP health monitor 5/5/5', () => {
    H.hasResourceProperties('OS::Octavia::LoadBalancer', { name: 'lb1', vip_subnet: H.getResource(hot.net.subnet) });
    H.hasResourceProperties('OS::Octavia::Listener', { loadbalancer: H.getResource(hot.lb.vip), protocol: 'TCP', protocol_port: H.getParam(hot.port) });
    H.hasResourceProperties('OS::Octavia::Pool', { lb_algorithm: 'ROUND_ROBIN', protocol: 'TCP' });
    H.hasResourceProperties('OS::Octavia::HealthMonitor', { pool: H.getResource(hot.lb.pool), type: 'TCP', delay: 5, timeout: 5, max_retries: 5 });
    T.hasResourceProperties('openstack_lb_loadbalancer_v2', { name: 'lb1', vip_subnet_id: T.ref(tf.net.subnet) });
    T.hasResourceProperties('openstack_lb_listener_v2', { loadbalancer_id: T.ref(tf.lb.vip), protocol: 'TCP', protocol_port: T.varRef(tf.port) });
    T.hasResourceProperties('openstack_lb_pool_v2', { lb_method: 'ROUND_ROBIN' });
    T.hasResourceProperties('openstack_lb_monitor_v2', { pool_id: T.ref(tf.lb.pool), type: 'TCP', delay: 5, timeout: 5, max_retries: 5 });
  });

  test('addMember puts the address on the pool, on the port and subnet', () => {
    H.hasResourceProperties('OS::Octavia::PoolMember', { pool: H.getResource(hot.lb.pool), address: '10.0.0.5', protocol_port: H.getParam(hot.port), subnet: H.getResource(hot.net.subnet) });
    T.hasResourceProperties('openstack_lb_member_v2', { pool_id: T.ref(tf.lb.pool), address: '10.0.0.5', protocol_port: T.varRef(tf.port), subnet_id: T.ref(tf.net.subnet) });
    expect(T.logicalIdOf(tf.member)).toBe(H.logicalIdOf(hot.member));
  });

  test('internal by default: no floating IP, no data timeouts, no allowed CIDRs', () => {
    expect(tf.lb.floatingIp).toBeUndefined();
    H.resourceCountIs('OS::Neutron::FloatingIP', 0);
    T.resourceCountIs('openstack_networking_floatingip_v2', 0);
    T.hasResourceProperties('openstack_lb_listener_v2', { timeout_client_data: Match.absent(), allowed_cidrs: Match.absent() });
    H.hasResourceProperties('OS::Octavia::Listener', { allowed_cidrs: Match.absent() });
  });

  test('options: algorithm, allowed CIDRs, provider, data timeouts (Terraform only), a floating IP on the VIP after given resources', () => {
    const opts = withLbAndFloating();
    const { H: h, T: t, hot: hb, tf: tb } = synthBoth(opts);
    h.hasResourceProperties('OS::Octavia::Pool', { lb_algorithm: 'LEAST_CONNECTIONS' });
    h.hasResourceProperties('OS::Octavia::Listener', { allowed_cidrs: ['192.0.2.0/24'], timeout_client_data: Match.absent() });
    h.hasResourceProperties('OS::Octavia::LoadBalancer', { provider: 'ovn' });
    h.hasResource('OS::Neutron::FloatingIP', {
      properties: { floating_network: 'public', port_id: h.getAttr(hb.lb.vip, 'vip_port_id') },
      depends_on: Match.arrayWith([h.logicalIdOf(hb.net.routerInterface)]),
    });
    t.hasResourceProperties('openstack_lb_pool_v2', { lb_method: 'LEAST_CONNECTIONS' });
    t.hasResourceProperties('openstack_lb_listener_v2', { allowed_cidrs: ['192.0.2.0/24'], timeout_client_data: 1000, timeout_member_data: 1000 });
    t.hasResourceProperties('openstack_lb_loadbalancer_v2', { loadbalancer_provider: 'ovn' });
    t.hasResourceProperties('openstack_networking_floatingip_v2', {
      port_id: t.ref(tb.lb.vip, 'vip_port_id'),
      depends_on: Match.arrayWith([t.addressOf(tb.net.routerInterface)]),
    });
  });
});

function withLbAndFloating() {
  return (scope: Construct) => {
    const net = new BayNetwork(scope, 'Network', { name: 'n', externalNetwork: externalNetworkLookup(scope, 'public'), cidr: '10.0.0.0/24', dnsNameservers: [] });
    const lb = new BayLoadBalancer(scope, 'api', {
      name: 'lb1',
      api: 'octavia',
      subnet: net.subnetId,
      port: 6443,
      protocol: 'TCP',
      algorithm: 'LEAST_CONNECTIONS',
      allowedCidrs: ['192.0.2.0/24'],
      provider: 'ovn',
      dataTimeoutMs: 1000,
      floatingIpNetwork: 'public',
      floatingIpAfter: net.readyAfter as BayResource<any>[],
    });
    return { net, lb };
  };
}

describe('BayLoadBalancer (LBaaS v1)', () => {
  test('HOT: a Neutron pool holding the VIP with its health monitor, members as PoolMember', () => {
    const { H, built } = synthHot(withLb({ api: 'lbaas-v1' }));
    H.resourceCountIs('OS::Octavia::LoadBalancer', 0);
    expect(built.lb.vip).toBe(built.lb.pool);
    const monitor = H.getResourceId('OS::Neutron::HealthMonitor');
    H.hasResourceProperties('OS::Neutron::Pool', { lb_method: 'ROUND_ROBIN', monitors: [{ get_resource: monitor }], vip: { protocol_port: H.getParam(built.port) } });
    H.hasResourceProperties('OS::Neutron::PoolMember', { pool_id: H.getResource(built.lb.pool), address: '10.0.0.5' });
  });

  test('Terraform refuses it, naming loadBalancerApi and the fix', () => {
    expect(() => synthTerraform(withLb({ api: 'lbaas-v1' }))).toThrow(/no Neutron LBaaS v1.*loadBalancerApi: 'octavia'/s);
  });
});
