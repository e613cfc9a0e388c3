/**
 * flannel, the bay's default network driver: the pinned release's
 * `kube-flannel.yml`, downloaded by the first master after `kubeadm init`,
 * checked against its sha256 (the bootstrap fails, nothing applied, on any
 * other content), then edited for the bay (script.ts: the pod network, the
 * backend, the images' registry).
 *
 * Which file: the release asset `kube-flannel.yml` is not a file of the
 * tag; flannel's release workflow builds it with `kubectl kustomize`
 * (Makefile `release-manifest`), so its bytes can not be checked against
 * the repository. The tag's `Documentation/kube-flannel.yml` is the
 * kustomization's manifest with its `commonLabels` applied (the same
 * resources the asset is built from; images ghcr.io/flannel-io/flannel:v0.26.7
 * and flannel-cni-plugin:v1.6.2-flannel1): it is the pinned file, from
 * raw.githubusercontent.com (as Calico's).
 *
 * Bays created before kubebay checked the manifest download the release
 * asset unchecked, as they always did ({@link FLANNEL_MANIFEST_UNCHECKED}):
 * a change of the first master's user data would make Heat replace master 0
 * for nothing (flannel is applied once, at `kubeadm init`). The bay record
 * says which bays check it (`"flannelManifest": "checked"`).
 */

/** Pinned flannel release. */
export const FLANNEL_VERSION = 'v0.26.7';
/** The release's asset: what bays created before the check download, unchecked. */
export const FLANNEL_RELEASE_ASSET_URL = `https://github.com/flannel-io/flannel/releases/download/${FLANNEL_VERSION}/kube-flannel.yml`;
/** The tag's manifest (GitHub serves the tagged blob). */
export const FLANNEL_MANIFEST_URL = `https://raw.githubusercontent.com/flannel-io/flannel/${FLANNEL_VERSION}/Documentation/kube-flannel.yml`;
/**
 * sha256 of {@link FLANNEL_MANIFEST_URL}: `git show v0.26.7:Documentation/kube-flannel.yml | sha256sum`
 * in a clone of github.com/flannel-io/flannel (4,348 bytes, blob e1167414291884041b6111944b2446b14762ac15).
 */
export const FLANNEL_MANIFEST_SHA256 = 'd3f539ef073032bdbd2d32900719400e0050a8ae1d00a9fef75d9d0f079c7d54';

/** A flannel manifest to apply instead of the pinned release's (a mirror for clouds without internet access). */
export interface FlannelManifest {
  /** http(s) URL of the manifest. */
  readonly url: string;
  /** Its sha256, 64 hex digits: the bootstrap applies nothing else. */
  readonly sha256: string;
}

/** The release asset, unchecked: the first master's user data of bays created before kubebay checked the manifest. */
export const FLANNEL_MANIFEST_UNCHECKED = 'release-asset-unchecked';

/**
 * First master: the flannel manifest downloaded to "$f" and checked against
 * its sha256 (a mismatch fails the bootstrap with both sums, before anything
 * is applied); the release asset, unchecked, for {@link FLANNEL_MANIFEST_UNCHECKED}.
 */
export function flannelDownload(manifest: FlannelManifest | typeof FLANNEL_MANIFEST_UNCHECKED | undefined): string {
  if (manifest === FLANNEL_MANIFEST_UNCHECKED) return `  retry 10 15 curl -fsSL --max-time 60 -o "$f" ${FLANNEL_RELEASE_ASSET_URL}\n`;
  const m = manifest ?? { url: FLANNEL_MANIFEST_URL, sha256: FLANNEL_MANIFEST_SHA256 };
  return String.raw`  retry 10 15 curl -fsSL --max-time 60 -o "$f" ${m.url}
  sha=$(sha256sum "$f" | cut -d ' ' -f 1)
  [[ $sha == ${m.sha256} ]] || die "flannel manifest ${m.url}: sha256 $sha, expected ${m.sha256}; nothing applied"
`;
}
