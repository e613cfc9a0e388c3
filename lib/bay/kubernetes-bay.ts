/**
 * `KubernetesBay`: Magnum's Kubernetes bay (kubecluster.yaml) as one L3
 * construct — network, security groups, API and etcd load balancers, a
 * group of masters and a group of minions that bootstrap themselves with
 * kubeadm from the PKI generated for the bay.
 *
 * Its constructor builds the tree in named steps and writes nothing (the
 * PKI comes in as the `pki` prop, by default from the store under
 * `pkiDir`). Inside a cdktf `TerraformStack` it attaches the Terraform
 * synthesizer once its tree is complete, so its attributes are cdktf
 * references; anywhere, `synthesizeBayHot()` / `HotStack` write it as a HOT
 * template set.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { renderUserData, NodeRole as BootRole } from '../bootstrap';
import { addWarning } from '../core/annotations';
import { IBay, isBay, markBay } from '../core/bay';
import { coversAllIpv4, describeCoverage, isPrivateIpv4, isWorldLike } from '../core/cidr';
import { Condition, If, Sub, Value } from '../core/expr';
import { BayOutput, BayParameter, BayResource, BaySecret } from '../core/model';
import { setNamePrefix } from '../core/names';
import { isTerraformTarget, ITerraformAttachment, TERRAFORM_PROVIDER_CONTEXT } from '../core/target';
import { attachTerraform } from '../synth/terraform/attach';
import { b64 } from '../core/encoding';
import { atPath, ValidationError } from '../core/errors';
import { BayValidationError } from '../core/validation';
import { BayLoadBalancer } from '../loadbalancer/bay-load-balancer';
import { BayNetwork, externalNetworkLookup, IBayNetwork } from '../network/bay-network';
import { ReservedAddresses, reservedAddresses } from '../network/reserved-addresses';
import { BayNodes, BayNodesProps, NodeContext } from '../nodes/bay-nodes';
import { SERVER_GROUP } from '../nodes/kinds';
import { apiAddressIssue, BayPki, caFingerprint, loadBayPki, PkiStore, recordedFlannelCheck, renderKubeconfig } from '../pki';
import { caValidityWarnings } from '../pki/pem-errors';
import { BaySecurityGroups } from '../security/bay-security-groups';
import { NODE_PORT_RANGE } from '../security/rules';
import { DEFAULTS, ResolvedBayProps, resolveProps } from './defaults';
import { componentOptions } from './components';
import { egressOptions, egressValues, egressWarnings, registryDefaults } from './egress';
import { apiAddress } from './api-endpoint';
import { networkingOptions, routesPodNetwork } from './networking';
import { ignoredLabels } from './labels';
import { nodeGroupNaming, nodeGroupParameters, nodeGroupPrefix, ResolvedNodeGroup, resolveNodeGroup } from './node-groups';
import { KubernetesBayProps } from './props';
import { parameterDefinitions } from './parameters';
import { cloudOptions, cloudValues } from './cloud';
import { NOVA_USER_DATA_LIMIT, estimatedBase64Size } from './user-data-size';
import { isReservedId, validateProps } from './validate';

/** What every node group shares (image, keypair, network, volumes... from the bay). */
type NodeGroupCommon = Omit<BayNodesProps, 'role' | 'count' | 'flavor' | 'userData'> & { readonly securityGroups: readonly Value[] };
/**
 * Client and member data (idle) timeout of the API listener, in ms: one
 * hour, so `kubectl logs -f`, `exec`, `port-forward` and watches are not cut
 * after Octavia's default 50 s of silence.
 */
const API_DATA_TIMEOUT_MS = 3_600_000;

export class KubernetesBay extends Construct implements IBay {
  public static isKubernetesBay(x: unknown): x is KubernetesBay {
    return isBay(x);
  }

