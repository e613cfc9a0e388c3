/**
 * Egress and registries in the user data, for clouds without direct internet
 * access: the proxy environment (apt, containerd, kubelet, kubeadm and the
 * bootstrap script's own curl calls), containerd registry hosts (mirrors and
 * insecure registries, `hosts.toml`) and the image prefix (Magnum's
 * `container_infra_prefix`) of the control plane, the sandbox image and the
 * add-ons. Nothing here is rendered when the options are unset, so the user
 * data of a bay without them stays byte-identical.
 */
import { envRef } from './env';
import { UserDataOptions } from './options';

/** The proxy environment: an EnvironmentFile for systemd and a file the bootstrap script sources. */
export const PROXY_ENV_PATH = '/etc/kubebay/proxy.env';
/** apt's proxy configuration (apt ignores no_proxy: it only reaches package mirrors). */
export const APT_PROXY_PATH = '/etc/apt/apt.conf.d/90kubebay-proxy';
/** Drop-ins giving containerd (image pulls) and the kubelet the proxy environment. */
export const PROXY_DROPINS = ['containerd', 'kubelet'].map((unit) => `/etc/systemd/system/${unit}.service.d/kubebay-proxy.conf`);
/** containerd's registry host directory (`config_path` of the CRI registry). */
export const CONTAINERD_CERTS_D = '/etc/containerd/certs.d';

/** Egress proxies of the nodes: URLs (validated by the bay) and the complete no_proxy list. */
export interface EgressProxy {
  /** Proxy of plain-HTTP requests. @default - none */
  readonly http?: string;
  /** Proxy of HTTPS requests. @default - none */
  readonly https?: string;
  /** Hosts, domains (`.example.com`), addresses and CIDRs reached directly. */
  readonly noProxy: readonly string[];
}

/** containerd registry hosts: a mirror per registry, and registries reached without TLS verification. */
export interface RegistryHosts {
  /** Registry host (`docker.io`, `registry.example.com:5000`) → mirror URL tried first. @default {} */
  readonly mirrors?: Readonly<Record<string, string>>;
  /** Registries (`host[:port]`) reached over HTTPS without verification, else plain HTTP. @default [] */
  readonly insecure?: readonly string[];
}

/** A file of the user data (path and text; written 0644 by root). */
export interface EgressFile {
  readonly path: string;
  readonly content: string;
}

/** `KEY=value` lines, lower and upper case (curl reads only lower-case `http_proxy`; Go reads both). */
export function proxyEnvironment(proxy: EgressProxy): string {
  const lines: string[] = [];
  const both = (name: string, value: string) => lines.push(`${name}=${value}`, `${name.toUpperCase()}=${value}`);
  if (proxy.http) both('http_proxy', proxy.http);
  if (proxy.https) both('https_proxy', proxy.https);
  both('no_proxy', proxy.noProxy.join(','));
  return lines.join('\n') + '\n';
}

function proxyFiles(proxy: EgressProxy): EgressFile[] {
  const apt = [
    ...(proxy.http ? [`Acquire::http::Proxy "${proxy.http}";`] : []),
    ...(proxy.https ? [`Acquire::https::Proxy "${proxy.https}";`] : []),
  ];
  const dropin = `[Service]\nEnvironmentFile=${PROXY_ENV_PATH}\n`;
  return [
    { path: PROXY_ENV_PATH, content: proxyEnvironment(proxy) },
    ...PROXY_DROPINS.map((path) => ({ path, content: dropin })),
    ...(apt.length ? [{ path: APT_PROXY_PATH, content: apt.join('\n') + '\n' }] : []),
  ];
}

/**
 * `hosts.toml` of one registry: its mirror first (pull and resolve only),
 * then, for an insecure registry, HTTPS without verification and plain HTTP.
 * The registry itself stays the last resort (no `server` line: containerd
 * falls back to `https://<host>`, registry-1.docker.io for docker.io).
 */
export function hostsToml(mirror: string | undefined, insecure: string | undefined): string {
  const lines: string[] = [];
  const host = (url: string, capabilities: string, skipVerify: boolean) => {
    lines.push(`[host."${url}"]`, `  capabilities = [${capabilities}]`, ...(skipVerify ? ['  skip_verify = true'] : []));
  };
  if (mirror) host(mirror.replace(/\/$/, ''), '"pull", "resolve"', false);
  if (insecure) {
    host(`https://${insecure}`, '"pull", "resolve", "push"', true);
    host(`http://${insecure}`, '"pull", "resolve", "push"', false);
  }
  return lines.join('\n') + '\n';
}

