/**
 * Validation of a bay's props: every problem at once, each naming the prop,
 * the value received and the fix (`prop: <value> problem; fix`). Runs before
 * anything is generated or written.
 */
import * as fs from 'node:fs';
import { coversAllIpv4, Ipv4Cidr, ipv4AddressToInt, isIpv4Address, overlaps, parseIpv4Cidr } from '../core/cidr';
import { IssueReporter, ValidationIssue } from '../core/errors';
import { fsProblem } from '../core/fs-errors';
import { parseKubernetesVersion } from '../core/version';
import { validateCa } from '../pki/certs';
import { RSA_KEY_SIZES } from '../pki/keys';
import { parseTokenTtl } from '../pki/token';
import { apiPortExclusion } from '../security/api-port';
import { DEFAULTS, ResolvedBayProps } from './defaults';
import { exposureErrors } from './exposure';
import { labelProblems } from './labels';
import { nodeGroupNodeCount, validateNodeGroups } from './node-groups';
import { validateComponents, validateOptions } from './options';
import { KubernetesBayProps } from './props';
import { INTEGER_SPECS, inSpec, specFix } from './specs';
import { validateCloudProps } from './validate-cloud';
import { validateEgress } from './egress';
import { perNodeSubnetLen, validateNetworking } from './networking';
import { validateApiEndpoint } from './api-endpoint';

export { show } from '../core/errors';

/**
 * Props without a default. With `DEFAULTS` this lists every key of
 * `KubernetesBayProps` — exactly: the `satisfies` clause fails to compile
 * when a prop is added to (or removed from) the interface and not here.
 */
const PROPS_WITHOUT_DEFAULT = {
  name: true,
  image: true,
  keyName: true,
  externalNetwork: true,
  existingNetwork: true,
  clusterCa: true,
  pkiProgress: true,
  pki: true,
  provider: true,
  availabilityZone: true,
  nodesAffinityPolicy: true,
  dockerVolumeType: true,
  masterImage: true,
  minionImage: true,
  octaviaProvider: true,
  kubeletExtraArgs: true,
  apiServerExtraArgs: true,
  controllerManagerExtraArgs: true,
  schedulerExtraArgs: true,
  kubeProxyConfig: true,
  labels: true,
  bootVolumeType: true,
  openstackCaFile: true,
  openstackAuthUrl: true,
  applicationCredential: true,
  cloudControllerManager: true,
  cinderCsi: true,
  httpProxy: true,
  httpsProxy: true,
  noProxy: true,
  containerInfraPrefix: true,
  registryMirrors: true,
  insecureRegistries: true,
  dnsServiceIp: true,
  calicoManifest: true,
  flannelManifest: true,
} as const satisfies Record<Exclude<keyof KubernetesBayProps, keyof typeof DEFAULTS>, true>;

/** Every prop `KubernetesBay` knows, sorted. The one list the unknown-prop check uses. */
const KNOWN_PROPS: readonly (keyof KubernetesBayProps)[] = [
  ...(Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]),
  ...(Object.keys(PROPS_WITHOUT_DEFAULT) as (keyof typeof PROPS_WITHOUT_DEFAULT)[]),
].sort();

/** Magnum/Heat parameter names that people carry over, and the prop that replaces each. */
const MAGNUM_NAMES: Readonly<Record<string, keyof KubernetesBayProps>> = {
  number_of_masters: 'masterCount',
  number_of_minions: 'minionCount',
  server_image: 'image',
  ssh_key_name: 'keyName',
  flannel_network_cidr: 'podNetworkCidr',
  network_driver: 'networkDriver',
  bay_create_timeout: 'createTimeoutMinutes',
};

/** A cdktf provider construct (any copy of cdktf) whose Terraform provider type is `openstack`. */
function isOpenstackProvider(x: unknown): boolean {
  return (
    typeof x === 'object' &&
    x !== null &&
    Symbol.for('cdktf/TerraformProvider') in x &&
    (x as { terraformResourceType?: unknown }).terraformResourceType === 'openstack'
  );
}

/**
 * Bay names: they prefix OpenStack resource names and Kubernetes node names
 * (`<name>-minion-<key>`), which must be DNS labels (RFC 1123, at most 63).
 */
