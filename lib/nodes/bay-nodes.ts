/**
 * A group of Kubernetes nodes (Magnum's kube_masters / kube_minions): per
 * node a port, a server, an optional floating IP, an optional Cinder volume
 * for container storage, load-balancer pool memberships and a wait
 * condition the node signals when its kubelet is up.
 */
import { Construct } from 'constructs';
import { Condition, If, Join, Value } from '../core/expr';
import { BayResource, NodeGroup, NodeGroupProps } from '../core/model';
import { BayLoadBalancer } from '../loadbalancer/bay-load-balancer';
import { FLOATING_IP, PORT } from '../network/kinds';
import { IBayNetwork } from '../network/bay-network';
import { IMAGE_LOOKUP, SERVER, SERVER_WAIT_CONDITION, VOLUME, VOLUME_ATTACHMENT, WAIT_CONDITION, WAIT_HANDLE } from './kinds';

/** The role of a group's nodes: control plane (master) or worker (minion). */
export type NodeRole = 'master' | 'minion';

/** What a node's user data may refer to. */
export interface NodeContext {
  /** The node's key in its group ('0', '1', ...). */
  readonly key: Value;
  /** The Cinder volume's id, or '' when the node has none. */
  readonly volumeId: Value;
  /** Command prefix that signals the node's wait condition (Terraform: `true`). */
  readonly waitNotify: Value;
  /** The node's private IP (its port's). */
  readonly privateIp: Value;
  /** The node's floating IP, when `addressInUserData` and the nodes have one. @default - none */
  readonly floatingIp?: Value;
}

/**
 * Names of a group's elements (public API: renaming replaces the nodes).
 * Defaults, from the role: group `kube_<role>s`, resources `<role>_port`,
 * `<role>_server`..., servers `<bay>-<role>-<key>`, template `kube<role>.yaml`.
 */
export interface BayNodesNaming {
  /** Construct id of the node group (`kube_minions`). */
  readonly group: string;
  /** Prefix of the construct ids of the per-node resources (`minion`). */
  readonly resource: string;
  /** Middle part of the server names (`minion`). */
  readonly server: string;
  /** File name of the HOT nested template (`kubeminion.yaml`). */
  readonly template: string;
}

/** Props of `BayNodes`. The bay resolves its defaults before; values may be parameter references. */
export interface BayNodesProps {
  /** The nodes' role: the default names and the user data depend on it. */
  readonly role: NodeRole;
  /** Names of the group's elements. @default - from the role */
  readonly naming?: BayNodesNaming;
  /** Bay name: servers are named `<name>-<role>-<key>`. */
  readonly bayName: string;
  /** Number of nodes (usually the `number_of_<role>s` parameter). */
  readonly count: Value;
  /** Node keys to remove (minions). @default - none */
  readonly removalList?: Value;
  /** Glance image (name) every node boots from. */
  readonly image: Value;
  /** Nova flavor of every node. */
  readonly flavor: Value;
  /** Nova keypair of every node. */
  readonly keyName: Value;
  /** Network of the nodes' ports; the nodes wait for its `readyAfter`. */
  readonly network: IBayNetwork;
  /** Ids of the security groups of every node's port. */
  readonly securityGroups: readonly Value[];
  /** External network for a floating IP per node. @default - no floating IPs */
  readonly floatingIpNetwork?: Value;
  /** Size of a Cinder volume per node, created while `volumeCondition` holds. @default - no volume */
  readonly volume?: { readonly size: Value; readonly condition: Condition; readonly type?: Value };
  /** Nova and Cinder availability zone of the nodes and their volumes. @default - the cloud's default */
  readonly availabilityZone?: Value;
  /** Boot every node from a new volume of this size (GiB) and type, made from `image`. @default - boot from the image */
  readonly bootVolume?: { readonly size: Value; readonly type?: Value };
  /** Load balancers each node joins as a member. @default [] */
  readonly loadBalancers?: readonly BayLoadBalancer[];
  /** Nova server group (anti-affinity) of the nodes. @default - none */
  readonly serverGroup?: BayResource<any>;
  /** Seconds a node may take to signal its wait condition (HOT; Terraform has no wait condition). */
  readonly waitTimeout: Value;
  /** Terraform create timeout of the servers, in minutes. @default - none */
  readonly createTimeoutMinutes?: number;
  /** The node's user data. */
  readonly userData: (node: NodeContext) => Value;
  /** HOT: what a user-data change does to a server (see `ServerProps`). @default - REPLACE */
  readonly userDataUpdatePolicy?: Value;
  /** HOT rolling update of the group (see `NodeGroupProps.rollingUpdate`). @default - none */
  readonly rollingUpdate?: NodeGroupProps['rollingUpdate'];
  /** Resources or groups to create first. @default - the network's readyAfter */
  readonly dependsOn?: readonly (BayResource<any> | NodeGroup)[];
  /**
   * Addresses (CIDRs) the nodes' ports may send from besides their own
   * (Neutron allowed_address_pairs): the pod network with flannel's host-gw
   * backend, whose pod traffic leaves the node unencapsulated.
   * @default - none
   */
  readonly allowedAddressPairs?: readonly string[];
  /**
   * The user data reads the node's floating IP (`NodeContext.floatingIp`):
   * the floating IP is declared before the server (the API on a master
   * without a load balancer).
   * @default false
   */
  readonly addressInUserData?: boolean;
  /**
   * Fixed private addresses: a node's port gets `<prefix><key>` (keys 0–9,
   * outside the subnet's allocation pool; see `reservedAddresses`), and the
   * load-balancer members, whose address is then known without the node,
   * are a group of their own (`<group>_members`, HOT template
   * `kube<role>member.yaml`) — so the nodes do not wait for the pools
   * (in HOT a group waits for everything its nodes reference).
   * @default - Neutron picks each address; members inside the node group
   */
  readonly fixedAddressPrefix?: string;
}

