/**
 * Assumed durations of the bring-up model (seconds from "the orchestrator
 * asks" to "the resource is COMPLETE / the node reports ready").
 *
 * These are assumptions, not measurements: there is no cloud here. They are
 * the round numbers (Octavia load balancer ≈ 90 s, server boot ≈
 * 60 s, node bootstrap ≈ 240 s) and, for the rest, the orders of magnitude
 * an OpenStack operator sees (one Neutron/Nova/Cinder API call and its
 * agent: a few seconds). The same table is used for kubebay and for
 * Magnum Mitaka's templates, so the comparison is one of dependency graphs,
 * not of clouds or bootstrap scripts. Change a number here and the
 * BENCHMARKS.md section shows the effect (`node dist/bench/bringup/run.js`).
 */

/** Seconds per resource type (HOT and Terraform types side by side). */
export const RESOURCE_SECONDS: Readonly<Record<string, number>> = {
  // Neutron API objects: a call and an agent update (≈ 1–5 s).
  'OS::Neutron::Net': 2, openstack_networking_network_v2: 2,
  'OS::Neutron::Subnet': 2, openstack_networking_subnet_v2: 2,
  // a router with an external gateway: the L3 agent plugs the gateway port
  'OS::Neutron::Router': 5, openstack_networking_router_v2: 5,
  'OS::Neutron::RouterInterface': 3, openstack_networking_router_interface_v2: 3,
  'OS::Neutron::SecurityGroup': 1, openstack_networking_secgroup_v2: 1,
  'OS::Neutron::SecurityGroupRule': 1, openstack_networking_secgroup_rule_v2: 1,
  'OS::Neutron::Port': 2, openstack_networking_port_v2: 2,
  'OS::Neutron::FloatingIP': 3, openstack_networking_floatingip_v2: 3,
  'OS::Neutron::FloatingIPAssociation': 2, openstack_networking_floatingip_associate_v2: 2,
  // Octavia (amphora driver): the load balancer boots a service VM (the issue: ≈ 90 s);
  // each child object puts the LB in PENDING_UPDATE while the amphora reloads haproxy (≈ 10 s).
  'OS::Octavia::LoadBalancer': 90, openstack_lb_loadbalancer_v2: 90,
  'OS::Octavia::Listener': 10, openstack_lb_listener_v2: 10,
  'OS::Octavia::Pool': 10, openstack_lb_pool_v2: 10,
  'OS::Octavia::HealthMonitor': 10, openstack_lb_monitor_v2: 10,
  'OS::Octavia::PoolMember': 10, openstack_lb_member_v2: 10,
  // Neutron LBaaS v1 (Magnum Mitaka): haproxy in a namespace on the network node, no VM.
  'OS::Neutron::Pool': 10,
  'OS::Neutron::HealthMonitor': 1,
  'OS::Neutron::PoolMember': 3,
  // Nova and Cinder.
  'OS::Nova::ServerGroup': 1, openstack_compute_servergroup_v2: 1,
  // schedule, build, boot to ACTIVE (the issue: ≈ 60 s); the node's bootstrap is separate (below)
  'OS::Nova::Server': 60, openstack_compute_instance_v2: 60,
  'OS::Cinder::Volume': 10, openstack_blockstorage_volume_v3: 10,
  'OS::Cinder::VolumeAttachment': 10, openstack_compute_volume_attach_v2: 10,
  // Heat-internal: database rows only.
  'OS::Heat::WaitConditionHandle': 0,
  'OS::Heat::SoftwareConfig': 0,
  'OS::Heat::MultipartMime': 0,
  // A wait condition completes when its node signals: see NODE_BOOTSTRAP.
  'OS::Heat::WaitCondition': 0,
  // Terraform-internal: the guard of the deployed master count (a state record, no API call).
  terraform_data: 0,
};

/**
 * A node's bootstrap after its server is ACTIVE (the issue: ≈ 240 s),
 * in two parts:
 * - `prepare`: cloud-init, packages, container runtime, images — needs
 *   nothing from other nodes;
 * - `finish`: kubeadm init (first master) or kubeadm join (other masters,
 *   minions) up to a running kubelet — a join needs the first master's API.
 * The same for kubebay and for Mitaka (whose Atomic images were faster in
 * reality): only the order differs.
 */
export const NODE_BOOTSTRAP = { prepare: 180, finish: 60 } as const;

/** Types that stand for a node's bootstrap (HOT: the wait condition the node signals). */
export const WAIT_TYPES: readonly string[] = ['OS::Heat::WaitCondition'];

/** Seconds of one resource type; unknown types are an error (the table must cover every type). */
export function secondsOf(type: string): number {
  const s = RESOURCE_SECONDS[type];
  if (s === undefined) throw new Error(`bring-up model: no duration for resource type ${type}; add it to bench/bringup/durations.ts`);
  return s;
}