  /** The props with every default applied. */
  public readonly config: ResolvedBayProps;
  public readonly pki: BayPki;
  public readonly parameters: Readonly<Record<string, BayParameter>>;
  public readonly network: IBayNetwork;
  public readonly securityGroups: BaySecurityGroups;
  /** The API load balancer; none with `masterLbEnabled: false` (the API is on the master). */
  public readonly apiLoadBalancer?: BayLoadBalancer;
  public readonly etcdLoadBalancer?: BayLoadBalancer;
  public readonly masters: BayNodes;
  public readonly minions: BayNodes;
  /** The worker node groups of `nodeGroups`, by group name. */
  public readonly nodeGroups: Readonly<Record<string, BayNodes>>;
  public readonly outputs: Readonly<Record<string, BayOutput>>;
  /** The Terraform stack's hold on the bay, when it is built in one. */
  private readonly terraform?: ITerraformAttachment;
  /** The PKI values of the user data (public material inline, secrets as references). */
  private readonly material: Record<string, Value>;
  /** The cloud values of the user data (cloud controller, Cinder CSI). */
  private cloud: Record<string, Value> = {};
  /** The bay's record says its first master checks flannel's manifest (created since kubebay does; a `pki` prop: no record). */
  private readonly flannelChecked: boolean;

  constructor(scope: Construct, id: string, props: KubernetesBayProps) {
    super(scope, constructId(scope, id));
    markBay(this);
    const c = (this.config = resolveProps(id, withContextDefaults(this, props)));
    const errors = validateProps(c, { terraform: isTerraformTarget(this) });
    if (errors.length) throw new BayValidationError(atPath(this.node.path, errors));
    if (props.provider) this.node.setContext(TERRAFORM_PROVIDER_CONTEXT, props.provider);
    setNamePrefix(this, c.name);
    this.warnings(c);

    this.parameters = this.createParameters(c);
    if (!props.pki) assertApiAddressRecorded(this, c, props.fixedApiVip === undefined);
    this.pki = props.pki ?? loadStorePki(c, props.pkiProgress);
    this.flannelChecked = !props.pki && recordedFlannelCheck(new PkiStore(c.pkiDir).record(c.name));
    this.caWarnings();
    this.material = this.pkiMaterial();
    const external = externalNetworkLookup(this, this.param('external_network'));
    this.network = this.createNetwork(c, external);
    this.securityGroups = this.createSecurityGroups(c);
    this.apiLoadBalancer = c.masterLbEnabled ? this.createApiLoadBalancer(c, external) : undefined;
    this.etcdLoadBalancer = c.etcdLoadBalancer ? this.createEtcdLoadBalancer(c) : undefined;
    const common = this.nodeCommon(c, external);
    this.masters = this.createMasters(c, common);
    this.minions = this.createMinions(c, common);
    this.outputs = this.createOutputs(c);
    this.nodeGroups = this.createNodeGroups(c, common);
    // Inside a TerraformStack: rendered now, so the bay's attributes are cdktf references.
    this.terraform = attachTerraform(this);
  }

  /** The bay's tunables (HOT parameters, Terraform variables), defaults from the props. */
  private createParameters(c: ResolvedBayProps): Record<string, BayParameter> {
    const params: Record<string, BayParameter> = {};
    for (const [name, def] of Object.entries(parameterDefinitions(c))) params[name] = new BayParameter(this, name, def);
    return params;
  }

  /** A parameter's value. */
  private param(name: string): Value {
    return this.parameters[name].value;
  }

  /** The parameter of an option that is set, else undefined (no property). */
  private optionalParam(name: string): Value {
    return this.parameters[name]?.value;
  }

  /** A secret of the PKI store, passed by file (never inside a template); `material` is its text, for size estimates. */
  private secret(name: string, file: string, material: string, description: string, encoding: 'base64' | 'text' | 'path' = 'base64'): Value {
    return new BaySecret(this, name, { description, file: path.resolve(this.pki.files[file]), encoding, size: Buffer.byteLength(material) }).value;
  }

