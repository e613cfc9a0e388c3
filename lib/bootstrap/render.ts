import { toYaml } from '../core/yaml';
import { KUBEADM_INIT_CONFIG, KUBEADM_JOIN_CONFIG, initConfig, joinConfig } from './kubeadm';
import { UserDataOptions, validateOptions } from './options';
import { Placeholder, findPlaceholders, placeholder } from './placeholders';
import {
  BOOTSTRAP_LOG,
  BOOTSTRAP_SCRIPT_PATH,
  METADATA_BLOCK_UNIT,
  blocksHostNetworkPods,
  bootstrapScript,
  metadataBlockUnit,
} from './script';
import { gzipSync } from 'node:zlib';
import { addonManifest } from './addons';
import { BOOTSTRAP_ENV_PATH, bootstrapEnv } from './env';
import { ADDONS_PATH, CLOUD_CONF_PATH, OPENSTACK_CA_PATH, cloudConf, usesCloudConfig } from './cloud';
import { egressFiles, prefixManifestImages } from './egress';
import { DNS_SERVICE_PATH, dnsService } from './networking';

/** User data of one node role: a single `#cloud-config` document with placeholders. */
export interface RenderedUserData {
  /** The `#cloud-config` text, with `@@NAME@@` placeholders. */
  readonly text: string;
  /** Exactly the placeholders that occur in `text`, in PLACEHOLDERS order. */
  readonly placeholders: readonly Placeholder[];
  /**
   * The bootstrap script as the node runs it (the text carries it gzipped):
   * fixed at synth time, no placeholders; it sources {@link BOOTSTRAP_ENV_PATH}.
   */
  readonly script: string;
}

/** One entry of cloud-init's `write_files`. */
interface WriteFile {
  readonly path: string;
  readonly content: string;
  readonly encoding?: 'b64' | 'gz+b64';
  readonly owner: string;
  readonly permissions: string;
}

function file(path: string, content: string, permissions = '0644'): WriteFile {
  return { path, content, owner: 'root:root', permissions };
}

/** A PEM file carried as the base64 of the PEM (one line: substitution cannot break the YAML). */
function pem(path: string, name: Placeholder, permissions: string): WriteFile {
  return { path, encoding: 'b64', content: placeholder(name), owner: 'root:root', permissions };
}

/**
 * A render-time file, gzipped (level 9, no name or time in the header) and
 * base64-encoded: the add-on manifests would not fit Nova's user-data limit
 * as text. Same input, same bytes (for a given zlib: a Node upgrade that
 * changes zlib's output would change the first master's user data).
 */
function gzipped(path: string, content: string, permissions = '0644'): WriteFile {
  return { path, encoding: 'gz+b64', content: gzipBase64(content), owner: 'root:root', permissions };
}

/** The last texts gzipped, by content: every bay, role and format of a process compresses the same script and add-ons. */
const GZIPPED = new Map<string, string>();
const GZIPPED_MAX = 16;

/** `content` gzipped (level 9) and base64-encoded, memoized by content (the same bytes as a fresh call). */
export function gzipBase64(content: string): string {
  const hit = GZIPPED.get(content);
  if (hit !== undefined) return hit;
  const gz = gzipSync(Buffer.from(content, 'utf8'), { level: 9 }).toString('base64');
  if (GZIPPED.size >= GZIPPED_MAX) GZIPPED.delete(GZIPPED.keys().next().value!);
  GZIPPED.set(content, gz);
  return gz;
}

/**
 * The bootstrap script, gzipped, and the small plain environment file with
 * its deploy-time values (see ./env). A placeholder in the script itself
 * would be substituted inside compressed bytes, i.e. never: refused.
 */
function scriptFiles(script: string): WriteFile[] {
  const inScript = findPlaceholders(script);
  if (inScript.length > 0) {
    throw new Error(
      `bootstrap script: placeholder(s) ${inScript.join(', ')} in the gzipped script; read them through ${BOOTSTRAP_ENV_PATH} (envRef)`,
    );
  }
  return [file(BOOTSTRAP_ENV_PATH, bootstrapEnv(script), '0600'), gzipped(BOOTSTRAP_SCRIPT_PATH, script, '0700')];
}

