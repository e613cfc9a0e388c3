/**
 * Calico as the bay's network driver (Magnum's `network_driver: calico`):
 * the pinned release's `manifests/calico.yaml`, downloaded by the first
 * master after `kubeadm init`, checked against its sha256 (the bootstrap
 * fails, nothing applied, on any other content), then edited for the bay:
 * the IPv4 pool (the pod network), its encapsulation, Felix's chain insert
 * mode, and the images' registry (`containerInfraPrefix`).
 *
 * Release choice: Calico v3.30 is tested on Kubernetes v1.30 to v1.33
 * (Tigera's system requirements), which covers kubebay's default v1.31
 * and the documented minor upgrades (v1.32, v1.33); v3.29 stops at v1.32
 * and v3.31 starts at v1.32. v3.30.7 is the last patch release of v3.30.
 */
import { flannelImagesSection } from './egress';
import { UserDataOptions } from './options';

/** Pinned Calico release. */
export const CALICO_VERSION = 'v3.30.7';
/** The release's manifest (GitHub serves the tagged blob). */
export const CALICO_MANIFEST_URL = `https://raw.githubusercontent.com/projectcalico/calico/${CALICO_VERSION}/manifests/calico.yaml`;
/**
 * sha256 of {@link CALICO_MANIFEST_URL}: `git show v3.30.7:manifests/calico.yaml | sha256sum`
 * in a clone of github.com/projectcalico/calico (541,790 bytes).
 */
export const CALICO_MANIFEST_SHA256 = 'ed105288f27c7ba4cae143bcaa3f6425f02d84fa94a4786cc8e3d371412c1a36';

/** How pod traffic crosses between nodes: the IPv4 pool's IP-in-IP or VXLAN mode, or routed as is. */
export const CALICO_ENCAPSULATIONS = ['ipip', 'vxlan', 'none'] as const;
export type CalicoEncapsulation = (typeof CALICO_ENCAPSULATIONS)[number];

/** Network drivers (Magnum's `network_driver`). */
export const NETWORK_DRIVERS = ['flannel', 'calico'] as const;
export type NetworkDriver = (typeof NETWORK_DRIVERS)[number];

/** A Calico manifest to apply instead of the pinned release's (a mirror for clouds without internet access). */
export interface CalicoManifest {
  /** http(s) URL of the manifest. */
  readonly url: string;
  /** Its sha256, 64 hex digits: the bootstrap applies nothing else. */
  readonly sha256: string;
}

/** The pool's IPIP and VXLAN modes (calico-node's CALICO_IPV4POOL_IPIP / _VXLAN) of an encapsulation. */
export function poolModes(encapsulation: CalicoEncapsulation): { ipip: string; vxlan: string } {
  return { ipip: encapsulation === 'ipip' ? 'Always' : 'Never', vxlan: encapsulation === 'vxlan' ? 'Always' : 'Never' };
}

/**
 * sed edits of the manifest: CALICO_IPV4POOL_CIDR (the pod network) and
 * FELIX_CHAININSERTMODE=Append added to calico-node's env before
 * CALICO_DISABLE_FILE_LOGGING (the release's CALICO_IPV4POOL_CIDR is a
 * comment), and the pool's modes where they differ from the release's (IPIP
 * Always, VXLAN Never: the value line after each name). Append: Felix adds
 * its chains after the metadata-service block kubebay inserts first in
 * FORWARD, which stays ahead of Calico's accept rules.
 */
function edits(pods: string, modes: { ipip: string; vxlan: string }): string {
  return [
    modes.ipip === 'Always' ? '' : String.raw`/IPV4POOL_IPIP$/{n;s@"Always"@"${modes.ipip}"@}`,
    modes.vxlan === 'Never' ? '' : String.raw`/IPV4POOL_VXLAN$/{n;s@"Never"@"${modes.vxlan}"@}`,
    String.raw`s@^\( *\)\(- name: CALICO_DISABLE_FILE_LOGGING\)$@\1- name: CALICO_IPV4POOL_CIDR\n\1  value: "${pods}"\n\1- name: FELIX_CHAININSERTMODE\n\1  value: "Append"\n\1\2@`,
  ]
    .filter(Boolean)
    .map((e) => `-e '${e}'`)
    .join(' ');
}

/** The checks of the edits, a line each: every edited value in place (the release's other values are pinned by its sha256). */
function checks(modes: { ipip: string; vxlan: string }): string {
  const tests = [`grep -qF FELIX_CHAININSERTMODE "$f"`];
  if (modes.ipip !== 'Always') tests.push(`grep -A1 'IPV4POOL_IPIP$' "$f" | grep -F '"${modes.ipip}"' >/dev/null`);
  if (modes.vxlan !== 'Never') tests.push(`grep -A1 'IPV4POOL_VXLAN$' "$f" | grep -F '"${modes.vxlan}"' >/dev/null`);
  return tests.map((t) => `  ${t} || die "calico manifest: not edited"\n`).join('');
}

/**
 * First master, after `kubeadm init`: the Calico manifest downloaded,
 * verified (sha256), edited, checked and applied (server-side: its CRDs are
 * too large for client-side apply's last-applied annotation).
 */
export function calicoSection(opts: UserDataOptions): string {
  const manifest = opts.calicoManifest ?? { url: CALICO_MANIFEST_URL, sha256: CALICO_MANIFEST_SHA256 };
  const modes = poolModes(opts.calicoEncapsulation ?? 'ipip');
  const pods = opts.podNetworkCidr;
  return String.raw`  log "calico ${CALICO_VERSION}"
  f=$K/kubeadm/calico.yaml
  retry 10 15 curl -fsSL --max-time 60 -o "$f" ${manifest.url}
  echo "${manifest.sha256}  $f" | sha256sum -c --quiet - || die "calico manifest: sha256 mismatch, nothing applied"
  sed -i ${edits(pods, modes)} "$f"
${checks(modes)}${flannelImagesSection(opts, 'calico')}  retry 20 15 kubectl --kubeconfig "$K/admin.conf" apply --server-side --force-conflicts -f "$f"
`;
}