  /** The PKI values of the user data: secrets by reference, public material inline. */
  private pkiMaterial(): Record<string, Value> {
    return {
      CA_CRT: b64(this.pki.caCert),
      FRONT_PROXY_CA_CRT: b64(this.pki.frontProxyCaCert),
      ETCD_CA_CRT: b64(this.pki.etcdCaCert),
      SA_PUB: b64(this.pki.saPub),
      CA_CERT_HASH: this.pki.discoveryHash,
      CA_KEY: this.secret('ca_key', 'ca.key', this.pki.caKey, 'cluster CA private key (PEM, base64)'),
      FRONT_PROXY_CA_KEY: this.secret('front_proxy_ca_key', 'front-proxy-ca.key', this.pki.frontProxyCaKey, 'front-proxy CA private key (PEM, base64)'),
      ETCD_CA_KEY: this.secret('etcd_ca_key', 'etcd-ca.key', this.pki.etcdCaKey, 'etcd CA private key (PEM, base64)'),
      SA_KEY: this.secret('sa_key', 'sa.key', this.pki.saKey, 'service-account signing key (PEM, base64)'),
      BOOTSTRAP_TOKEN: this.secret('bootstrap_token', 'bootstrap-token', this.pki.bootstrapToken, 'kubeadm bootstrap token', 'text'),
    };
  }

  private createNetwork(c: ResolvedBayProps, external: BayResource<any>): IBayNetwork {
    if (c.existingNetwork) return BayNetwork.fromIds(c.existingNetwork.networkId, c.existingNetwork.subnetId);
    return new BayNetwork(this, 'network', {
      name: c.name,
      externalNetwork: external,
      cidr: this.param('fixed_network_cidr'),
      dnsNameservers: this.param('dns_nameserver'),
      allocationPool: this.reserved?.allocationPool,
    });
  }

  /** The subnet's addresses known at synthesis (`fixedApiVip`), else undefined. */
  private get reserved(): ReservedAddresses | undefined {
    const r = this.config.fixedApiVip ? reservedAddresses(this.config.fixedNetworkCidr) : undefined;
    return typeof r === 'object' ? r : undefined;
  }

  private createSecurityGroups(c: ResolvedBayProps): BaySecurityGroups {
    return new BaySecurityGroups(this, 'security', {
      name: c.name,
      kubernetesPort: c.kubernetesPort,
      apiPort: this.param('kubernetes_port'),
      fixedNetworkCidr: c.fixedNetworkCidr,
      apiAllowedCidrs: c.apiAllowedCidrs,
      sshAllowedCidrs: c.sshAllowedCidrs,
      nodePortAllowedCidrs: c.nodePortAllowedCidrs,
      etcdLoadBalancer: c.etcdLoadBalancer,
      allowInsecureWorldRules: c.allowInsecureWorldRules,
      ...(routesPodNetwork(c) ? { routedPodNetworkCidr: c.podNetworkCidr } : {}),
      ...(c.networkDriver === 'calico' ? { calicoEncapsulation: c.calicoEncapsulation } : {}),
    });
  }

  private createApiLoadBalancer(c: ResolvedBayProps, external: BayResource<any>): BayLoadBalancer {
    const world = coversAllIpv4(c.apiAllowedCidrs);
    return new BayLoadBalancer(this, 'api', {
      name: `${c.name}-api`,
      api: c.loadBalancerApi,
      subnet: this.network.subnetId,
      port: this.param('kubernetes_port'),
      protocol: this.param('loadbalancing_protocol'),
      // Nodes reach the API through the VIP from the bay subnet.
      allowedCidrs: world ? undefined : [...new Set([...c.apiAllowedCidrs, c.fixedNetworkCidr])],
      floatingIpNetwork: c.masterLbFloatingIp ? external.attr('name') : undefined,
      floatingIpAfter: this.network.readyAfter,
      provider: c.octaviaProvider,
      algorithm: this.optionalParam('octavia_lb_algorithm'),
      // Long-lived streams (watches, logs -f, exec, port-forward) outlive Octavia's 50 s default.
      dataTimeoutMs: API_DATA_TIMEOUT_MS,
      fixedVipAddress: this.reserved?.apiVip,
    });
  }

