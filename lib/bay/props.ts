import type { BayPki } from '../pki';
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
  /**
   * Put an internal load balancer on etcd (2379) in front of the masters
   * (Magnum parity). Nothing uses it: kubeadm's stacked etcd is reached by
   * each apiserver on its own master, and etcd's certificates do not cover
   * the VIP; it opens 2379 to the bay subnet while it exists.
   * @default false
   */
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
   * Lifetime of the bootstrap token the first master creates (kubeadm `ttl`:
   * `24h`, `90m`, `1h30m`; `0s` never expires). The token sits in every
   * node's user data; once it expired, nodes added or replaced later join
   * only after `kubebay token create` re-armed it (nothing is replaced).
   * @default '24h'
   */
  readonly bootstrapTokenTtl?: string;
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
   * The bay's PKI material, made by the caller (e.g. `loadBayPki(dir, name,
   * opts)`, or material held elsewhere): the bay then reads no store and
   * generates no key. `pkiDir`, `keySize`, `clusterCa` and `pkiProgress`
   * only concern the default. Not a config-file key. Such a bay has no
   * record: its first master checks flannel's manifest only with
   * `flannelManifest` (e.g. `{ url: FLANNEL_MANIFEST_URL, sha256:
   * FLANNEL_MANIFEST_SHA256 }`, the pinned release's).
   * @default - the bay's material in the store under `pkiDir` (generated there once)
   */
  readonly pki?: BayPki;
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
  /**
   * PEM file with the CA bundle of the cloud's API endpoints (Magnum's
   * `openstack_ca`), for clouds whose Keystone/Heat/Nova certificates come
   * from a private CA. Installed into every node's system trust store before
   * the node calls the cloud (wait-condition signals), and given to the
   * cloud-controller-manager and Cinder CSI as their `ca-file`.
   * @default - none: the nodes trust their image's public CAs
   */
  readonly openstackCaFile?: string;
  /**
   * Keystone v3 URL of the cloud, for the cloud-controller-manager and Cinder
   * CSI (`auth-url` of their cloud.conf). Required with `applicationCredential`.
   * @default - none
   */
  readonly openstackAuthUrl?: string;
  /** Region of the cloud (`region` of the controllers' cloud.conf). @default 'RegionOne' */
  readonly openstackRegion?: string;
  /**
   * OpenStack application credential of the in-cluster controllers
   * (cloud-controller-manager, Cinder CSI): its id, and a file holding its
   * secret. The secret never enters a template: HOT reads it from a hidden
   * parameter (its value in `secrets.env.yaml`), Terraform from the file at
   * apply time as a sensitive value. Only the first master receives it, as
   * the kube-system Secret `cloud-config`.
   * @default - none: no cloud integration (as without it before)
   */
  readonly applicationCredential?: { readonly id: string; readonly secretFile: string };
  /**
   * Run the OpenStack cloud-controller-manager: kubelets with
   * `cloud-provider=external`; Services of type LoadBalancer get Octavia
   * load balancers; nodes get their addresses and zones from the cloud.
   * Needs `applicationCredential`.
   * @default - true when `applicationCredential` is given
   */
  readonly cloudControllerManager?: boolean;
  /**
   * Deploy the Cinder CSI plugin with a default StorageClass (`csi-cinder`),
   * so PersistentVolumeClaims get Cinder volumes. Needs `applicationCredential`.
   * @default - true when `applicationCredential` is given
   */
  readonly cinderCsi?: boolean;
  /**
   * Worker node groups beside the default minions (Magnum nodegroups): each
   * a resource group of its own (HOT `OS::Heat::ResourceGroup` of
   * `kubenodegroup-<name>.yaml`, Terraform `for_each`), with its own
   * parameters `nodegroup_<name>_*` and outputs `nodegroup_<name>_nodes*`.
   * Adding or removing a group leaves the masters, the minions and the other
   * groups untouched.
   * @default [] (masters and minions only)
   */
  readonly nodeGroups?: BayNodeGroup[];
  /**
   * Nova (and Cinder) availability zone of the masters, the minions and their
   * volumes (Magnum's `availability_zone`); node groups default to it.
   * @default - the cloud's default zone
   */
  readonly availabilityZone?: string;
  /** Nova server-group policy of the masters. @default 'soft-anti-affinity' */
  readonly masterAffinityPolicy?: AffinityPolicy;
  /** Nova server-group policy of the minions (Magnum's `nodes_affinity_policy`). @default - no server group */
  readonly nodesAffinityPolicy?: AffinityPolicy;
  /** Cinder volume type of the container-storage volumes (Magnum's `docker_volume_type`); node groups default to it. @default - the cloud's default type */
  readonly dockerVolumeType?: string;
  /** Glance image of the masters (Magnum's `master_image`). @default - `image` */
  readonly masterImage?: string;
  /** Glance image of the minions (node groups default to `image`). @default - `image` */
  readonly minionImage?: string;
  /**
   * A floating IP on the API load balancer (Magnum's
   * `master_lb_floating_ip_enabled`). false keeps the API internal: clients
   * reach it on the VIP, from the bay's network or a routed one.
   * @default true
   */
  readonly masterLbFloatingIp?: boolean;
  /** Octavia provider of the load balancers (Magnum's `octavia_provider`, e.g. 'amphora', 'ovn'). @default - the cloud's default provider */
  readonly octaviaProvider?: string;
  /**
   * Octavia pool algorithm (Magnum's `octavia_lb_algorithm`): 'ROUND_ROBIN',
   * 'LEAST_CONNECTIONS', 'SOURCE_IP' or 'SOURCE_IP_PORT' (the only one of the
   * ovn provider).
   * @default 'ROUND_ROBIN'
   */
  readonly octaviaLbAlgorithm?: 'ROUND_ROBIN' | 'LEAST_CONNECTIONS' | 'SOURCE_IP' | 'SOURCE_IP_PORT';
  /**
   * Extra kubelet flags on every node (flag name without `--` → value;
   * Magnum's `kubelet_options`), kubeadm `nodeRegistration.kubeletExtraArgs`.
   * Changing flags changes the user data, which replaces the servers.
   * @default - none
   */
  readonly kubeletExtraArgs?: Readonly<Record<string, string>>;
  /** Extra kube-apiserver flags (Magnum's `kubeapi_options`), kubeadm `apiServer.extraArgs`. @default - none */
  readonly apiServerExtraArgs?: Readonly<Record<string, string>>;
  /** Extra kube-controller-manager flags (Magnum's `kubecontroller_options`). @default - none */
  readonly controllerManagerExtraArgs?: Readonly<Record<string, string>>;
  /** Extra kube-scheduler flags (Magnum's `kubescheduler_options`). @default - none */
  readonly schedulerExtraArgs?: Readonly<Record<string, string>>;
  /**
   * kube-proxy settings as KubeProxyConfiguration fields (e.g. `{ mode:
   * 'ipvs' }`; Magnum's `kubeproxy_options` were flags: kubeadm configures
   * kube-proxy only through this document).
   * @default - none (kubeadm's defaults)
   */
  readonly kubeProxyConfig?: Readonly<Record<string, unknown>>;
  /**
   * Magnum labels (`kube_tag`, `availability_zone`, `kubelet_options`, ...):
   * each supported label sets its prop (given both, they must agree); Magnum
   * labels kubebay does not support are ignored with a warning saying why;
   * any other label is an error. README "Magnum options and labels" lists them.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Boot every node (masters, minions, node groups) from a new Cinder volume
   * of this size in GiB, made from its image and deleted with the server
   * (Magnum's `boot_volume_size`); 0 boots from the image on the flavor's disk.
   * @default 0
   */
  readonly bootVolumeSize?: number;
  /**
   * Cinder volume type of the boot volumes (Magnum's `boot_volume_type`).
   * Terraform only: Heat's `block_device_mapping_v2` has no volume type.
   * @default - the cloud's default type
   */
  readonly bootVolumeType?: string;
  /**
   * DNS domain of the cluster's services (Magnum's `dns_cluster_domain`):
   * kubeadm `networking.dnsDomain`, the API certificate's names, every
   * kubelet's clusterDomain.
   * @default 'cluster.local'
   */
  readonly dnsClusterDomain?: string;
  /**
   * Proxy of the nodes' plain-HTTP egress (Magnum's `http_proxy`), an
   * `http://host:port` URL: apt, containerd's image pulls, the kubelet,
   * kubeadm and the bootstrap's downloads use it. A URL with credentials is
   * refused: user data is readable from every node (and from Heat or the
   * Terraform state), so authorize the nodes by address instead.
   * @default - none (direct egress)
   */
  readonly httpProxy?: string;
  /** Proxy of the nodes' HTTPS egress (Magnum's `https_proxy`), as `httpProxy`. @default - none */
  readonly httpsProxy?: string;
  /**
   * More hosts reached without the proxy (Magnum's `no_proxy`): names,
   * `.domain` suffixes, addresses or CIDRs. The bay subnet, the service and
   * pod networks, the API addresses, localhost, the metadata service,
   * `.svc` and the cluster domain are always included. Add the cloud's API
   * endpoints (Heat's signal URL) when the proxy cannot reach them.
   * @default []
   */
  readonly noProxy?: string[];
  /**
   * Prefix of every container image (Magnum's `container_infra_prefix`),
   * ending in '/': `registry.example.com/k8s/` pulls
   * `registry.example.com/k8s/kube-apiserver:<tag>` (kubeadm
   * `imageRepository`), the pause, CoreDNS and etcd images, and the flannel,
   * CCM and Cinder CSI images by their last path element
   * (`<prefix>flannel:<tag>`). The registry must hold them all. The default
   * of the `container_infra_prefix` parameter (deploy-time value).
   * @default - the images' upstream registries
   */
  readonly containerInfraPrefix?: string;
  /**
   * containerd registry mirrors: registry host (`docker.io`,
   * `registry.k8s.io`, `ghcr.io`, `host:port`) → mirror URL, tried before the
   * registry itself (`/etc/containerd/certs.d/<host>/hosts.toml`).
   * @default {}
   */
  readonly registryMirrors?: Readonly<Record<string, string>>;
  /**
   * Registries (`host` or `host:port`) containerd reaches without verifying
   * TLS, or over plain HTTP (Magnum's `insecure_registry`). The default of
   * the `insecure_registry_url` parameter (comma-separated; deploy-time value).
   * @default []
   */
  readonly insecureRegistries?: string[];
  /**
   * Address of the cluster DNS Service (Magnum's `dns_service_ip`): inside
   * `portalNetworkCidr`, not its network, broadcast or first address (the
   * `kubernetes` Service).
   * @default - the 10th address of `portalNetworkCidr`, as kubeadm (10.254.0.10)
   */
  readonly dnsServiceIp?: string;
  /**
   * flannel backend (Magnum's `flannel_backend`): 'vxlan' or 'host-gw'
   * (routes between nodes: they must share the bay subnet, which they do).
   * 'udp' is refused: flannel documents it for debugging only.
   * @default 'vxlan'
   */
  readonly flannelBackend?: 'vxlan' | 'host-gw';
  /**
   * Prefix length of each node's pod subnet (Magnum's
   * `flannel_network_subnetlen`; the controller-manager's
   * `node-cidr-mask-size`): longer than `podNetworkCidr`'s prefix, with a
   * subnet for every node of the bay.
   * @default 24
   */
  readonly flannelNetworkSubnetlen?: number;
  /**
   * Network driver (Magnum's `network_driver`): 'flannel' or 'calico'
   * (the pinned Calico release's manifest, checked against its sha256 at
   * boot; pool = `podNetworkCidr`, as Magnum's `calico_ipv4pool`). The
   * security groups carry what the driver needs between the nodes. Changing
   * it on a running bay changes its security rules, not its CNI.
   * @default 'flannel'
   */
  readonly networkDriver?: 'flannel' | 'calico';
  /**
   * Calico's encapsulation between nodes (Magnum's `calico_ipv4pool_ipip`):
   * 'ipip' (IP protocol 4 among the nodes), 'vxlan' (UDP 4789), or 'none'
   * (pod addresses routed on the bay subnet: the ports allow the pod
   * network as an address pair). BGP (TCP 179) runs among the nodes in
   * every mode. Only with `networkDriver: 'calico'`.
   * @default 'ipip'
   */
  readonly calicoEncapsulation?: 'ipip' | 'vxlan' | 'none';
  /**
   * The Calico manifest to apply instead of the pinned release's, for clouds
   * without internet access: a copy on a reachable http(s) server and its
   * sha256 (the bootstrap applies nothing else). Its images are rewritten
   * with `containerInfraPrefix` like the release's.
   * @default - the pinned release's manifest from raw.githubusercontent.com
   */
  readonly calicoManifest?: { readonly url: string; readonly sha256: string };
  /**
   * The flannel manifest to apply instead of the pinned release's, for
   * clouds without internet access: a copy on a reachable http(s) server and
   * its sha256 (the first master applies nothing else). The pod network,
   * `flannelBackend` and `containerInfraPrefix` edit it like the release's.
   * Only with `networkDriver: 'flannel'`.
   * @default - the pinned release's manifest from raw.githubusercontent.com,
   * checked against its sha256; a bay whose record predates the check (no
   * `"flannelManifest": "checked"` in `.kubebay/bays/<bay>.json`, or a `pki`
   * prop: no record) keeps downloading the release asset unchecked, so its
   * first master's user data does not change
   */
  readonly flannelManifest?: { readonly url: string; readonly sha256: string };
  /**
   * Put the Kubernetes API behind a load balancer (Magnum's
   * `master_lb_enabled`). false, for single-master bays only, creates no
   * load balancer: the API is on the master's floating IP (its private IP
   * without `floatingIps`), the workers join it there (in HOT the minions'
   * group then waits for the master), and the API outputs name the master's
   * addresses. A second master can never be added to such a bay.
   * @default true
   */
  readonly masterLbEnabled?: boolean;
  /**
   * Fix the API address at synthesis so that the nodes do not wait for the
   * load balancer (a faster bring-up: servers boot while Octavia builds its
   * amphora). The subnet's allocation pool stops short of the top of its
   * last /24, which holds the API VIP (`.254`), the etcd VIP (`.253`) and
   * the masters (`.240` + key); the floating IP of the API is allocated at
   * once and associated with the VIP when the load balancer is ACTIVE; the
   * masters' pool members are a group of their own. `fixedNetworkCidr` is
   * then a synthesis-time choice (the HOT parameter / Terraform variable
   * accepts only it). Needs the bay's own subnet (no `existingNetwork`) of
   * /24 or larger, Octavia, `masterLbEnabled` and at most 10 masters.
   *
   * For NEW bays only: on a deployed bay it replaces the subnet, the load
   * balancer and the masters (a new API address: every kubeconfig and
   * certificate breaks). A new cdktf project turns it on for every bay with
   * the context flag `"kubebay:fixedApiVip": true` in its cdktf.json (as a
   * CDK feature flag: never add it to a project with deployed bays); an
   * explicit prop wins. The CLI reads the prop from the config file.
   * @default - the context flag `kubebay:fixedApiVip`, else false
   */
  readonly fixedApiVip?: boolean;
}

