/**
 * Placeholders of the rendered user data.
 *
 * The renderer produces TEXT WITH PLACEHOLDERS: every value that is only
 * known to the deployment (addresses, ids, secrets, the wait-condition handle)
 * is written as `@@NAME@@`. The bay wraps the text in a `Sub` expression and
 * each synthesizer replaces every placeholder with a format-specific
 * reference: HOT puts the text in `str_replace` with one `params` entry per
 * placeholder; Terraform splits the text at the placeholders and writes an
 * interpolation `${...}` in their place inside the (escaped) template string
 * (`synth/terraform/expressions.ts`). Secrets are thus substituted at deploy
 * time (HOT hidden parameters, Terraform sensitive values) and never appear in
 * the synthesized text.
 *
 * The bootstrap script itself is gzipped at render time and holds no
 * placeholder: the values it reads sit in its environment file (./env.ts).
 *
 * Every placeholder is substituted verbatim, so its value must not contain a
 * newline, a double quote or a backslash (it may sit inside a double-quoted
 * YAML scalar). That is why PEM material is passed as the base64 of the PEM:
 * one line, and written by cloud-init with `encoding: b64`.
 */
import { placeholderPattern, placeholderToken } from '../core/placeholder';

/** How the value of a placeholder is encoded. */
export type PlaceholderFormat =
  /** An IPv4 address. */
  | 'ip'
  /** The base64 (one line, no wrapping) of a PEM file. */
  | 'base64-pem'
  /** A plain single-line string (see the description for its syntax). */
  | 'text'
  /** A shell command prefix, pasted verbatim into the bootstrap script. */
  | 'shell';

/** Documentation of one placeholder. */
export interface PlaceholderInfo {
  /** What the value is and where the synthesizers take it from. */
  readonly description: string;
  /** Secret: must come from a hidden HOT parameter / sensitive Terraform value. */
  readonly secret: boolean;
  readonly format: PlaceholderFormat;
}

/**
 * The set of placeholders. Which of them occur depends on the role and the
 * options; `RenderedUserData.placeholders` lists exactly those that do.
 */