  private createEtcdLoadBalancer(c: ResolvedBayProps): BayLoadBalancer {
    return new BayLoadBalancer(this, 'etcd', {
      name: `${c.name}-etcd`,
      api: c.loadBalancerApi,
      subnet: this.network.subnetId,
      port: 2379,
      protocol: 'TCP',
      allowedCidrs: c.loadBalancerApi === 'octavia' ? [c.fixedNetworkCidr] : undefined,
      provider: c.octaviaProvider,
      algorithm: this.optionalParam('octavia_lb_algorithm'),
      fixedVipAddress: this.reserved?.etcdVip,
    });
  }

  /** The API's public address: the floating IP of its load balancer, else the VIP (no load balancer: the master's address). */
  private get apiPublic(): Value {
    return apiAddress(this.apiLoadBalancer, this.masters, 'public');
  }

  /** What every node group shares (image, keypair, network, volumes...); the cloud values of the user data on the side. */
  private nodeCommon(c: ResolvedBayProps, external: BayResource<any>): NodeGroupCommon {
    const hasVolume = new Condition('has_docker_volume', { op: 'not', test: { op: 'equals', left: this.param('docker_volume_size'), right: 0 } });
    this.cloud = cloudValues(this, c, this.network.subnetId);
    const sg = this.securityGroups.groups;
    return {
      bayName: c.name,
      image: this.param('server_image'),
      keyName: this.param('ssh_key_name'),
      network: this.network,
      securityGroups: [sg.base.id, sg.minion.id],
      floatingIpNetwork: c.floatingIps ? external.attr('name') : undefined,
      volume: c.dockerVolumeSize > 0 ? { size: this.param('docker_volume_size'), condition: hasVolume, type: this.optionalParam('docker_volume_type') } : undefined,
      availabilityZone: this.optionalParam('availability_zone'),
      bootVolume: c.bootVolumeSize > 0 ? { size: this.param('boot_volume_size'), type: this.optionalParam('boot_volume_type') } : undefined,
      waitTimeout: this.param('wait_condition_timeout'),
      createTimeoutMinutes: c.createTimeoutMinutes === 0 ? undefined : c.createTimeoutMinutes,
      ...(routesPodNetwork(c) ? { allowedAddressPairs: [c.podNetworkCidr] } : {}),
    };
  }

  /**
   * The user data of a role (and worker node group), its placeholders bound
   * per node: rendered with the props while the registry parameters hold
   * their defaults (the text the bay always had), else the deploy-time
   * rendering, whose script reads them from bootstrap.env.
   */
  private userData(role: BootRole, group?: ResolvedNodeGroup): (node: NodeContext) => Value {
    const props = this.renderedUserData(role, group, false);
    const deployTime = this.renderedUserData(role, group, true);
    const defaults = registryDefaults(this.config, (name) => this.param(name));
    return (node) => new If(defaults, props(node), deployTime(node));
  }

  /** One rendering of a role's user data (see {@link userData}). */
  private renderedUserData(role: BootRole, group: ResolvedNodeGroup | undefined, deployTime: boolean): (node: NodeContext) => Value {
    const c = this.config;
    const rendered = renderUserData({
      role,
      preinstalledPackages: c.preinstalledPackages,
      podNetworkCidr: c.podNetworkCidr,
      serviceCidr: c.portalNetworkCidr,
      clusterName: c.name,
      dockerVolume: (group ?? c).dockerVolumeSize > 0,
      bootstrapTokenTtl: c.bootstrapTokenTtl,
      ...componentOptions(c),
      ...cloudOptions(c),
      ...egressOptions(c, deployTime),
      ...networkingOptions(c, this.flannelChecked),
      ...(group ? { nodeLabels: group.labels, nodeTaints: group.taints } : {}),
    });
    return (node) => {
      const all: Record<string, Value> = {
        ...this.material,
        // The masters' own user data: their own address when there is no load balancer (this.masters not set yet).
        API_VIP: apiAddress(this.apiLoadBalancer, this.masters, 'private', node),
        API_PUBLIC_ADDRESS: apiAddress(this.apiLoadBalancer, this.masters, 'public', node),
        KUBERNETES_PORT: this.param('kubernetes_port'),
        KUBERNETES_VERSION: this.param('kubernetes_version'),
        VOLUME_ID: node.volumeId,
        WC_NOTIFY: node.waitNotify,
        WAIT_CONDITION_TIMEOUT: this.param('wait_condition_timeout'),
        ...this.cloud,
        ...egressValues((name) => this.optionalParam(name)),
      };
      const vars: Record<string, Value> = {};
      for (const name of rendered.placeholders) vars[name] = all[name];
      this.checkUserDataSize(deployTime ? `${role} (deploy-time registries)` : role, rendered.text, vars);
      return new Sub(rendered.text, vars);
    };
  }

