/**
 * Egress proxies and container registries of a bay (Magnum's `http_proxy`,
 * `https_proxy`, `no_proxy`, `container_infra_prefix`, `insecure_registry`,
 * and registry mirrors): validation, the user-data options they become, and
 * the deploy-time parameters of the proxies (Magnum's `http_proxy`,
 * `https_proxy`, `no_proxy`: see {@link egressParameters}).
 *
 * The proxies are deploy-time values: their URLs and no_proxy only sit in
 * plain files of the user data (/etc/kubebay/proxy.env, apt's proxy file),
 * as placeholders bound to parameters whose defaults are the props, so the
 * user data of the defaults is the text the props alone gave. The image
 * prefix and the insecure registries shape the gzipped script and add-ons
 * (and one `hosts.toml` per registry), so their parameters
 * (`container_infra_prefix`, `insecure_registry_url`) choose between two
 * renderings of each node's user data: the props' while both hold their
 * defaults, else one whose script reads them from bootstrap.env
 * ({@link registryDefaults}). Registry mirrors stay render-time values.
 */
import type { UserDataOptions } from '../bootstrap';
import { METADATA_ADDRESS } from '../bootstrap/script';
import { placeholder } from '../bootstrap/placeholders';
import { Condition, If, Join, Value } from '../core/expr';
import { BayParameterProps } from '../core/model';
import { DNS_DOMAIN_PATTERN } from './components';
import { ResolvedBayProps } from './defaults';
import { Reporter } from './node-groups';

/** A registry as containerd names it: `host` or `host:port` (lowercase); a pattern source (props, parameters). */
const REGISTRY_HOST_PATTERN = '[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?';
const REGISTRY_HOST = new RegExp(`^${REGISTRY_HOST_PATTERN}$`);
/** Magnum's prefix form: `host[:port]/path/`, ending in '/'. */
const IMAGE_PREFIX_PATTERN = `${REGISTRY_HOST_PATTERN}(/[a-z0-9]+([._-][a-z0-9]+)*)*/`;
const IMAGE_PREFIX = new RegExp(`^${IMAGE_PREFIX_PATTERN}$`);
/** A no_proxy entry: a name, `.domain`, address, CIDR or `*` (no comma, space or quote). */
const NO_PROXY_ENTRY = /^(\*|\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?|\d{1,3}(\.\d{1,3}){3}\/\d{1,2})$/;
/** What every character of a URL written into the user data may be (shell, sed, TOML, systemd, apt). */
const URL_TEXT = /^[A-Za-z0-9.:/_-]+$/;

/**
 * Problem of an http(s) URL of a proxy (`path: false`) or mirror, or
 * undefined. Credentials are refused: the user data is readable from every
 * node through the metadata service, and kept by Heat and in Terraform state.
 */
export function urlProblem(v: unknown, path: boolean): [string, string] | undefined {
  const form = path ? "an http(s) URL such as 'https://mirror.example.com'" : "an http(s) URL such as 'http://proxy.example.com:3128'";
  if (typeof v !== 'string') return ['is not a URL', `give ${form}`];
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return ['is not a URL', `give ${form}`];
  }
  if (url.username || url.password) {
    return [
      'carries credentials, which would be readable in every node\'s user data (metadata service), in the Heat stack and in the Terraform state',
      'drop user:password and let the proxy or registry authorize the bay subnet (fixedNetworkCidr) by address',
    ];
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return [`has the scheme ${url.protocol.slice(0, -1)}`, `give ${form}`];
  if (!url.hostname || url.hostname.startsWith('[')) return ['has no host name or IPv4 address', `give ${form}`];
  if (url.search || url.hash || (!path && url.pathname !== '/')) return [`has a ${path ? 'query or fragment' : 'path, query or fragment'}`, `give ${form}`];
  if (!URL_TEXT.test(v)) return ['has characters kubebay does not write into user data (spaces, quotes, %, $, ...)', `give ${form}`];
  return undefined;
}