const NAME = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * Names the `constructs` library cannot hold as a construct id: it keeps
 * children in a plain object, so `constructor` or `toString` "already
 * exist" in every scope. Of these, only `constructor` is a valid bay name.
 */
export function isReservedId(id: string): boolean {
  return id in Object.prototype;
}

/**
 * The id for a stack (and bay construct) named after a bay: the name when it
 * is a valid bay name, else 'bay', so that an invalid name reaches the bay's
 * own validation (which names the prop and the fix) instead of a cdktf or
 * constructs error about ids.
 */
export function stackIdFor(name: unknown): string {
  return typeof name === 'string' && NAME.test(name) && !isReservedId(name) ? name : 'bay';
}
/** Levenshtein distance (small strings only). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The known key closest to `key` (case, '_' and '-' ignored; small typos), if any is close. */
export function suggestKey(key: string, known: readonly string[], aliases: Readonly<Record<string, string>> = {}): string | undefined {
  if (Object.hasOwn(aliases, key)) return aliases[key];
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const k = norm(key);
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const n = norm(name);
    const d = n === k ? 0 : n.startsWith(k) && k.length >= 4 ? 1 : distance(k, n);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(k.length / 4)) ? best.name : undefined;
}


/** Issues for keys of `obj` that are not in `known`, with a suggestion when one is close. */
export function unknownKeys(prop: string | undefined, obj: object, known: readonly string[], aliases: Readonly<Record<string, string>> = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const value = (obj as Record<string, unknown>)[key];
    if (value === undefined) continue; // an explicit undefined is an absent prop
    const guess = suggestKey(key, known, aliases);
    const fix = guess ? `did you mean ${guess}?` : `remove it (known: ${known.join(', ')})`;
    const plain = /^[A-Za-z_$][\w$]*$/.test(key);
    const where = prop ? (plain ? `${prop}.${key}` : `${prop}[${JSON.stringify(key)}]`) : plain ? key : JSON.stringify(key);
    out.push({ prop: where, value, problem: `is not a ${prop ? `key of ${prop}` : 'prop of KubernetesBay'}`, fix });
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const sameList = (a: unknown, b: readonly unknown[]) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

/** Where the bay is synthesized, for the checks one format needs. */
export interface ValidationContext {
  /** The bay lives in a Terraform (cdktf) stack. @default false */
  readonly terraform?: boolean;
}

/** Collects issues in order: `err` for one, `push` for those of a helper. */
interface Issues {
  readonly err: IssueReporter;
  push(...issues: ValidationIssue[]): void;
}

/** The bay's own networks, those that parse. */
interface Networks {
  readonly fixed?: Ipv4Cidr;
  readonly pod?: Ipv4Cidr;
}

/**
 * Every problem with the props, structured (`{prop, value, problem, fix}`;
 * `formatIssue` writes them `prop: <value> problem; fix`). Empty when valid.
 */
export function validateProps(p: ResolvedBayProps, context: ValidationContext = {}): ValidationIssue[] {
  const list: ValidationIssue[] = [];
  const issues: Issues = { err: (prop, value, problem, fix) => list.push({ prop, value, problem, fix }), push: (...i) => list.push(...i) };
  const { err } = issues;
  issues.push(...unknownKeys(undefined, p, KNOWN_PROPS, MAGNUM_NAMES));
  checkIdentity(p, err);
  checkNumbers(p, err);
  checkChoices(p, err, context);
  checkCode(p, err);
  const nets = checkNetworks(p, err);
  checkAllowedCidrs(p, err);
  exposureErrors(p, err);
  checkRemoval(p, err, nets.fixed, context);
  // Node groups beside the minions, and the Magnum-grade options.
  issues.push(...validateNodeGroups(p.nodeGroups, err, unknownKeys));
  validateOptions(p, err, context.terraform);
  validateComponents(p, err);
  validateEgress(p, err);
  validateNetworking(p, err);
  validateApiEndpoint(p, err);
  for (const [prop, value, problem, fix] of labelProblems(p.labels, p, suggestKey)) err(prop, value, problem, fix);
  checkExistingNetwork(p, issues);
  checkLbaasV1Cidrs(p, err);
  checkClusterCa(p, issues);
  issues.push(...validateCloudProps(p));
  return list;
}

/** The name and the names of existing cloud resources. */
function checkIdentity(p: ResolvedBayProps, err: IssueReporter): void {
  if (typeof p.name !== 'string' || !NAME.test(p.name)) {
    err('name', p.name, 'is not a valid bay name', 'use 1-40 lowercase letters, digits and "-", starting with a letter and not ending with "-" (it prefixes OpenStack names and Kubernetes node names; it defaults to the construct id)');
  } else if (isReservedId(p.name)) {
    err('name', p.name, 'is reserved (the constructs library cannot use it as a construct or stack id)', 'choose another name, e.g. "k8s"');
  }
  const what = { image: 'Glance image', keyName: 'Nova keypair', externalNetwork: 'external network', masterFlavor: 'Nova flavor', minionFlavor: 'Nova flavor' };
  for (const prop of ['image', 'keyName', 'externalNetwork', 'masterFlavor', 'minionFlavor'] as const) {
    const v = p[prop];
    if (!nonEmpty(v)) err(prop, v, v === undefined ? 'is missing' : 'is not a non-empty string', `give the name or id of an existing ${what[prop]}`);
  }
}

/** The integer props (their specs also constrain the parameters), the API port's exclusions. */
function checkNumbers(p: ResolvedBayProps, err: IssueReporter): void {
  for (const [prop, spec] of Object.entries(INTEGER_SPECS) as [keyof typeof INTEGER_SPECS, (typeof INTEGER_SPECS)[keyof typeof INTEGER_SPECS]][]) {
    if (!inSpec(p[prop], spec)) err(prop, p[prop], `is not ${spec.what}`, specFix(spec));
  }
  if (inSpec(p.kubernetesPort, INTEGER_SPECS.kubernetesPort)) {
    const taken = apiPortExclusion(p.kubernetesPort);
    if (taken && taken.min === taken.max) err('kubernetesPort', p.kubernetesPort, `collides with the ${taken.what} port`, 'use 6443 or another free port');
    else if (taken) err('kubernetesPort', p.kubernetesPort, `is inside the ${taken.what} ${taken.min}-${taken.max}`, 'use 6443 or another port outside it');
  }
}

/** Protocols, APIs, key size, booleans and the Kubernetes version. */
function checkChoices(p: ResolvedBayProps, err: IssueReporter, context: ValidationContext): void {
  if (p.loadBalancingProtocol === ('HTTP' as string)) {
    err('loadBalancingProtocol', p.loadBalancingProtocol, 'cannot carry the Kubernetes API, which always serves TLS', "use 'TCP' (TLS passes through) or 'HTTPS'");
  } else if (!['TCP', 'HTTPS'].includes(p.loadBalancingProtocol)) {
    err('loadBalancingProtocol', p.loadBalancingProtocol, 'is not a load-balancing protocol', "use 'TCP' or 'HTTPS'");
  }
  if (!['octavia', 'lbaas-v1'].includes(p.loadBalancerApi)) {
    err('loadBalancerApi', p.loadBalancerApi, 'is not a load-balancer API', "use 'octavia' or 'lbaas-v1'");
  } else if (p.loadBalancerApi === 'lbaas-v1' && context.terraform) {
    err('loadBalancerApi', p.loadBalancerApi, 'is HOT only: the Terraform OpenStack provider has no Neutron LBaaS v1 resources', "set loadBalancerApi: 'octavia' (or synthesize HOT only)");
  }
  if (!RSA_KEY_SIZES.includes(p.keySize)) err('keySize', p.keySize, 'is not a supported RSA key size', `use ${RSA_KEY_SIZES.join(' or ')}`);
  if (p.bootstrapTokenTtl !== '0s' && !isTokenTtl(p.bootstrapTokenTtl)) {
    err('bootstrapTokenTtl', p.bootstrapTokenTtl, 'is not a token lifetime', "use hours, minutes and seconds such as '24h', '90m' or '1h30m' ('0s': never expires)");
  }
  for (const prop of ['floatingIps', 'etcdLoadBalancer', 'preinstalledPackages', 'allowInsecureWorldRules'] as const) {
    if (typeof p[prop] !== 'boolean') err(prop, p[prop], 'is not a boolean', 'use true or false');
  }
  const version = typeof p.kubernetesVersion === 'string' ? versionProblem(p.kubernetesVersion) : 'expected a string';
  if (version) err('kubernetesVersion', p.kubernetesVersion, 'is not a supported Kubernetes version', `use 'v1.31' or a full version such as 'v1.31.2' (${version})`);
}

function versionProblem(version: string): string | undefined {
  try {
    parseKubernetesVersion(version);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Props that only a program passes: the PKI directory, the progress callback, the provider. */
function checkCode(p: ResolvedBayProps, err: IssueReporter): void {
  if (!nonEmpty(p.pkiDir)) err('pkiDir', p.pkiDir, 'is not a directory path', "give a directory such as '.kubebay/pki'");
  const progress = (p as { pkiProgress?: unknown }).pkiProgress;
  if (progress !== undefined && typeof progress !== 'function') err('pkiProgress', progress, 'is not a function', 'pass a function (message: string) => void, or leave it out');
  const provider = (p as { provider?: unknown }).provider;
  if (provider !== undefined && !isOpenstackProvider(provider)) {
    err('provider', provider, 'is not a cdktf OpenStack provider', "pass a provider construct of Terraform type 'openstack' (e.g. new provider.OpenstackProvider(stack, 'east', { alias: 'east', region: 'RegionTwo' }) from 'kubebay/openstack'), or leave it out");
  }
}

/** The node, service and pod networks: syntax, disjointness, room for every node; the nameservers. */
function checkNetworks(p: ResolvedBayProps, err: IssueReporter): Networks {
  const nets: [string, Ipv4Cidr][] = [];
  for (const prop of ['fixedNetworkCidr', 'portalNetworkCidr', 'podNetworkCidr'] as const) {
    const c = parseIpv4Cidr(p[prop]);
    if (typeof c === 'string') err(prop, p[prop], c, 'give an IPv4 network such as 10.0.0.0/24');
    else nets.push([prop, c]);
  }
  for (let i = 0; i < nets.length; i++) {
    for (let j = i + 1; j < nets.length; j++) {
      if (overlaps(nets[i][1], nets[j][1])) {
        err(nets[j][0], nets[j][1].text, `overlaps ${nets[i][0]} ${nets[i][1].text}`, 'the node, service and pod networks must be disjoint');
      }
    }
  }
  const fixed = nets.find(([n]) => n === 'fixedNetworkCidr')?.[1];
  const pod = nets.find(([n]) => n === 'podNetworkCidr')?.[1];
  const nodes = (Number.isInteger(p.masterCount) ? p.masterCount : 0) + (Number.isInteger(p.minionCount) ? p.minionCount : 0) + nodeGroupNodeCount(p.nodeGroups);
  if (fixed) checkSubnetRoom(p, fixed, nodes, err);
  const len = perNodeSubnetLen(p);
  if (pod) {
    const lenFix = len === 24 ? '' : ', or a longer flannelNetworkSubnetlen';
    if (pod.prefix > len) err('podNetworkCidr', pod.text, `is smaller than one /${len} (flannel gives each node a /${len})`, `use a /16, for example 10.100.0.0/16${lenFix}`);
    else if (2 ** (len - pod.prefix) < nodes) err('podNetworkCidr', pod.text, `has room for ${2 ** (len - pod.prefix)} node /${len}s, fewer than ${nodes} nodes`, `use a larger pod network${lenFix}`);
  }
  if (!Array.isArray(p.dnsNameservers) || p.dnsNameservers.length === 0 || !p.dnsNameservers.every(isIpv4Address)) {
    err('dnsNameservers', p.dnsNameservers, 'is not a list of IPv4 addresses', "give at least one, e.g. ['8.8.8.8']");
  } else if (new Set(p.dnsNameservers).size !== p.dnsNameservers.length) {
    err('dnsNameservers', p.dnsNameservers, 'lists an address twice (Neutron rejects duplicate nameservers)', 'list each nameserver once');
  }
  return { fixed, pod };
}

/** The bay subnet holds every node: network, gateway, broadcast, 2 DHCP ports, and per load balancer a VIP plus 2 amphora ports. */
function checkSubnetRoom(p: ResolvedBayProps, fixed: Ipv4Cidr, nodes: number, err: IssueReporter): void {
  const lbs = p.etcdLoadBalancer ? 2 : 1;
  const needed = nodes + 5 + 3 * lbs;
  const size = fixed.last - fixed.first + 1;
  if (size < needed) {
    err('fixedNetworkCidr', fixed.text, `has ${size} addresses, fewer than the ${needed} the bay needs (${nodes} nodes, load balancers, router, DHCP)`, 'use a larger subnet, e.g. a /24 or /22');
  }
}

/** The client CIDRs of the API, SSH and NodePorts. */
function checkAllowedCidrs(p: ResolvedBayProps, err: IssueReporter): void {
  for (const prop of ['apiAllowedCidrs', 'sshAllowedCidrs', 'nodePortAllowedCidrs'] as const) {
    const list = p[prop];
    if (!Array.isArray(list)) {
      err(prop, list, 'is not a list of CIDRs', "give a list such as ['203.0.113.0/24']");
      continue;
    }
    for (const c of list) {
      const parsed = parseIpv4Cidr(c);
      if (typeof parsed === 'string') err(prop, c, parsed, "give IPv4 networks such as '203.0.113.0/24'");
    }
  }
  if (Array.isArray(p.apiAllowedCidrs) && p.apiAllowedCidrs.length === 0) {
    err('apiAllowedCidrs', p.apiAllowedCidrs, 'leaves the Kubernetes API reachable from nowhere outside the bay', "give the CIDRs of your clients, or ['0.0.0.0/0']");
  }
}

/** Removal of named minions: keys of this bay, or (HOT only) private IPs in the bay subnet. */
function checkRemoval(p: ResolvedBayProps, err: IssueReporter, fixed: Ipv4Cidr | undefined, context: ValidationContext): void {
  if (!Array.isArray(p.minionsToRemove)) {
    err('minionsToRemove', p.minionsToRemove, 'is not a list', "give minion keys such as ['3'] or private IPs");
    return;
  }
  // Keys 0 .. minionCount + removed - 1 exist (unknown while minionCount is itself invalid).
  const existing = Number.isInteger(p.minionCount) ? p.minionCount + p.minionsToRemove.length : Infinity;
  const seen = new Set<unknown>();
  for (const k of p.minionsToRemove) {
    if (seen.has(k)) err('minionsToRemove', k, 'is listed twice', 'list each minion once');
    seen.add(k);
    if (typeof k === 'string' && /^(0|[1-9][0-9]*)$/.test(k)) {
      if (Number(k) >= existing) err('minionsToRemove', k, `is not a minion of this bay (keys 0-${existing - 1} exist)`, 'name an existing minion key');
    } else if (isIpv4Address(k)) {
      const n = ipv4AddressToInt(k);
      if (fixed && (n < fixed.first || n > fixed.last)) err('minionsToRemove', k, `is not in fixedNetworkCidr ${fixed.text}`, 'name a minion by its key or its private IP');
      // Terraform plans with keys only: an IP cannot be mapped to a for_each key before apply.
      else if (context.terraform) err('minionsToRemove', k, 'is a private IP, which Terraform cannot map to a node key at plan time', "use the minion's key (see the kube_minions_by_key output)");
    } else {
      err('minionsToRemove', k, 'is neither a minion key nor an IPv4 address', "use keys such as '3' (see the kube_minions_by_key output) or private IPs");
    }
  }
}

/** Bring-your-own network. */
function checkExistingNetwork(p: ResolvedBayProps, issues: Issues): void {
  const e: unknown = p.existingNetwork;
  if (e === undefined || e === null) return;
  const { err } = issues;
  if (!isObject(e)) {
    err('existingNetwork', e, 'is not an object', "give { networkId: '...', subnetId: '...' }");
    return;
  }
  issues.push(...unknownKeys('existingNetwork', e, ['networkId', 'subnetId']));
  for (const key of ['networkId', 'subnetId'] as const) {
    if (!nonEmpty(e[key])) err(`existingNetwork.${key}`, e[key], e[key] === undefined ? 'is missing' : 'is not a non-empty string', `give the id of the existing ${key === 'networkId' ? 'network' : 'subnet'}`);
  }
  // The existing subnet keeps its own DNS servers: a nameserver list here would be silently ignored.
  if (!sameList(p.dnsNameservers, DEFAULTS.dnsNameservers)) {
    err('dnsNameservers', p.dnsNameservers, 'cannot be set together with existingNetwork (the existing subnet keeps its own DNS nameservers)', 'drop dnsNameservers, or drop existingNetwork to let the bay create its subnet');
  }
}

/** Listener allowed_cidrs: LBaaS v1 has none, so the API could not be restricted. */
function checkLbaasV1Cidrs(p: ResolvedBayProps, err: IssueReporter): void {
  if (p.loadBalancerApi === 'lbaas-v1' && Array.isArray(p.apiAllowedCidrs) && p.apiAllowedCidrs.length > 0 && !coversAllIpv4(p.apiAllowedCidrs)) {
    err('apiAllowedCidrs', p.apiAllowedCidrs, "cannot be enforced with loadBalancerApi 'lbaas-v1' (an LBaaS v1 VIP has no allowed_cidrs; the masters see the load balancer's address, not the client's)", "use loadBalancerApi: 'octavia', or apiAllowedCidrs: ['0.0.0.0/0']");
  }
}

type CaKey = 'certFile' | 'keyFile';

/** Bring-your-own CA: both files readable, a CA certificate and its key. */
function checkClusterCa(p: ResolvedBayProps, issues: Issues): void {
  const ca: unknown = p.clusterCa;
  if (ca === undefined || ca === null) return;
  const { err } = issues;
  if (!isObject(ca)) {
    err('clusterCa', ca, 'is not an object', "give { certFile: 'ca.crt', keyFile: 'ca.key' }");
    return;
  }
  issues.push(...unknownKeys('clusterCa', ca, ['certFile', 'keyFile']));
  const pem: Partial<Record<CaKey, string>> = {};
  for (const key of ['certFile', 'keyFile'] as const) {
    const file = ca[key];
    if (!nonEmpty(file)) {
      err(`clusterCa.${key}`, file, file === undefined ? 'is missing' : 'is not a file path', `give the PEM file of your CA's ${key === 'certFile' ? 'certificate' : 'private key'}`);
      continue;
    }
    try {
      pem[key] = fs.readFileSync(file, 'utf8');
    } catch (e) {
      err(`clusterCa.${key}`, file, `cannot be read: ${fsProblem(e)}`, 'give the path of a readable PEM file');
    }
  }
  if (pem.certFile !== undefined && pem.keyFile !== undefined) checkCaPair(ca as Record<CaKey, string>, pem as Record<CaKey, string>, err);
}

function checkCaPair(ca: Record<CaKey, string>, pem: Record<CaKey, string>, err: IssueReporter): void {
  const files = { cert: ca.certFile, key: ca.keyFile };
  try {
    validateCa({ certPem: pem.certFile, keyPem: pem.keyFile }, 'clusterCa', undefined, files);
  } catch (e) {
    // The message starts with the file the problem is in: report it under that key.
    const msg = (e as Error).message;
    const key = msg.startsWith(`${files.key}:`) ? 'keyFile' : 'certFile';
    const problem = msg.slice(files[key === 'keyFile' ? 'key' : 'cert'].length + 1).trim();
    err(`clusterCa.${key}`, ca[key], `is not usable (${problem})`, 'give the CA certificate (CA:true, not expired) and the matching unencrypted RSA key, as PEM files');
  }
}

/** A kubeadm token lifetime of at least a second (see parseTokenTtl). */
function isTokenTtl(v: unknown): boolean {
  try {
    return typeof v === 'string' && parseTokenTtl(v) > 0;
  } catch {
    return false;
  }
}
