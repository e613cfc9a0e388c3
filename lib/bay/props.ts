import type { IConstruct } from 'constructs';

/**
 * Props of `KubernetesBay`. The same camelCase keys are the keys of a kubebay
 * config file (`kubebay synth --config bay.yaml`).
 *
 * Every tunable that Magnum exposed as a Heat parameter becomes a parameter of
 * both outputs (HOT `parameters`, Terraform `variable`s) whose default is the
 * prop's value, so a bay can be scaled without re-synthesizing.
 */
export interface KubernetesBayProps {
  /**
   * Bay name: prefix of every OpenStack resource name and of the Kubernetes
   * node names. Lowercase letters, digits and '-', starting with a letter.
   * @default - the construct id
   */
  readonly name?: string;
  /** Glance image of every node (a systemd distribution with cloud-init: Ubuntu 22.04/24.04, Debian 12). */
  readonly image: string;
  /** Nova keypair injected into every node. */
  readonly keyName: string;
  /** Name or id of the external (provider) network for the router gateway and floating IPs. */
  readonly externalNetwork: string;
  /**
   * Use an existing network and subnet instead of creating a network, subnet
   * and router (the subnet must already route to the external network).
   * Set `fixedNetworkCidr` to the existing subnet's CIDR (the security rules
   * and load-balancer allowed CIDRs use it); `dnsNameservers` cannot be set
   * with it (the existing subnet keeps its own).
   * @default - a new network, subnet and router
   */
  readonly existingNetwork?: { readonly networkId: string; readonly subnetId: string };
  /** Nova flavor of the masters. @default 'm1.medium' */
  readonly masterFlavor?: string;
  /** Nova flavor of the minions. @default 'm1.medium' */
  readonly minionFlavor?: string;
  /**
   * Number of masters (etcd members), 1-99; odd numbers keep etcd quorum (an
   * even count is accepted with a warning).
   * @default 1
   */
  readonly masterCount?: number;
  /**
   * Number of minions (workers), 0-10000. 0 is allowed and makes a
   * control-plane-only bay (kubeadm taints the masters, so workload pods
   * stay Pending until minions are added).
   * @default 1
   */
  readonly minionCount?: number;
  /**
   * CIDR of the bay's private subnet (RFC 1918 or CGNAT unless
   * `allowPublicFixedNetwork`): an IPv4 network address, disjoint from
   * `portalNetworkCidr` and `podNetworkCidr`, with room for every node plus
   * the router, DHCP and load-balancer ports.
   * @default '10.0.0.0/24'
   */
  readonly fixedNetworkCidr?: string;
  /** DNS nameservers of the private subnet (not with `existingNetwork`). @default ['8.8.8.8'] */
  readonly dnsNameservers?: string[];
  /** Kubernetes service CIDR (Magnum's `portal_network_cidr`). @default '10.254.0.0/16' */
  readonly portalNetworkCidr?: string;
  /** Pod network CIDR used by flannel. @default '10.100.0.0/16' */
  readonly podNetworkCidr?: string;
  /** Size in GiB of the Cinder volume for container storage on every node; 0 = none. @default 0 */
  readonly dockerVolumeSize?: number;
  /**
   * Port of the Kubernetes API on the load balancer and the masters, 1-65535;
   * not SSH, etcd (2379-2380), kubelet (10250, 10255), scheduler/controller
   * ports, 8080/7080, nor inside the NodePort range. The `kubernetes_port`
   * parameter (HOT) / variable (Terraform) refuses the same ports at deploy
   * time (`lib/security/api-port.ts`).
   * @default 6443
   */
  readonly kubernetesPort?: number;
  /**
   * Protocol of the API listener and pool: 'TCP' (TLS passes through) or
   * 'HTTPS'. 'HTTP' is rejected: the Kubernetes API always serves TLS.
   * @default 'TCP'
   */
  readonly loadBalancingProtocol?: 'TCP' | 'HTTPS';
  /** Give every node a floating IP. @default true */
  readonly floatingIps?: boolean;
  /** Put an internal load balancer on etcd (2379) in front of the masters. @default true */
  readonly etcdLoadBalancer?: boolean;
  /**
   * Load-balancer API of the HOT output: 'octavia' (`OS::Octavia::*`) or
   * 'lbaas-v1' (`OS::Neutron::Pool`, as Magnum Mitaka did; HOT only — the
   * Terraform target refuses it).
   * @default 'octavia'
   */
  readonly loadBalancerApi?: 'octavia' | 'lbaas-v1';
  /**
   * Minion keys (node indices such as '3') or private IPs (HOT only) to remove
   * on the next update; each must name an existing minion (with `minionCount`
   * already lowered by the number removed).
   * @default []
   */
  readonly minionsToRemove?: string[];
  /**
   * Create timeout in minutes: a number sets it, 0 means no timeout.
   * @default - 60 (the library default, as Magnum's `bay_create_timeout`)
   */
  readonly createTimeoutMinutes?: number;
  /** Kubernetes minor version installed at boot (`v1.31`), or the full patch version. @default 'v1.31' */
  readonly kubernetesVersion?: string;
  /**
   * Take containerd, kubelet and kubeadm as already installed in the image
   * instead of installing them at boot from the Kubernetes package repositories.
   * @default false
   */
  readonly preinstalledPackages?: boolean;
  /** Seconds each node may take to signal that its kubelet is up (HOT wait conditions). @default 3600 */
  readonly waitConditionTimeout?: number;
  /**
   * CIDRs allowed to reach the Kubernetes API (security rules and the Octavia
   * listener's allowed_cidrs). Restricting it requires `loadBalancerApi:
   * 'octavia'`: an LBaaS v1 VIP cannot filter sources.
   * @default ['0.0.0.0/0'] (with a warning)
   */
  readonly apiAllowedCidrs?: string[];
  /** CIDRs allowed to reach SSH (22) on every node. @default [] (no SSH from outside) */
  readonly sshAllowedCidrs?: string[];
  /** CIDRs allowed to reach NodePorts (30000-32767) on the minions. @default [] */
  readonly nodePortAllowedCidrs?: string[];
  /**
   * Escape hatch: let `apiAllowedCidrs`/`sshAllowedCidrs`/`nodePortAllowedCidrs`
   * open etcd, kubelet or insecure API ports to the world. Never needed by the
   * topology itself.
   * @default false
   */
  readonly allowInsecureWorldRules?: boolean;
  /** RSA key size of the bay's CAs and keys. @default 2048 */
  readonly keySize?: 2048 | 4096;
  /**
   * Directory of the certificate store; the bay's material lives in `<pkiDir>/<name>/`.
   * @default '.kubebay/pki'
   */
  readonly pkiDir?: string;
  /**
   * Bring your own cluster CA (PEM files) instead of a generated one.
   * @default - a CA generated once and kept in the store
   */
  readonly clusterCa?: { readonly certFile: string; readonly keyFile: string };
  /**
   * Minions replaced at once when an update changes their definition (HOT:
   * the minion ResourceGroup's `rolling_update` `max_batch_size`, parameter
   * `update_max_batch_size`, as Magnum's; Terraform: the default batch of
   * `kubebay roll`). Masters always roll one at a time.
   * @default 1
   */
  readonly updateMaxBatchSize?: number;
  /**
   * Seconds Heat waits after replacing one master before it replaces the next
   * (HOT `rolling_update` `pause_time` of the masters, parameter
   * `master_update_pause_time`): the time a replacement master needs to boot
   * and join etcd. Heat cannot tell when it has (see README "Day 2").
   * Shortened when the pauses of one update would exceed the stack timeout
   * (`createTimeoutMinutes`), which Heat refuses.
   * @default 600
   */
  readonly masterUpdatePauseTime?: number;
  /**
   * Called with a line per step while PKI material is generated (RSA key
   * generation takes seconds). Not a config-file key: tools pass it in code.
   * @default - silent
   */
  readonly pkiProgress?: (message: string) => void;
  /**
   * The cdktf OpenStack provider configuration the bay's Terraform resources
   * use (`provider` meta-argument): an aliased provider for a second region or
   * cloud. Any binding class works (kubebay's `kubebay/openstack`, or the
   * user's own from `cdktf get`): it is recognised by its Terraform provider
   * type `openstack`. Ignored by HOT synthesis (Heat deploys into the cloud of
   * the `openstack stack create` credentials). Not a config-file key.
   * @default - the stack's default (unaliased) `openstack` provider; kubebay
   * adds an empty one (auth from `OS_*`/`clouds.yaml`) when the stack declares
   * none, and never a second one
   */
  readonly provider?: IConstruct;
  /**
   * Accept a `fixedNetworkCidr` outside the private ranges (RFC 1918
   * 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and CGNAT 100.64.0.0/10), e.g.
   * an `existingNetwork` whose subnet has public addresses. The security
   * rules open etcd (with the etcd load balancer) and the Kubernetes API to
   * the whole bay subnet; a world-like subnet still fails the rule lint
   * unless `allowInsecureWorldRules`.
   * @default false
   */
  readonly allowPublicFixedNetwork?: boolean;
}
