/**
 * Network kinds: private network, subnet, router, router interface, ports,
 * floating IPs and the external-network lookup.
 */
import type {
  dataOpenstackNetworkingNetworkV2 as dataNet,
  networkingFloatingipAssociateV2 as fipa,
  networkingFloatingipV2 as fip,
  networkingNetworkV2 as net,
  networkingPortV2 as port,
  networkingRouterInterfaceV2 as rif,
  networkingRouterV2 as router,
  networkingSubnetV2 as subnet,
} from '../../.gen/providers/openstack';
import { defineKind } from '../core/kind';
import { Value } from '../core/expr';

/**
 * The external (provider) network, looked up by name. HOT takes the name
 * directly; Terraform reads its id with a data source.
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/data-sources/networking_network_v2
 */
export const EXTERNAL_NETWORK = defineKind<{ name: Value }>({
  name: 'external-network',
  hot: { passThrough: (p) => p.name },
  tf: {
    type: 'openstack_networking_network_v2',
    dataSource: true,
    config: (p): dataNet.DataOpenstackNetworkingNetworkV2Config => ({ name: p.name, external: true }),
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::Net
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_network_v2
 */
export const NETWORK = defineKind<{ name: Value }>({
  name: 'network',
  hot: { type: 'OS::Neutron::Net', properties: (p) => ({ name: p.name }) },
  tf: {
    type: 'openstack_networking_network_v2',
    config: (p): net.NetworkingNetworkV2Config => ({ name: p.name, adminStateUp: true }),
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::Subnet
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_subnet_v2
 */
export const SUBNET = defineKind<{
  name: Value;
  network: Value;
  cidr: Value;
  dnsNameservers: Value;
  /** Neutron's allocation pool. @default - the whole subnet but the gateway */
  allocationPool?: { start: string; end: string };
}>({
  name: 'subnet',
  hot: {
    type: 'OS::Neutron::Subnet',
    properties: (p) => ({
      name: p.name,
      network: p.network,
      cidr: p.cidr,
      ip_version: 4,
      dns_nameservers: p.dnsNameservers,
      ...(p.allocationPool ? { allocation_pools: [{ ...p.allocationPool }] } : {}),
    }),
  },
  tf: {
    type: 'openstack_networking_subnet_v2',
    config: (p): subnet.NetworkingSubnetV2Config => ({
      name: p.name,
      networkId: p.network,
      cidr: p.cidr,
      ipVersion: 4,
      dnsNameservers: p.dnsNameservers,
      ...(p.allocationPool ? { allocationPool: [{ ...p.allocationPool }] } : {}),
    }),
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::Router
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_router_v2
 */
export const ROUTER = defineKind<{ name: Value; externalNetwork: Value }>({
  name: 'router',
  hot: {
    type: 'OS::Neutron::Router',
    properties: (p) => ({ name: p.name, external_gateway_info: { network: p.externalNetwork } }),
  },
  tf: {
    type: 'openstack_networking_router_v2',
    config: (p): router.NetworkingRouterV2Config => ({ name: p.name, externalNetworkId: p.externalNetwork }),
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::RouterInterface
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_router_interface_v2
 */
export const ROUTER_INTERFACE = defineKind<{ router: Value; subnet: Value }>({
  name: 'router-interface',
  hot: { type: 'OS::Neutron::RouterInterface', properties: (p) => ({ router: p.router, subnet: p.subnet }) },
  tf: {
    type: 'openstack_networking_router_interface_v2',
    config: (p): rif.NetworkingRouterInterfaceV2Config => ({ routerId: p.router, subnetId: p.subnet }),
  },
});

/**
 * A node's port on the private subnet, carrying its security groups.
 * Attribute `privateIp`: the port's first fixed IP.
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::Port
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_port_v2
 */
export const PORT = defineKind<{
  name: Value;
  network: Value;
  subnet: Value;
  securityGroups: Value;
  allowedAddressPairs?: readonly string[];
  /** A fixed address (outside the allocation pool). @default - Neutron picks one from the pool */
  ipAddress?: Value;
}>({
  name: 'port',
  hot: {
    type: 'OS::Neutron::Port',
    properties: (p) => ({
      name: p.name,
      network: p.network,
      fixed_ips: [{ subnet: p.subnet, ...(p.ipAddress !== undefined ? { ip_address: p.ipAddress } : {}) }],
      security_groups: p.securityGroups,
      ...(p.allowedAddressPairs ? { allowed_address_pairs: p.allowedAddressPairs.map((ip: string) => ({ ip_address: ip })) } : {}),
    }),
    attrs: { privateIp: ['fixed_ips', 0, 'ip_address'] },
  },
  tf: {
    type: 'openstack_networking_port_v2',
    config: (p): port.NetworkingPortV2Config => ({
      name: p.name,
      networkId: p.network,
      fixedIp: [{ subnetId: p.subnet, ...(p.ipAddress !== undefined ? { ipAddress: p.ipAddress } : {}) }],
      securityGroupIds: p.securityGroups,
      adminStateUp: true,
      ...(p.allowedAddressPairs ? { allowedAddressPairs: p.allowedAddressPairs.map((ipAddress: string) => ({ ipAddress })) } : {}),
    }),
    attrs: { privateIp: 'all_fixed_ips[0]' },
  },
});

/**
 * A floating IP on the external network, bound to a port.
 * Attribute `address`: the floating IP address.
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::FloatingIP
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_floatingip_v2
 */
export const FLOATING_IP = defineKind<{ externalNetwork: Value; port?: Value; description?: Value }>({
  name: 'floating-ip',
  hot: {
    type: 'OS::Neutron::FloatingIP',
    properties: (p) => ({ floating_network: p.externalNetwork, port_id: p.port }),
    attrs: { address: ['floating_ip_address'] },
  },
  tf: {
    type: 'openstack_networking_floatingip_v2',
    config: (p): fip.NetworkingFloatingipV2Config => ({ pool: p.externalNetwork, portId: p.port, description: p.description }),
    attrs: { address: 'address' },
  },
});

/**
 * A floating IP bound to a port after both exist (the floating IP's address
 * is known before the port's owner, e.g. a load balancer, is ACTIVE).
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::FloatingIPAssociation
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_floatingip_associate_v2
 */
export const FLOATING_IP_ASSOCIATION = defineKind<{ floatingIp: Value; address: Value; port: Value }>({
  name: 'floating-ip-association',
  hot: {
    type: 'OS::Neutron::FloatingIPAssociation',
    properties: (p) => ({ floatingip_id: p.floatingIp, port_id: p.port }),
  },
  tf: {
    type: 'openstack_networking_floatingip_associate_v2',
    config: (p): fipa.NetworkingFloatingipAssociateV2Config => ({ floatingIp: p.address, portId: p.port }),
  },
});