/**
 * A group of Kubernetes nodes: a `NodeGroup` (HOT: an `OS::Heat::ResourceGroup`
 * of a nested template; Terraform: `for_each` over stable node keys) in which
 * every node has a port with the given security groups, a server booted with
 * `userData(node)`, a wait condition (HOT) and, as asked, a floating IP, a
 * Cinder volume for container storage, a boot volume and a membership in
 * each load balancer.
 */
export class BayNodes extends Construct {
  /** The node group; its key is each node's key ('0', '1', ...). */
  public readonly group: NodeGroup;
  /** Each node's port (its private IP is `attr('privateIp')`). */
  public readonly port: BayResource<any>;
  /** Each node's server. */
  public readonly server: BayResource<any>;
  /** Each node's floating IP. @default - none, unless `floatingIpNetwork` is set */
  public readonly floatingIp?: BayResource<any>;

  constructor(scope: Construct, id: string, props: BayNodesProps) {
    super(scope, id);
    const n = props.naming ?? { group: `kube_${props.role}s`, resource: props.role, server: props.role, template: `kube${props.role}.yaml` };
    const role = n.resource;
    const g = (this.group = new NodeGroup(this, n.group, {
      count: props.count,
      removalList: props.removalList,
      templateName: n.template,
      rollingUpdate: props.rollingUpdate,
      dependsOn: [...props.network.readyAfter, ...(props.dependsOn ?? [])],
      // Magnum names a node by its private IP in removal policies.
      stackId: () => this.port.attr('privateIp'),
    }));
    const name = (suffix?: string) => new Join('-', suffix ? [props.bayName, n.server, g.key, suffix] : [props.bayName, n.server, g.key]);
    // Terraform needs the image's id for a boot volume: a lookup outside the group.
    const bootImage = props.bootVolume ? new BayResource(this, `${role}_boot_image`, IMAGE_LOOKUP, { name: props.image }) : undefined;
    this.port = new BayResource(g, `${role}_port`, PORT, {
      name: name('port'),
      network: props.network.networkId,
      subnet: props.network.subnetId,
      securityGroups: [...props.securityGroups],
      ...(props.fixedAddressPrefix !== undefined ? { ipAddress: new Join('', [props.fixedAddressPrefix, g.key]) } : {}),
      ...(props.allowedAddressPairs ? { allowedAddressPairs: props.allowedAddressPairs } : {}),
    });
    const handle = new BayResource(g, `${role}_wait_handle`, WAIT_HANDLE, {});
    const volume = props.volume && this.createVolume(role, props.volume, name('containers'), props.availabilityZone);
    const floating = () =>
      new BayResource(g, `${role}_floating`, FLOATING_IP, { externalNetwork: props.floatingIpNetwork!, port: this.port.id, description: name() });
    // A user data that reads the floating IP needs it declared before the server.
    if (props.floatingIpNetwork !== undefined && props.addressInUserData) this.floatingIp = floating();
    this.server = this.createServer(role, props, name(), bootImage, {
      key: g.key,
      volumeId: volume && props.volume ? new If(props.volume.condition, volume.id, '') : '',
      waitNotify: handle.attr('curlCli'),
      privateIp: this.port.attr('privateIp'),
      floatingIp: props.addressInUserData ? this.floatingIp?.attr('address') : undefined,
    });
    if (volume && props.volume) {
      new BayResource(g, `${role}_volume_attach`, VOLUME_ATTACHMENT, { server: this.server.id, volume: volume.id }, { condition: props.volume.condition });
    }
    if (props.floatingIpNetwork !== undefined && !props.addressInUserData) this.floatingIp = floating();
    if (props.fixedAddressPrefix === undefined) {
      for (const lb of props.loadBalancers ?? []) lb.addMember(g, `${role}_${lb.node.id}_member`, this.port.attr('privateIp'));
    } else if (props.loadBalancers?.length) {
      this.createMemberGroup(n.group, role, props, props.fixedAddressPrefix);
    }
    const firstBoot = new BayResource(g, `${role}_wait`, WAIT_CONDITION, { handle: handle.id, timeout: props.waitTimeout }, { dependsOn: [this.server] });
    // HOT: re-armed with each replacement of the server (see SERVER_WAIT_CONDITION).
    new BayResource(g, `${role}_wait_server`, SERVER_WAIT_CONDITION, {
      handle: handle.id,
      timeout: props.waitTimeout,
      signals: firstBoot.attr('data'),
      server: this.server.id,
    });
  }