export function validateEgress(p: ResolvedBayProps, err: Reporter): void {
  for (const prop of ['httpProxy', 'httpsProxy'] as const) {
    const problem = p[prop] === undefined ? undefined : urlProblem(p[prop], false);
    if (problem) err(prop, p[prop], ...problem);
  }
  const noProxy: unknown = p.noProxy;
  if (noProxy !== undefined) {
    if (!Array.isArray(noProxy)) err('noProxy', noProxy, 'is not a list', "give hosts, '.domain' suffixes, addresses or CIDRs, e.g. ['.example.internal', '192.0.2.10']");
    else {
      for (const entry of noProxy) {
        if (typeof entry !== 'string' || !NO_PROXY_ENTRY.test(entry)) err('noProxy', entry, 'is not a host, .domain, address or CIDR', "give one name per entry, e.g. '.example.internal' (no commas or spaces)");
      }
      if (noProxy.length > 0 && p.httpProxy === undefined && p.httpsProxy === undefined) {
        err('noProxy', noProxy, 'is set but no proxy is', 'set httpProxy and/or httpsProxy, or drop noProxy');
      }
    }
  }
  validateRegistries(p, err);
}

function validateRegistries(p: ResolvedBayProps, err: Reporter): void {
  const prefix: unknown = p.containerInfraPrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || !IMAGE_PREFIX.test(prefix))) {
    err('containerInfraPrefix', prefix, 'is not an image prefix (registry host[:port], optional path, ending in /; no scheme)', "give e.g. 'registry.example.com/k8s/' (images are pulled as <prefix><name>:<tag>)");
  }
  const mirrors: unknown = p.registryMirrors;
  if (mirrors !== undefined) {
    if (typeof mirrors !== 'object' || mirrors === null || Array.isArray(mirrors)) {
      err('registryMirrors', mirrors, 'is not a map of registry → mirror URL', "give e.g. { 'docker.io': 'https://mirror.example.com' }");
    } else {
      for (const [host, url] of Object.entries(mirrors)) {
        if (!REGISTRY_HOST.test(host)) err('registryMirrors', host, 'is not a registry host', "give the registry as images name it, e.g. 'docker.io', 'registry.k8s.io' or 'registry.example.com:5000'");
        const problem = urlProblem(url, true);
        if (problem) err(`registryMirrors.${host}`, url, ...problem);
      }
    }
  }
  const insecure: unknown = p.insecureRegistries;
  if (insecure !== undefined) {
    if (!Array.isArray(insecure)) err('insecureRegistries', insecure, 'is not a list', "give registries such as ['registry.example.com:5000']");
    else {
      for (const host of insecure) {
        if (typeof host !== 'string' || !REGISTRY_HOST.test(host)) err('insecureRegistries', host, 'is not a registry host[:port]', "give it without a scheme, e.g. 'registry.example.com:5000'");
      }
    }
  }
}

/**
 * The automatic entries of no_proxy with their synth-time values: loopback,
 * the metadata service, the bay subnet (which holds the API VIP, the nodes
 * and the load balancers), the service and pod networks, the API VIP itself
 * (for clients that do not match CIDRs), `.svc` and the cluster domain.
 */
function autoNoProxy(c: ResolvedBayProps, subnet: string, domain: string): string[] {
  return ['localhost', '127.0.0.1', METADATA_ADDRESS, subnet, c.portalNetworkCidr, c.podNetworkCidr, placeholder('API_VIP'), '.svc', `.${domain}`];
}

/**
 * no_proxy of the nodes as written into proxy.env: the automatic entries,
 * the bay subnet and the cluster domain as placeholders (deploy-time values:
 * fixed_network_cidr, dns_cluster_domain), then `@@NO_PROXY@@`, the
 * no_proxy parameter's entries (each after a comma), appended to the last
 * entry: joined with ',' the list is the no_proxy value.
 */
export function noProxyList(c: ResolvedBayProps): string[] {
  const domain = c.dnsClusterDomain === 'cluster.local' ? c.dnsClusterDomain : placeholder('DNS_CLUSTER_DOMAIN');
  const auto = autoNoProxy(c, placeholder('FIXED_NETWORK_CIDR'), domain);
  return [...auto.slice(0, -1), `${auto[auto.length - 1]}${placeholder('NO_PROXY')}`];
}

/**
 * Default of the no_proxy parameter: the user's entries not already among
 * the automatic ones (with their synth-time values), comma-separated, so the
 * defaults give the no_proxy the props alone gave.
 */
export function noProxyDefault(c: ResolvedBayProps): string {
  const auto = new Set(autoNoProxy(c, c.fixedNetworkCidr, c.dnsClusterDomain));
  return [...new Set(c.noProxy ?? [])].filter((e) => !auto.has(e)).join(',');
}