/** The cloud integration's files: the CA bundle (every role), cloud.conf and the add-ons (first master). */
function cloudFiles(opts: UserDataOptions): WriteFile[] {
  const files: WriteFile[] = opts.openstackCa ? [pem(OPENSTACK_CA_PATH, 'OPENSTACK_CA', '0644')] : [];
  if (usesCloudConfig(opts)) {
    files.push(file(CLOUD_CONF_PATH, cloudConf(opts), '0600'));
    files.push(gzipped(ADDONS_PATH, prefixManifestImages(addonManifest(opts), opts.imagePrefix)));
  }
  return files;
}

/**
 * The shared control-plane key material kubeadm expects before `init` (which
 * then generates everything else from it) or a control-plane `join`.
 * Minions get none of it: no private key, and no ca.crt either (kubeadm's
 * worker preflight fails on an existing /etc/kubernetes/pki/ca.crt).
 */
function controlPlanePki(): WriteFile[] {
  const dir = '/etc/kubernetes/pki';
  return [
    pem(`${dir}/ca.crt`, 'CA_CRT', '0644'),
    pem(`${dir}/ca.key`, 'CA_KEY', '0600'),
    pem(`${dir}/front-proxy-ca.crt`, 'FRONT_PROXY_CA_CRT', '0644'),
    pem(`${dir}/front-proxy-ca.key`, 'FRONT_PROXY_CA_KEY', '0600'),
    pem(`${dir}/etcd/ca.crt`, 'ETCD_CA_CRT', '0644'),
    pem(`${dir}/etcd/ca.key`, 'ETCD_CA_KEY', '0600'),
    pem(`${dir}/sa.key`, 'SA_KEY', '0600'),
    pem(`${dir}/sa.pub`, 'SA_PUB', '0644'),
  ];
}

/**
 * Renders the user data of a node role: ONE `#cloud-config` document
 * (multi-part user data merges badly) made of `write_files` (key material,
 * kubeadm configuration, kernel settings, the metadata-block unit, the
 * bootstrap script, gzipped, and its plain environment file with the
 * deploy-time values) and a `runcmd` running the script, logged to
 * /var/log/kubebay-bootstrap.log.
 *
 * Deterministic: the same options always give the same text. Secrets (see
 * `PLACEHOLDERS[name].secret`) only appear as placeholders.
 *
 * Size: Nova refuses user data whose base64 exceeds 65,535 bytes. With
 * RSA-4096 material the first master (the largest) comes to about 50 KB of
 * base64 once substituted, most of it key material (measured by
 * scripts/check-userdata.mjs); the gzipped script is about 5 KB of it.
 */
export function renderUserData(opts: UserDataOptions): RenderedUserData {
  validateOptions(opts);
  const controlPlane = opts.role !== 'minion';
  const script = bootstrapScript(opts);
  const writeFiles: WriteFile[] = [
    ...cloudFiles(opts),
    ...(controlPlane ? controlPlanePki() : []),
    ...(opts.role === 'first-master' ? [file(KUBEADM_INIT_CONFIG, initConfig(opts), '0600')] : []),
    ...(opts.role === 'first-master' && opts.dnsServiceIp ? [file(DNS_SERVICE_PATH, dnsService(opts.dnsServiceIp))] : []),
    ...egressFiles(opts).map((f) => file(f.path, f.content)),
    file(KUBEADM_JOIN_CONFIG, joinConfig(controlPlane, opts), '0600'),
    file('/etc/modules-load.d/kubebay.conf', 'overlay\nbr_netfilter\n'),
    file(
      '/etc/sysctl.d/90-kubebay.conf',
      'net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n',
    ),
    file(`/etc/systemd/system/${METADATA_BLOCK_UNIT}`, metadataBlockUnit(opts.podNetworkCidr, blocksHostNetworkPods(opts))),
    ...scriptFiles(script),
  ];
  const cloudConfig = {
    write_files: writeFiles,
    runcmd: [`${BOOTSTRAP_SCRIPT_PATH} >>${BOOTSTRAP_LOG} 2>&1`],
  };
  const text = `#cloud-config\n${toYaml(cloudConfig, { literalBlocks: true })}`;
  return { text, placeholders: findPlaceholders(text), script };
}
