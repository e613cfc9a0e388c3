/**
 * Egress proxies and container registries of a bay (Magnum's `http_proxy`,
 * `https_proxy`, `no_proxy`, `container_infra_prefix`, `insecure_registry`,
 * and registry mirrors): validation, and the user-data options they become.
 * Render-time values, like the component flags: they shape files of the user
 * data (the no_proxy list derived from the bay's networks, one `hosts.toml`
 * per registry), so a change replaces the servers as any user-data change.
 */
import type { UserDataOptions } from '../bootstrap';
import { METADATA_ADDRESS } from '../bootstrap/script';
import { placeholder } from '../bootstrap/placeholders';
import { ResolvedBayProps } from './defaults';
import { Reporter } from './node-groups';

/** A registry as containerd names it: `host` or `host:port` (lowercase). */
const REGISTRY_HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/;
/** Magnum's prefix form: `host[:port]/path/`, ending in '/'. */
const IMAGE_PREFIX = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*\/$/;
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
 * no_proxy of the nodes: loopback, the metadata service, the bay subnet
 * (which holds the API VIP, the nodes and the load balancers), the service
 * and pod networks, the API VIP itself (for clients that do not match
 * CIDRs), `.svc` and the cluster domain, then the user's entries.
 */
export function noProxyList(c: ResolvedBayProps): string[] {
  return [
    ...new Set([
      'localhost',
      '127.0.0.1',
      METADATA_ADDRESS,
      c.fixedNetworkCidr,
      c.portalNetworkCidr,
      c.podNetworkCidr,
      placeholder('API_VIP'),
      '.svc',
      `.${c.dnsClusterDomain}`,
      ...(c.noProxy ?? []),
    ]),
  ];
}

/** The user-data options of the egress and registry props (empty when none is set). */
export function egressOptions(c: ResolvedBayProps): Pick<UserDataOptions, 'proxy' | 'imagePrefix' | 'registries'> {
  const proxied = c.httpProxy !== undefined || c.httpsProxy !== undefined;
  const registries = {
    ...(c.registryMirrors && Object.keys(c.registryMirrors).length ? { mirrors: c.registryMirrors } : {}),
    ...(c.insecureRegistries?.length ? { insecure: c.insecureRegistries } : {}),
  };
  return {
    ...(proxied ? { proxy: { http: c.httpProxy, https: c.httpsProxy, noProxy: noProxyList(c) } } : {}),
    ...(c.containerInfraPrefix ? { imagePrefix: c.containerInfraPrefix } : {}),
    ...(Object.keys(registries).length ? { registries } : {}),
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