/** The registry hosts' files, one directory per registry, sorted (deterministic). */
function registryFiles(r: RegistryHosts): EgressFile[] {
  const mirrors = r.mirrors ?? {};
  const insecure = r.insecure ?? [];
  const hosts = [...new Set([...Object.keys(mirrors), ...insecure])].sort();
  return hosts.map((h) => ({
    path: `${CONTAINERD_CERTS_D}/${h}/hosts.toml`,
    content: hostsToml(Object.hasOwn(mirrors, h) ? mirrors[h] : undefined, insecure.includes(h) ? h : undefined),
  }));
}

/** The egress and registry files of a node (every role). */
export function egressFiles(opts: UserDataOptions): EgressFile[] {
  return [...(opts.proxy ? proxyFiles(opts.proxy) : []), ...(usesRegistryHosts(opts) ? registryFiles(opts.registries!) : [])];
}

export function usesRegistryHosts(opts: UserDataOptions): boolean {
  return Object.keys(opts.registries?.mirrors ?? {}).length > 0 || (opts.registries?.insecure?.length ?? 0) > 0;
}

/**
 * First thing after the header: the script (apt-get, curl, kubeadm) runs
 * with the proxy environment. Heat's signal goes through the proxy too
 * unless its endpoint is in no_proxy.
 */
export function proxySection(opts: UserDataOptions): string {
  if (!opts.proxy) return '';
  return String.raw`log "egress through the proxy of ${PROXY_ENV_PATH}"
set -a
# shellcheck source=/dev/null
. ${PROXY_ENV_PATH}
set +a
`;
}

/** kubeadm's `imageRepository`: the prefix without its trailing '/' (kubeadm adds `/<image>`). */
export function imageRepository(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}

/** ` --image-repository <repo>` for `kubeadm config images list` (the sandbox image), '' without a prefix. */
export function imageRepositoryFlag(opts: UserDataOptions): string {
  return opts.imagePrefix ? ` --image-repository ${imageRepository(opts.imagePrefix)}` : '';
}

/**
 * Extra `sed` expressions and checks for containerd's config.toml: the CRI
 * registry's `config_path` set to {@link CONTAINERD_CERTS_D} (containerd 1.6
 * and 1.7 default to "", 2.x already include the directory).
 */
export function containerdRegistryEdit(opts: UserDataOptions): { sed: string; check: string } {
  // Deploy time: always (the insecure registries are only known at boot; an empty certs.d changes nothing).
  if (!usesRegistryHosts(opts) && !opts.deployTimeRegistries) return { sed: '', check: '' };
  return {
    sed: String.raw` -e 's#^\( *config_path = \)""#\1"${CONTAINERD_CERTS_D}"#'`,
    check: String.raw`  grep -q 'config_path = .*${CONTAINERD_CERTS_D}' "$cfg.new"
`,
  };
}

/**
 * Magnum's convention for `container_infra_prefix`: the prefix replaces the
 * image's registry and path, the last path element stays
 * (`ghcr.io/flannel-io/flannel:v0.26.7` → `<prefix>flannel:v0.26.7`), as
 * kubeadm does with a custom imageRepository (`<repo>/coredns:<tag>`).
 */
export function prefixImage(image: string, prefix: string): string {
  return prefix + image.slice(image.lastIndexOf('/') + 1);
}

/** Every `image:` of a rendered manifest, prefixed. */
export function prefixManifestImages(manifest: string, prefix: string | undefined): string {
  if (!prefix) return manifest;
  return manifest.replace(/^(\s*-?\s*image: )(\S+)$/gm, (_m, lead: string, image: string) => lead + prefixImage(image, prefix));
}

/** The shell variable of the image prefix in the deploy-time rendering (set by {@link registriesSection}). */
const PREFIX_VAR = 'img_prefix';

/**
 * The image prefix as the script's text carries it: `sq` inside single
 * quotes, `dq` inside double quotes. Render time: the literal (the text the
 * user data always had); deploy time: `$img_prefix`, read from bootstrap.env
 * (the container_infra_prefix parameter's pattern admits no quote, space,
 * `#` or `$`). Undefined: no prefix at all.
 */
function prefixText(opts: UserDataOptions): { sq: string; dq: string } | undefined {
  if (opts.deployTimeRegistries) return { sq: `'"$${PREFIX_VAR}"'`, dq: `$${PREFIX_VAR}` };
  return opts.imagePrefix ? { sq: opts.imagePrefix, dq: opts.imagePrefix } : undefined;
}

