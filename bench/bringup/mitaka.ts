/**
 * The dependency graph of Magnum Mitaka's Kubernetes bay templates
 * (magnum/templates/kubernetes/{kubecluster,kubemaster,kubeminion}.yaml,
 * Mitaka era; see also ../../../shared/seed/magnum-k8s-bay.txt), reduced
 * to what the bring-up model needs: each resource's type and the resources
 * it depends on (`depends_on`, `get_resource`, `get_attr`). Parameters-only
 * SoftwareConfig parts (no dependencies, no duration) are left out; the
 * ones that carry a dependency into the server's user data are kept.
 *
 * Facts this encodes (read from the templates, not copied):
 * - LBaaS v1 pools (with their VIP) and health monitors, no Octavia;
 * - kube_masters depends on extrouter_inside and, through its properties,
 *   on the API pool, its floating IP and the etcd pool;
 * - kube_minions depends on extrouter_inside and on kube_masters
 *   (`depends_on`), i.e. on every master's wait condition;
 * - a node's user data refers to its port, its Cinder volume and its wait
 *   handle, so the server waits for the volume; the wait condition depends
 *   on the server.
 */
import type { SpecResource, StackSpec } from './model';

const r = (type: string, ...deps: string[]): SpecResource => ({ type, deps });

/** Mitaka's graph with the given node counts (the example bay's by default). */
export function mitakaSpec(counts: { masters?: number; minions?: number } = {}): StackSpec {
  const kubecluster: Record<string, SpecResource> = {
    fixed_network: r('OS::Neutron::Net'),
    fixed_subnet: r('OS::Neutron::Subnet', 'fixed_network'),
    extrouter: r('OS::Neutron::Router'),
    extrouter_inside: r('OS::Neutron::RouterInterface', 'extrouter', 'fixed_subnet'),
    secgroup_base: r('OS::Neutron::SecurityGroup'),
    secgroup_kube_master: r('OS::Neutron::SecurityGroup'),
    secgroup_kube_minion: r('OS::Neutron::SecurityGroup'),
    api_monitor: r('OS::Neutron::HealthMonitor'),
    api_pool: r('OS::Neutron::Pool', 'api_monitor', 'fixed_subnet'),
    api_pool_floating: r('OS::Neutron::FloatingIP', 'extrouter_inside', 'api_pool'),
    etcd_monitor: r('OS::Neutron::HealthMonitor'),
    etcd_pool: r('OS::Neutron::Pool', 'etcd_monitor', 'fixed_subnet'),
    kube_masters: {
      type: 'OS::Heat::ResourceGroup',
      deps: ['extrouter_inside', 'api_pool_floating', 'api_pool', 'etcd_pool', 'fixed_network', 'fixed_subnet', 'secgroup_base', 'secgroup_kube_master'],
      group: { template: 'kubemaster.yaml', count: counts.masters ?? 1, role: 'master' },
    },
    kube_minions: {
      type: 'OS::Heat::ResourceGroup',
      deps: ['extrouter_inside', 'kube_masters', 'api_pool', 'etcd_pool', 'fixed_network', 'fixed_subnet', 'secgroup_kube_minion'],
      group: { template: 'kubeminion.yaml', count: counts.minions ?? 2, role: 'minion' },
    },
  };
  const node = (role: 'master' | 'minion', server: string, members: Record<string, SpecResource>): Record<string, SpecResource> => ({
    [`${role}_wait_handle`]: r('OS::Heat::WaitConditionHandle'),
    [`${role}_wait_condition`]: r('OS::Heat::WaitCondition', server, `${role}_wait_handle`),
    write_heat_params: r('OS::Heat::SoftwareConfig', `kube_${role}_eth0`, 'docker_volume', `${role}_wait_handle`),
    [`${role}_wc_notify`]: r('OS::Heat::SoftwareConfig', `${role}_wait_handle`),
    [`kube_${role}_init`]: r('OS::Heat::MultipartMime', 'write_heat_params', `${role}_wc_notify`),
    [server]: r('OS::Nova::Server', `kube_${role}_init`, `kube_${role}_eth0`),
    [`kube_${role}_eth0`]: r('OS::Neutron::Port'),
    [`kube_${role}_floating`]: r('OS::Neutron::FloatingIP', `kube_${role}_eth0`),
    docker_volume: r('OS::Cinder::Volume'),
    docker_volume_attach: r('OS::Cinder::VolumeAttachment', server, 'docker_volume'),
    ...members,
  });
  return {
    root: 'kubecluster.yaml',
    templates: {
      'kubecluster.yaml': kubecluster,
      'kubemaster.yaml': node('master', 'kube_master', {
        api_pool_member: r('OS::Neutron::PoolMember', 'kube_master_eth0'),
        etcd_pool_member: r('OS::Neutron::PoolMember', 'kube_master_eth0'),
      }),
      'kubeminion.yaml': node('minion', 'kube-minion', {}),
    },
  };
}