  private createMasters(c: ResolvedBayProps, common: NodeGroupCommon): BayNodes {
    const sg = this.securityGroups.groups;
    const serverGroup = new BayResource(this, 'master_server_group', SERVER_GROUP, { name: `${c.name}-masters`, policy: c.masterAffinityPolicy });
    const firstMaster = this.userData('first-master');
    const otherMaster = this.userData('master');
    const masterCount = this.param('number_of_masters');
    const lb = this.apiLoadBalancer;
    return new BayNodes(this, 'masters', {
      ...common,
      role: 'master',
      count: masterCount,
      flavor: this.param('master_flavor'),
      image: this.optionalParam('master_image') ?? this.param('server_image'),
      securityGroups: [sg.base.id, sg.master.id],
      loadBalancers: [...(lb ? [lb] : []), ...(this.etcdLoadBalancer ? [this.etcdLoadBalancer] : [])],
      addressInUserData: !lb,
      fixedAddressPrefix: this.reserved?.masterPrefix,
      serverGroup,
      rollingUpdate: { maxBatchSize: 1, pauseTime: this.param('master_update_pause_time') },
      // The only master holds etcd's data: replacing it would start a new cluster. It keeps its user data (as Terraform's servers).
      userDataUpdatePolicy: new If(new Condition('single_master', { op: 'equals', left: masterCount, right: 1 }), 'IGNORE', 'REPLACE'),
      userData: (node) =>
        new If(new Condition('is_first_master', { op: 'equals', left: node.key, right: '0' }), firstMaster(node), otherMaster(node)),
    });
  }

  private createMinions(c: ResolvedBayProps, common: NodeGroupCommon): BayNodes {
    const minion = this.userData('minion');
    return new BayNodes(this, 'minions', {
      ...common,
      role: 'minion',
      count: this.param('number_of_minions'),
      removalList: this.param('minions_to_remove'),
      flavor: this.param('minion_flavor'),
      image: this.optionalParam('minion_image') ?? this.param('server_image'),
      serverGroup: c.nodesAffinityPolicy
        ? new BayResource(this, 'minion_server_group', SERVER_GROUP, { name: `${c.name}-minions`, policy: c.nodesAffinityPolicy })
        : undefined,
      // No ordering after the masters: minions boot and install in parallel
      // with them and retry `kubeadm join` until the API answers.
      rollingUpdate: { maxBatchSize: this.param('update_max_batch_size') },
      userData: minion,
    });
  }

  /** Outputs: the same names in both formats (Terraform prefixes them with the bay name). */
  private createOutputs(c: ResolvedBayProps): Record<string, BayOutput> {
    const out = (name: string, description: string, value: Value, sensitive = false) => new BayOutput(this, name, { description, value, sensitive });
    const lb = this.apiLoadBalancer;
    return {
      api_address: out('api_address', lb ? 'Address of the Kubernetes API (floating IP of its load balancer)' : 'Address of the Kubernetes API (the master\'s floating IP, else its private IP)', this.apiPublic),
      api_private_address: out('api_private_address', lb ? 'Private VIP of the Kubernetes API load balancer' : 'Private IP of the master (the Kubernetes API)', apiAddress(lb, this.masters, 'private')),
      kube_masters: out('kube_masters', 'Floating IPs of the masters', this.masters.publicIps),
      kube_masters_private: out('kube_masters_private', 'Private IPs of the masters', this.masters.privateIps),
      kube_minions: out('kube_minions', 'Floating IPs of the minions', this.minions.publicIps),
      kube_minions_private: out('kube_minions_private', 'Private IPs of the minions', this.minions.privateIps),
      kubeconfig: this.kubeconfigOutput(c),
      ca_fingerprint: this.caFingerprintOutput(c),
      kube_minions_by_key: out('kube_minions_by_key', 'Private IP of each minion by its key (for minions_to_remove)', this.minions.group.attrMap(this.minions.port, 'privateIp')),
    };
  }