/** A first-master section that only applies with a prefix: guarded by a non-empty `$img_prefix` at deploy time. */
function withPrefix(opts: UserDataOptions, body: string): string {
  return opts.deployTimeRegistries ? `  if [[ -n $${PREFIX_VAR} ]]; then\n${body}  fi\n` : body;
}

/**
 * The downloaded flannel manifest's images, prefixed at boot (same rule as
 * {@link prefixImage}); checked (the second grep reads all its input: a `-q`
 * exiting early could kill the first with SIGPIPE, which `pipefail` turns
 * into a false condition). Also the add-on manifests' at deploy time
 * ({@link addonImagesSection}).
 */
export function flannelImagesSection(opts: UserDataOptions, what = 'flannel'): string {
  const p = prefixText(opts);
  if (!p) return '';
  return withPrefix(opts, String.raw`  sed -i -E 's#^( *image: )[^ ]*/([^/ ]+)$#\1${p.sq}\2#' "$f"
  if grep -E '^ *image: ' "$f" | grep -vF 'image: ${p.sq}' >/dev/null; then die "${what} manifest: an image escaped the prefix ${p.dq}"; fi
`);
}

/**
 * Deploy time: the add-on manifests (rendered without a prefix) get their
 * images prefixed at boot by the rule of the network manifests, which gives
 * the text {@link prefixManifestImages} gives at render time (every add-on
 * image is `image: <registry>/<path>/<name>:<tag>`; test/bootstrap/registries).
 */
export function addonImagesSection(opts: UserDataOptions, addons: string): string {
  if (!opts.deployTimeRegistries) return '';
  return `  f=${addons}\n${flannelImagesSection(opts, 'add-on')}`;
}

/**
 * Deploy time, right after the proxy: the image prefix read from
 * bootstrap.env, and a `hosts.toml` per insecure registry (the comma-separated
 * list), appended to the registry's mirror file when it has one (the order
 * of {@link hostsToml}: the same file as at render time), once. The list is
 * read from a here-string, not a process substitution (which needs /dev/fd:
 * the bootstrap simulation's chroot has none).
 */
export function registriesSection(opts: UserDataOptions): string {
  if (!opts.deployTimeRegistries) return '';
  const insecure = hostsToml(undefined, '%s');
  const format = insecure.replace(/\n/g, '\\n');
  const args = ' "$h"'.repeat(insecure.split('%s').length - 1);
  // The prefix is read where it is used: the first master (kubeadm init, manifests) and containerd's sandbox image.
  const prefix = opts.role === 'first-master' || !opts.preinstalledPackages ? `${PREFIX_VAR}=${envRef('CONTAINER_INFRA_PREFIX')}\n` : '';
  return String.raw`${prefix}while read -r h; do
  f=${CONTAINERD_CERTS_D}/$h/hosts.toml
  if [[ -n $h ]] && ! grep -qF "[host.\"https://$h\"]" "$f" 2>/dev/null; then
    log "insecure registry $h"
    mkdir -p "$(dirname "$f")"
    printf '${format}'${args} >>"$f"
  fi
done <<<"$(tr , '\n' <<<"${envRef('INSECURE_REGISTRY_URL')}")"
`;
}

/**
 * Deploy time, first master before `kubeadm init`: ClusterConfiguration's
 * imageRepository, the prefix without its '/' (as {@link imageRepository}:
 * the directory of `<prefix>x`; the parameter's pattern ends it in one '/').
 */
export function initImageRepositorySection(opts: UserDataOptions, initConfig: string): string {
  if (!opts.deployTimeRegistries) return '';
  return String.raw`  if [[ -n $${PREFIX_VAR} ]] && ! grep -q '^imageRepository:' ${initConfig}; then
    sed -i "/^kind: ClusterConfiguration\$/a imageRepository: $(dirname "$${PREFIX_VAR}"x)" ${initConfig}
  fi
`;
}

/**
 * Deploy time, after the sandbox image kubeadm names: the same image from
 * the prefix (the last path element kept: what `--image-repository` gives).
 */
export function sandboxImageSection(opts: UserDataOptions): string {
  if (!opts.deployTimeRegistries) return '';
  return String.raw`  if [[ -n $${PREFIX_VAR} ]]; then pause=$${PREFIX_VAR}$(basename "$pause"); fi
`;
}