/**
 * The user-data options of the egress and registry props (empty when none is
 * set). `deployTime`: the options of the deploy-time rendering, whose script
 * reads the image prefix and the insecure registries from bootstrap.env
 * (the container_infra_prefix and insecure_registry_url parameters) instead.
 */
export function egressOptions(c: ResolvedBayProps, deployTime = false): Pick<UserDataOptions, 'proxy' | 'imagePrefix' | 'registries' | 'deployTimeRegistries'> {
  const proxied = c.httpProxy !== undefined || c.httpsProxy !== undefined;
  const registries = {
    ...(c.registryMirrors && Object.keys(c.registryMirrors).length ? { mirrors: c.registryMirrors } : {}),
    ...(c.insecureRegistries?.length && !deployTime ? { insecure: c.insecureRegistries } : {}),
  };
  return {
    ...(proxied ? { proxy: { http: c.httpProxy && placeholder('HTTP_PROXY'), https: c.httpsProxy && placeholder('HTTPS_PROXY'), noProxy: noProxyList(c) } } : {}),
    ...(c.containerInfraPrefix && !deployTime ? { imagePrefix: c.containerInfraPrefix } : {}),
    ...(Object.keys(registries).length ? { registries } : {}),
    ...(deployTime ? { deployTimeRegistries: true } : {}),
  };
}

/** Warnings: with preinstalled packages kubebay writes no containerd configuration, so the image's must match. */
export function egressWarnings(c: ResolvedBayProps): string[] {
  if (!c.preinstalledPackages) return [];
  const out: string[] = [];
  if (c.registryMirrors || c.insecureRegistries?.length) {
    out.push(`registryMirrors/insecureRegistries need containerd's CRI registry config_path to include /etc/containerd/certs.d; with preinstalledPackages the image's containerd configuration must set it`);
  }
  if (c.containerInfraPrefix) {
    out.push(`containerInfraPrefix: with preinstalledPackages containerd keeps the image's sandbox (pause) image; set it to ${c.containerInfraPrefix}pause:<tag> in the image`);
  }
  return out;
}

/** A proxy URL as the parameters accept it: http(s), host name or IPv4, optional port, no credentials, path or query. */
export const PROXY_URL_PATTERN = 'https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?/?';
/** One no_proxy entry (as {@link NO_PROXY_ENTRY}), as a pattern source. */
const NO_PROXY_ENTRY_PATTERN = '(\\*|\\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?|[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2})';
/** The no_proxy parameter: empty, or entries separated by commas (no spaces). */
export const NO_PROXY_PATTERN = `(${NO_PROXY_ENTRY_PATTERN}(,${NO_PROXY_ENTRY_PATTERN})*)?`;

/**
 * The proxies' parameters (Magnum's names), only for a bay with a proxy
 * (an option left unset adds no parameter): `http_proxy` / `https_proxy`
 * for each proxy that is set, and `no_proxy` (the entries beyond the
 * automatic ones). Changing one at deploy time changes every node's user
 * data (HOT: the rolling update replaces the servers; Terraform: at the next
 * `kubebay roll`).
 */
export function egressParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  return { ...proxyParameters(c), ...dnsDomainParameter(c), ...registryParameters(c) };
}

/** The insecure_registry_url parameter: empty, or registries separated by commas (no spaces). */
export const INSECURE_REGISTRIES_PATTERN = `(${REGISTRY_HOST_PATTERN}(,${REGISTRY_HOST_PATTERN})*)?`;

/**
 * Magnum's `container_infra_prefix` and `insecure_registry_url`, in every
 * bay (defaults: the props). Changing one at deploy time changes every
 * node's user data to its deploy-time rendering (see {@link registryDefaults}).
 */
function registryParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  return {
    container_infra_prefix: {
      type: 'string',
      description:
        "Registry prefix of the images: <prefix><name>:<tag> for the control plane, the sandbox image, the network driver and the add-ons (Magnum's container_infra_prefix); empty: the upstream registries. " +
        "A running cluster's control plane and add-ons keep the prefix of its kubeadm init",
      default: c.containerInfraPrefix ?? '',
      nestedDefault: true,
      constraints: { pattern: `(${IMAGE_PREFIX_PATTERN})?`, description: "must be empty or a registry host[:port] with an optional path, ending in '/', without a scheme (e.g. 'registry.example.com/k8s/')" },
    },
    insecure_registry_url: {
      type: 'string',
      description:
        "Registries containerd reaches over TLS without verification or plain HTTP (Magnum's insecure_registry_url): comma-separated host[:port] entries, empty = none",
      default: (c.insecureRegistries ?? []).join(','),
      nestedDefault: true,
      constraints: { pattern: INSECURE_REGISTRIES_PATTERN, description: "must be empty or comma-separated registry host[:port] entries without a scheme or spaces (e.g. 'registry.example.com:5000,10.0.0.5:5000')" },
    },
  };
}