  /** Terraform only: the admin kubeconfig, whose client key stays in the store (`client-key` is its path), so no private key enters state. */
  private kubeconfigOutput(c: ResolvedBayProps): BayOutput {
    const value = new Sub(
      renderKubeconfig({
        clusterName: c.name,
        server: 'https://@@API_ADDRESS@@:@@API_PORT@@',
        caCertPem: this.pki.caCert,
        clientCertPem: this.pki.adminCert,
        clientKeyPem: { file: '@@ADMIN_KEY_FILE@@' },
      }),
      {
        API_ADDRESS: this.apiPublic,
        API_PORT: this.param('kubernetes_port'),
        ADMIN_KEY_FILE: this.secret('admin_key_file', 'admin.key', this.pki.adminKey, 'path of the admin client key in the PKI store', 'path'),
      },
    );
    return new BayOutput(this, 'kubeconfig', {
      description: 'Admin kubeconfig of the bay (cluster-admin); its client-key is the path of admin.key in the PKI store',
      value,
      sensitive: true,
      terraformOnly: 'a HOT output would show the admin key to anyone who can read the stack; the HOT set has a kubeconfig file instead',
    });
  }

  private caFingerprintOutput(c: ResolvedBayProps): BayOutput {
    return new BayOutput(this, 'ca_fingerprint', {
      description: 'SHA-256 of the cluster CA certificate these outputs were synthesized with (as in the bay record)',
      value: caFingerprint(this.pki.caCert),
      deployCheck: {
        file: this.pki.files['ca.crt'],
        sha256: createHash('sha256').update(this.pki.caCert).digest('hex'),
        errorMessage: `The PKI store of bay ${c.name} no longer holds the cluster CA these outputs were synthesized with (kubebay pki rotate, or another store): synthesize the bay again before planning.`,
      },
    });
  }

  /** Worker node groups beside the minions: each its own group, parameters and outputs (added to `outputs`). */
  private createNodeGroups(c: ResolvedBayProps, common: NodeGroupCommon): Record<string, BayNodes> {
    const groups: Record<string, BayNodes> = {};
    for (const spec of c.nodeGroups) {
      const g = resolveNodeGroup(spec, c);
      const added = this.addNodeGroup(g, common, this.userData('minion', g));
      groups[g.name] = added.nodes;
      Object.assign(this.outputs, added.outputs);
    }
    return groups;
  }

  /** One worker node group: its parameters, server group, nodes and outputs. */
  private addNodeGroup(g: ResolvedNodeGroup, common: NodeGroupCommon, userData: (node: NodeContext) => Value): { nodes: BayNodes; outputs: Record<string, BayOutput> } {
    const prefix = nodeGroupPrefix(g.name);
    const p: Record<string, Value> = {};
    for (const [name, def] of Object.entries(nodeGroupParameters(g))) p[name.slice(prefix.length + 1)] = new BayParameter(this, name, def).value;
    const size = p.docker_volume_size;
    const hasVolume = new Condition(`${prefix}_has_docker_volume`, { op: 'not', test: { op: 'equals', left: size, right: 0 } });
    const serverGroup = g.affinityPolicy
      ? new BayResource(this, `${prefix}_server_group`, SERVER_GROUP, { name: `${this.config.name}-${g.name}`, policy: g.affinityPolicy })
      : undefined;
    const nodes = new BayNodes(this, prefix, {
      ...common,
      role: 'minion',
      naming: nodeGroupNaming(g.name),
      count: p.count,
      removalList: p.to_remove,
      image: p.image,
      flavor: p.flavor,
      volume: g.dockerVolumeSize > 0 ? { size, condition: hasVolume, type: g.dockerVolumeType } : undefined,
      availabilityZone: g.availabilityZone,
      serverGroup,
      // As the minions: no ordering after the masters (they retry `kubeadm join`), rolled in batches.
      rollingUpdate: { maxBatchSize: this.parameters.update_max_batch_size.value },
      userData,
    });
    const outputs: Record<string, BayOutput> = {};
    const out = (name: string, description: string, value: Value) =>
      (outputs[`${prefix}_${name}`] = new BayOutput(this, `${prefix}_${name}`, { description, value }));
    out('nodes', `Floating IPs of the nodes of node group ${g.name}`, nodes.publicIps);
    out('nodes_private', `Private IPs of the nodes of node group ${g.name}`, nodes.privateIps);
    out('nodes_by_key', `Private IP of each node of node group ${g.name} by its key (for ${prefix}_to_remove)`, nodes.group.attrMap(nodes.port, 'privateIp'));
    return { nodes, outputs };
  }