  /** The nodes' load-balancer members as a group of their own, on the nodes' fixed addresses (same keys). */
  private createMemberGroup(group: string, role: string, props: BayNodesProps, prefix: string): void {
    const members = new NodeGroup(this, `${group}_members`, {
      count: props.count,
      removalList: props.removalList,
      templateName: `kube${role}member.yaml`,
    });
    for (const lb of props.loadBalancers ?? []) lb.addMember(members, `${role}_${lb.node.id}_member`, new Join('', [prefix, members.key]));
  }

  /** A node's Cinder volume for container storage, created while the volume's condition holds. */
  private createVolume(role: string, volume: NonNullable<BayNodesProps['volume']>, name: Value, zone: Value): BayResource<any> {
    return new BayResource(
      this.group,
      `${role}_volume`,
      VOLUME,
      { name, size: volume.size, volumeType: volume.type, availabilityZone: zone },
      { condition: volume.condition },
    );
  }

  /** A node's server on its port, with its user data. */
  private createServer(role: string, props: BayNodesProps, name: Value, bootImage: BayResource<any> | undefined, node: NodeContext): BayResource<any> {
    return new BayResource(this.group, `${role}_server`, SERVER, {
      name,
      image: props.image,
      flavor: props.flavor,
      keyName: props.keyName,
      port: this.port.id,
      serverGroup: props.serverGroup?.id,
      availabilityZone: props.availabilityZone,
      bootVolume: bootImage && props.bootVolume && { imageId: bootImage.id, size: props.bootVolume.size, type: props.bootVolume.type },
      createTimeoutMinutes: props.createTimeoutMinutes,
      userDataUpdatePolicy: props.userDataUpdatePolicy,
      userData: props.userData(node),
    });
  }

  /** Private IPs of the nodes, in key order. */
  public get privateIps(): Value {
    return this.group.attrList(this.port, 'privateIp');
  }

  /** Floating IPs of the nodes (private IPs when the nodes have none). */
  public get publicIps(): Value {
    return this.floatingIp ? this.group.attrList(this.floatingIp, 'address') : this.privateIps;
  }
}
