/** BayNetwork on its own: network, subnet, router with a gateway, router interface; or an existing network. */
import { Construct } from 'constructs';
import { BayNetwork } from '../../lib';
import { externalNetworkLookup } from '../../lib/network/bay-network';
import { Match } from '../support/template';
import { param, synthBoth } from '../support/tiny-tree';

function network(scope: Construct) {
  const cidr = param(scope, 'cidr', { default: '10.0.0.0/24' });
  const external = externalNetworkLookup(scope, 'public');
  const net = new BayNetwork(scope, 'Network', { name: 'n1', externalNetwork: external, cidr: cidr.value, dnsNameservers: ['192.0.2.53'] });
  return { net, cidr, external };
}

describe('BayNetwork', () => {
  // GIVEN a network alone in a tree, WHEN synthesized both ways
  const { H, T, hot, tf } = synthBoth(network);

  test('a network and a subnet on it with the given CIDR and nameservers, named after props.name', () => {
    H.resourceCountIs('OS::Neutron::Net', 1);
    H.hasResourceProperties('OS::Neutron::Net', { name: 'n1-net' });
    H.hasResourceProperties('OS::Neutron::Subnet', {
      name: 'n1-subnet',
      network: H.getResource(hot.net.network),
      cidr: H.getParam(hot.cidr),
      dns_nameservers: ['192.0.2.53'],
    });
    T.hasResourceProperties('openstack_networking_network_v2', { name: 'n1-net' });
    T.hasResourceProperties('openstack_networking_subnet_v2', {
      name: 'n1-subnet',
      network_id: T.ref(tf.net.network),
      cidr: T.varRef(tf.cidr),
      dns_nameservers: ['192.0.2.53'],
    });
  });

  test('a router with a gateway on the external network (HOT: the name; Terraform: the looked-up id), joined to the subnet', () => {
    H.hasResourceProperties('OS::Neutron::Router', { name: 'n1-router', external_gateway_info: { network: 'public' } });
    H.hasResourceProperties('OS::Neutron::RouterInterface', Match.exact({ router: H.getResource(hot.net.router), subnet: H.getResource(hot.net.subnet) }));
    H.resourceCountIs('OS::Neutron::Net', 1); // the lookup is no HOT resource
    T.hasResourceProperties('data.openstack_networking_network_v2', { name: 'public' });
    T.hasResourceProperties('openstack_networking_router_v2', { name: 'n1-router', external_network_id: T.ref(tf.external) });
    T.hasResourceProperties('openstack_networking_router_interface_v2', { router_id: T.ref(tf.net.router), subnet_id: T.ref(tf.net.subnet) });
  });

  test('servers must wait for the router interface; networkId and subnetId reference the new resources', () => {
    expect(tf.net.readyAfter).toEqual([tf.net.routerInterface]);
    expect(tf.net.networkId).toEqual(tf.net.network.id);
    expect(tf.net.subnetId).toEqual(tf.net.subnet.id);
  });

  test('fromIds: an existing network and subnet, nothing to wait for', () => {
    const byo = BayNetwork.fromIds('net-1', 'sub-1');
    expect(byo).toEqual({ networkId: 'net-1', subnetId: 'sub-1', readyAfter: [] });
  });
});