/** Taint effects the kubelet accepts. */
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** A Kubernetes taint registered by the kubelet when the node joins. */
export interface NodeTaint {
  /** Taint key (a qualified name such as `nvidia.com/gpu`). */
  readonly key: string;
  /** Taint value. @default '' */
  readonly value?: string;
  /** Taint effect. */
  readonly effect: TaintEffect;
}

/** Nova server-group policies (Magnum's `nodes_affinity_policy`). */
export type AffinityPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

/** One worker node group of a bay (`KubernetesBayProps.nodeGroups`). */
export interface BayNodeGroup {
  /**
   * Group name: lowercase letters, digits and '-', starting with a letter, at
   * most 20 characters; not 'master' or 'minion'. It names the group's
   * servers (`<bay>-<name>-<key>`), parameters and outputs: renaming a group
   * replaces its nodes.
   */
  readonly name: string;
  /** Number of nodes, 0-10000. @default 1 */
  readonly count?: number;
  /** Nova flavor of the group's nodes. @default - the bay's `minionFlavor` */
  readonly flavor?: string;
  /** Glance image of the group's nodes. @default - the bay's `image` */
  readonly image?: string;
  /** Size in GiB of a Cinder volume for container storage per node; 0 = none. @default - the bay's `dockerVolumeSize` */
  readonly dockerVolumeSize?: number;
  /** Cinder volume type of that volume. @default - the cloud's default volume type */
  readonly dockerVolumeType?: string;
  /** Nova (and Cinder) availability zone of the group's nodes and volumes. @default - the cloud's default zone */
  readonly availabilityZone?: string;
  /** Nova server-group policy of the group's nodes. @default - no server group */
  readonly affinityPolicy?: AffinityPolicy;
  /** Kubernetes labels of the group's nodes (kubelet `--node-labels`). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Taints the group's nodes register with (kubeadm `nodeRegistration.taints`). @default [] */
  readonly taints?: readonly NodeTaint[];
  /**
   * Node keys of this group to remove on the next update (with `count`
   * already lowered by the number removed), as `minionsToRemove`.
   * @default []
   */
  readonly nodesToRemove?: string[];
}