export const PLACEHOLDERS = {
  API_VIP: {
    description:
      'Private VIP address of the API load balancer. controlPlaneEndpoint is `@@API_VIP@@:@@KUBERNETES_PORT@@`; ' +
      'first entry of the apiserver certSANs; the address every node joins through.',
    secret: false,
    format: 'ip',
  },
  API_PUBLIC_ADDRESS: {
    description:
      "Floating IP of the API load balancer, or the VIP again when there is none. Only in the apiserver certSANs (first master's init config).",
    secret: false,
    format: 'ip',
  },
  KUBERNETES_PORT: {
    description:
      'Port of the Kubernetes API, decimal (1-65535): the port of controlPlaneEndpoint and of the discovery ' +
      'endpoint, the apiserver bindPort (written unquoted: kubeadm reads an integer), the /livez probe. ' +
      'From the kubernetes_port parameter, which also sets the load-balancer listener and the security rules.',
    secret: false,
    format: 'text',
  },
  KUBERNETES_VERSION: {
    description:
      "`v1.<minor>` (e.g. `v1.31`) or `v1.<minor>.<patch>` (e.g. `v1.31.2`), minor at least 31, from the " +
      'kubernetes_version parameter. The script derives at boot the pkgs.k8s.io repository of the minor and, for ' +
      "a full version, the package pin (`<version>-*`) and the first master's ClusterConfiguration.kubernetesVersion " +
      '(omitted for a minor: kubeadm picks its own). Only in user data that installs packages or runs `kubeadm init`; ' +
      'a malformed or too old value fails the bootstrap.',
    secret: false,
    format: 'text',
  },
  VOLUME_ID: {
    description:
      'Id of the Cinder volume attached for container storage (only when dockerVolume). The device is found as ' +
      '/dev/disk/by-id/virtio-<first 20 characters of the id> (else /dev/vdb); an empty value skips the volume setup.',
    secret: false,
    format: 'text',
  },
  BOOTSTRAP_TOKEN: {
    description:
      'kubeadm bootstrap token, `[a-z0-9]{6}.[a-z0-9]{16}`. Created by the first master with ttl `bootstrapTokenTtl` ' +
      '(default 24h); `kubebay token create` re-arms it so that nodes added or replaced later can still join.',
    secret: true,
    format: 'text',
  },
  CA_CERT_HASH: {
    description: "`sha256:<hex>`: SHA-256 of the cluster CA certificate's SubjectPublicKeyInfo (kubeadm discovery pin).",
    secret: false,
    format: 'text',
  },
  CA_CRT: {
    description: 'Cluster CA certificate -> /etc/kubernetes/pki/ca.crt (masters only).',
    secret: false,
    format: 'base64-pem',
  },
  CA_KEY: {
    description: 'Cluster CA private key -> /etc/kubernetes/pki/ca.key (masters only).',
    secret: true,
    format: 'base64-pem',
  },
  FRONT_PROXY_CA_CRT: {
    description: 'Front-proxy CA certificate -> /etc/kubernetes/pki/front-proxy-ca.crt (masters only).',
    secret: false,
    format: 'base64-pem',
  },
  FRONT_PROXY_CA_KEY: {
    description: 'Front-proxy CA private key -> /etc/kubernetes/pki/front-proxy-ca.key (masters only).',
    secret: true,
    format: 'base64-pem',
  },
  ETCD_CA_CRT: {
    description: 'etcd CA certificate -> /etc/kubernetes/pki/etcd/ca.crt (masters only).',
    secret: false,
    format: 'base64-pem',
  },
  ETCD_CA_KEY: {
    description: 'etcd CA private key -> /etc/kubernetes/pki/etcd/ca.key (masters only).',
    secret: true,
    format: 'base64-pem',
  },
  SA_KEY: {
    description: 'Service-account signing private key -> /etc/kubernetes/pki/sa.key (masters only).',
    secret: true,
    format: 'base64-pem',
  },
  SA_PUB: {
    description: 'Service-account public key (PEM SubjectPublicKeyInfo) -> /etc/kubernetes/pki/sa.pub (masters only).',
    secret: false,
    format: 'base64-pem',
  },
  WC_NOTIFY: {
    description:
      "Shell command prefix that signals the node's readiness. HOT: the `curl_cli` attribute of the node's " +
      "OS::Heat::WaitConditionHandle (it carries a Heat token); Terraform: `true`. The body of the function " +
      "`kubebay_notify() { @@WC_NOTIFY@@ \"$@\"; }` in /etc/kubebay/bootstrap.env (0600), called as `kubebay_notify --data-binary '{\"status\": \"SUCCESS\"}'` " +
      'once kubelet is up, and with status FAILURE and a reason when the bootstrap fails; each call is retried with ' +
      'back-off and `--fail` (an HTTP error is a failed attempt).',
    secret: false,
    format: 'shell',
  },
  WAIT_CONDITION_TIMEOUT: {
    description:
      'Seconds the node has to signal (the wait_condition_timeout parameter). The kubeadm retries stop early enough ' +
      '(10 minutes before, or at half of a shorter timeout) that Heat receives the FAILURE reason rather than a timeout.',
    secret: false,
    format: 'text',
  },
  OPENSTACK_CA: {
    description:
      "The cloud's CA bundle (the `openstackCaFile` prop) -> /usr/local/share/ca-certificates/kubebay-openstack-ca.crt, " +
      'installed into the system trust store before anything calls the cloud; also the `ca.crt` of the controllers\' ' +
      'cloud-config Secret (first master). Only with the prop.',
    secret: false,
    format: 'base64-pem',
  },
  OPENSTACK_AUTH_URL: {
    description: 'Keystone v3 URL of the cloud (`openstackAuthUrl`): auth-url of cloud.conf (first master, with CCM or Cinder CSI).',
    secret: false,
    format: 'text',
  },
  OPENSTACK_REGION: {
    description: 'Region of the cloud (`openstackRegion`): region of cloud.conf.',
    secret: false,
    format: 'text',
  },
  APPLICATION_CREDENTIAL_ID: {
    description: 'Id of the OpenStack application credential of the controllers (`applicationCredential.id`).',
    secret: false,
    format: 'text',
  },
  APPLICATION_CREDENTIAL_SECRET: {
    description:
      'Secret of the application credential (`applicationCredential.secretFile`): a hidden HOT parameter / sensitive ' +
      'Terraform value, only in the first master\'s cloud.conf (0600) and the cloud-config Secret.',
    secret: true,
    format: 'text',
  },
  CLOUD_SUBNET_ID: {
    description: "Id of the bay's subnet: subnet-id of cloud.conf's [LoadBalancer] (VIPs of LoadBalancer Services).",
    secret: false,
    format: 'text',
  },
  HTTP_PROXY: {
    description:
      'Proxy of plain-HTTP egress, `http(s)://host[:port]` without credentials (the http_proxy parameter; only when ' +
      '`httpProxy` is set): http_proxy/HTTP_PROXY of /etc/kubebay/proxy.env and apt\'s Acquire::http::Proxy.',
    secret: false,
    format: 'text',
  },
  HTTPS_PROXY: {
    description: 'Proxy of HTTPS egress (the https_proxy parameter; only when `httpsProxy` is set), as HTTP_PROXY.',
    secret: false,
    format: 'text',
  },
  FIXED_NETWORK_CIDR: {
    description: "CIDR of the bay subnet (the fixed_network_cidr parameter): the bay's entry of no_proxy.",
    secret: false,
    format: 'text',
  },
  NO_PROXY: {
    description:
      "The no_proxy parameter's entries, each preceded by a comma (empty when the parameter is empty): appended to " +
      "the automatic entries of no_proxy in /etc/kubebay/proxy.env (only with a proxy).",
    secret: false,
    format: 'text',
  },
  DNS_CLUSTER_DOMAIN: {
    description:
      'DNS domain of the cluster (the dns_cluster_domain parameter; only when `dnsClusterDomain` is not cluster.local): ' +
      "kubeadm networking.dnsDomain and an apiserver certSAN (first master's init config, read by `kubeadm init` only), " +
      'and an entry of no_proxy.',
    secret: false,
    format: 'text',
  },
  CONTAINER_INFRA_PREFIX: {
    description:
      "Image prefix (the container_infra_prefix parameter: `host[:port]/path/` ending in '/', or empty for the upstream " +
      'registries), only in the deploy-time rendering of the user data (bootstrap.env): the script sets the first ' +
      "master's kubeadm imageRepository, the sandbox image and the network and add-on manifests' images from it at boot.",
    secret: false,
    format: 'text',
  },
  INSECURE_REGISTRY_URL: {
    description:
      'Insecure registries (the insecure_registry_url parameter: comma-separated `host[:port]`, or empty), only in the ' +
      "deploy-time rendering of the user data (bootstrap.env): the script writes each one's containerd hosts.toml at boot.",
    secret: false,
    format: 'text',
  },
} as const satisfies Record<string, PlaceholderInfo>;