  /**
   * The API address as a cdktf reference (inside a TerraformStack), for the
   * user's own resources (DNS records, providers of the new cluster).
   */
  public get apiAddress(): string {
    const target = this.terraform;
    if (!target) throw new ValidationError(`[${this.node.path}] apiAddress is a Terraform reference; in HOT read the api_address output`, this);
    if (!this.apiLoadBalancer) throw new ValidationError(`[${this.node.path}] apiAddress: masterLbEnabled is false (no API load balancer); read the api_address output, or reference the master's resources`);
    const fip = this.apiLoadBalancer.floatingIp;
    // masterLbFloatingIp: false: the API is internal, on the VIP.
    return fip ? target.reference(fip, 'address') : target.reference(this.apiLoadBalancer.vip, 'vipAddress');
  }

  /** CAs that are not valid yet, or expire within 30 days (a supplied clusterCa, or stored ones). */
  private caWarnings(): void {
    const cas = { 'cluster CA (ca.crt)': this.pki.caCert, 'front-proxy CA': this.pki.frontProxyCaCert, 'etcd CA': this.pki.etcdCaCert };
    for (const [label, pem] of Object.entries(cas)) {
      for (const w of caValidityWarnings(pem, `${label} of bay ${this.config.name}`)) addWarning(this, w.id, w.message);
    }
  }

  /** A validation error when a role's user data would exceed Nova's limit (checked once per role). */
  private checkUserDataSize(role: string, text: string, vars: Record<string, Value>): void {
    if (this.sizeChecked.has(role)) return;
    this.sizeChecked.add(role);
    const size = estimatedBase64Size(text, vars);
    if (size <= NOVA_USER_DATA_LIMIT) return;
    this.node.addValidation({
      validate: () => [
        `the ${role} user data would be about ${size} bytes of base64, above Nova's ${NOVA_USER_DATA_LIMIT}-byte limit; ` +
          'use a smaller openstackCaFile (only the CAs that sign the cloud\'s endpoints), keySize 2048, or turn off cinderCsi/cloudControllerManager',
      ],
    });
  }

  private readonly sizeChecked = new Set<string>();