/**
 * Whether both registry parameters hold their synth-time defaults: the
 * condition choosing between a node's user data rendered with the props
 * (the text the bay always had: nothing changes for a running bay) and its
 * deploy-time rendering (the script reads the values from bootstrap.env).
 */
export function registryDefaults(c: ResolvedBayProps, param: (name: string) => Value): Condition {
  return new Condition('registries_default', {
    op: 'and',
    tests: [
      { op: 'equals', left: param('container_infra_prefix'), right: c.containerInfraPrefix ?? '' },
      { op: 'equals', left: param('insecure_registry_url'), right: (c.insecureRegistries ?? []).join(',') },
    ],
  });
}

/**
 * `dns_cluster_domain`, when the prop is not kubeadm's default (which the
 * user data leaves implicit): the first master's `kubeadm init` reads it,
 * and no_proxy. A running cluster keeps the domain it was created with.
 */
function dnsDomainParameter(c: ResolvedBayProps): Record<string, BayParameterProps> {
  if (c.dnsClusterDomain === 'cluster.local') return {};
  return {
    dns_cluster_domain: {
      type: 'string',
      description: "DNS domain of the cluster's services (read by kubeadm init: a running cluster keeps its domain)",
      default: c.dnsClusterDomain,
      nestedDefault: true,
      constraints: { pattern: DNS_DOMAIN_PATTERN, description: "must be lowercase DNS labels such as 'k8s.example.internal'" },
    },
  };
}

function proxyParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  if (c.httpProxy === undefined && c.httpsProxy === undefined) return {};
  const url = { pattern: PROXY_URL_PATTERN, description: "must be an http(s)://host[:port] URL without credentials, path or query (e.g. 'http://proxy.example.com:3128')" };
  const proxy = (scheme: string, dflt: string | undefined): Record<string, BayParameterProps> =>
    dflt === undefined ? {} : { [`${scheme}_proxy`]: { type: 'string', description: `Proxy of the nodes' ${scheme.toUpperCase()} egress (apt, containerd, kubelet, kubeadm, the bootstrap)`, default: dflt, constraints: url, nestedDefault: true } };
  return {
    ...proxy('http', c.httpProxy),
    ...proxy('https', c.httpsProxy),
    no_proxy: {
      type: 'string',
      description: "Hosts, .domains, addresses and CIDRs reached without the proxy, comma-separated, beyond the automatic ones (localhost, the metadata service, the bay subnet, the service and pod networks, the API VIP, .svc, the cluster domain)",
      default: noProxyDefault(c),
      nestedDefault: true,
      constraints: { pattern: NO_PROXY_PATTERN, description: "must be comma-separated hosts, .domains, addresses or CIDRs without spaces (e.g. '.example.internal,192.0.2.10'), or empty" },
    },
  };
}

/**
 * Values of the egress placeholders: the proxies' parameters, the bay
 * subnet's, and no_proxy's entries, each after a comma (HOT `if` / Terraform
 * conditional on an empty parameter). `param` gives a parameter's value, or
 * undefined when the bay has no such parameter.
 */
export function egressValues(param: (name: string) => Value | undefined): Record<string, Value> {
  const noProxy = param('no_proxy');
  const values: Record<string, Value> = {
    FIXED_NETWORK_CIDR: param('fixed_network_cidr'),
    DNS_CLUSTER_DOMAIN: param('dns_cluster_domain'),
    CONTAINER_INFRA_PREFIX: param('container_infra_prefix'),
    INSECURE_REGISTRY_URL: param('insecure_registry_url'),
  };
  if (param('http_proxy') !== undefined) values.HTTP_PROXY = param('http_proxy');
  if (param('https_proxy') !== undefined) values.HTTPS_PROXY = param('https_proxy');
  if (noProxy !== undefined) {
    values.NO_PROXY = new If(new Condition('no_proxy_empty', { op: 'equals', left: noProxy, right: '' }), '', new Join('', [',', noProxy]));
  }
  return values;
}