/** Name of a placeholder, e.g. `'API_VIP'`. */
export type Placeholder = keyof typeof PLACEHOLDERS;

/** All placeholder names, in documentation order. */
export const PLACEHOLDER_NAMES: readonly Placeholder[] = Object.keys(PLACEHOLDERS) as Placeholder[];

/** Names of the placeholders whose values are secrets. */
export const SECRET_PLACEHOLDERS: readonly Placeholder[] = PLACEHOLDER_NAMES.filter((n) => PLACEHOLDERS[n].secret);

/** The text written for a placeholder: `@@NAME@@`. */
export function placeholder(name: Placeholder): string {
  return placeholderToken(name);
}

/**
 * The placeholders occurring in `text`, in documentation order. Throws on a
 * `@@NAME@@` token that is not in {@link PLACEHOLDERS}.
 */
export function findPlaceholders(text: string): Placeholder[] {
  const found = new Set<string>();
  for (const m of text.matchAll(placeholderPattern())) found.add(m[1]);
  const unknown = [...found].filter((n) => !(n in PLACEHOLDERS));
  if (unknown.length > 0) throw new Error(`unknown placeholder(s): ${unknown.join(', ')}`);
  return PLACEHOLDER_NAMES.filter((n) => found.has(n));
}

/**
 * Replaces every `@@NAME@@` in `text` with `values[NAME]` (for tests and the
 * CI check; the synthesizers use format-specific references instead). Throws
 * when a placeholder of the text has no value, or a value contains a
 * newline, a double quote or a backslash.
 */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(placeholderPattern(), (_token, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for placeholder ${name}`);
    if (/[\n\r"\\]/.test(value)) throw new Error(`value of placeholder ${name} contains a newline, '"' or '\\'`);
    return value;
  });
}