  private warnings(c: ResolvedBayProps): void {
    for (const message of ignoredLabels(c.labels)) addWarning(this, 'label-ignored', message);
    for (const message of egressWarnings(c)) addWarning(this, 'preinstalled-containerd', message);
    if (c.masterCount % 2 === 0) {
      addWarning(this, 'even-masters', `masterCount ${c.masterCount} is even: etcd tolerates no more failures than with ${c.masterCount - 1} masters; use an odd count`);
    }
    const open = (cidrs: readonly string[]) =>
      `${cidrs.join(', ')}${cidrs.length === 1 && coversAllIpv4(cidrs) ? '' : ` (world-like: ${describeCoverage(cidrs)})`}`;
    // The API rules open the port to apiAllowedCidrs and to the bay subnet.
    const api = isWorldLike(c.apiAllowedCidrs) ? c.apiAllowedCidrs : [...c.apiAllowedCidrs, c.fixedNetworkCidr];
    if (isWorldLike(api)) {
      addWarning(this, 'api-open', `the Kubernetes API is open to ${open(api)}; set apiAllowedCidrs to your clients' networks`);
    }
    if (isWorldLike(c.sshAllowedCidrs)) {
      addWarning(this, 'ssh-open', `SSH (22) on every node is open to ${open(c.sshAllowedCidrs)}; set sshAllowedCidrs to your administrators' networks or a bastion`);
    }
    if (isWorldLike(c.nodePortAllowedCidrs)) {
      addWarning(this, 'nodeports-open', `NodePorts ${NODE_PORT_RANGE.join('-')} on every minion are open to ${open(c.nodePortAllowedCidrs)}; set nodePortAllowedCidrs to your clients' networks, or expose services through a load balancer`);
    }
    for (const prop of ['portalNetworkCidr', 'podNetworkCidr'] as const) {
      if (!isPrivateIpv4(c[prop])) {
        addWarning(this, 'public-cluster-network', `${prop} ${c[prop]} is not a private range: inside the cluster it hides the public addresses it covers; use a private range such as ${DEFAULTS[prop]}`);
      }
    }
    if (!c.floatingIps && c.sshAllowedCidrs.length === 0) {
      addWarning(this, 'no-ssh-path', 'nodes have no floating IPs and sshAllowedCidrs is empty: there is no SSH path to the nodes (add a bastion or a route)');
    }
  }
}

/**
 * Throws unless `fixedApiVip` is what the bay's record says the bay was
 * created with (read only: nothing is written before). A bay without a record
 * is new: nothing to check. `fromContext`: the value is the context flag's.
 */
function assertApiAddressRecorded(bay: Construct, c: ResolvedBayProps, fromContext: boolean): void {
  const store = new PkiStore(c.pkiDir);
  const file = store.recordFile(c.name);
  const record = store.record(c.name);
  const issue = record && apiAddressIssue(record, file, store.dir(c.name), c.fixedApiVip);
  if (!issue) return;
  const context = fromContext && bay.node.tryGetContext(FIXED_API_VIP_CONTEXT) !== undefined;
  const fix = context ? `${issue.fix} (the value comes from the context flag ${FIXED_API_VIP_CONTEXT}: set fixedApiVip on this bay)` : issue.fix;
  throw new BayValidationError(atPath(bay.node.path, [{ ...issue, fix }]));
}

/** The default PKI: the bay's material in the store under `pkiDir`, generated there once and reused on every synth. */
function loadStorePki(c: ResolvedBayProps, onProgress: ((message: string) => void) | undefined): BayPki {
  return loadBayPki(c.pkiDir, c.name, {
    keySize: c.keySize,
    fixedApiVip: c.fixedApiVip,
    onProgress,
    clusterCa: c.clusterCa && { certPem: fs.readFileSync(c.clusterCa.certFile, 'utf8'), keyPem: fs.readFileSync(c.clusterCa.keyFile, 'utf8') },
  });
}

/**
 * `id`, checked before `constructs` sees it: it keeps children in a plain
 * object, so an id such as `constructor` or `toString` would fail with "There
 * is already a Construct with name ..." although the scope is empty.
 */
function constructId(scope: Construct, id: string): string {
  if (typeof id === 'string' && isReservedId(id)) {
    const where = scope?.node?.path ? `${scope.node.path}/${id}` : id;
    throw new BayValidationError([{ path: where, prop: 'id', value: id, problem: 'is reserved (the constructs library cannot hold it as a construct id)', fix: 'choose another construct id' }]);
  }
  return id;
}

/** The context flag of new projects (cdktf.json `"context": { "kubebay:fixedApiVip": true }`): the default of `fixedApiVip`. */
export const FIXED_API_VIP_CONTEXT = 'kubebay:fixedApiVip';

/** `props` with the context flags' defaults (props that are not an object are left to the validation). */
function withContextDefaults(scope: Construct, props: KubernetesBayProps): KubernetesBayProps {
  const v: unknown = scope.node.tryGetContext(FIXED_API_VIP_CONTEXT);
  if (v === undefined || typeof props !== 'object' || props === null || props.fixedApiVip !== undefined) return props;
  return { ...props, fixedApiVip: v === true || v === 'true' };
}
