/**
 * The bootstrap shell script (bash, shellcheck-clean), written by cloud-init
 * to {@link BOOTSTRAP_SCRIPT_PATH} and run from `runcmd`.
 *
 * The script is assembled per role and options at render time, so each
 * node's user data only carries what that node runs. Its sections are
 * `String.raw` templates: backslashes are the shell's own; TypeScript
 * interpolations `${...}` are render-time values, and the shell text avoids
 * `${...}` altogether.
 */
import { KUBEADM_INIT_CONFIG, KUBEADM_JOIN_CONFIG } from './kubeadm';
import { KUBERNETES_VERSION_ERE, MIN_KUBERNETES_MINOR } from '../core/version';
import { UserDataOptions } from './options';
import { NOTIFY_FUNCTION, envRef, sourceEnv } from './env';
import { addonsSection, caSection } from './cloud';
import { rejoinFunctions } from './etcd-reconcile';
import {
  containerdRegistryEdit,
  flannelImagesSection,
  imageRepositoryFlag,
  initImageRepositorySection,
  proxySection,
  registriesSection,
  sandboxImageSection,
} from './egress';
import { dnsServiceSection, flannelBackendSection } from './networking';
import { calicoSection } from './calico';
import { FLANNEL_VERSION, flannelDownload } from './flannel';
import { versionSkewFunctions } from './version-skew';

export const BOOTSTRAP_SCRIPT_PATH = '/usr/local/sbin/kubebay-bootstrap';
export const BOOTSTRAP_LOG = '/var/log/kubebay-bootstrap.log';

/** Network of the flannel manifest's net-conf.json, replaced with the pod CIDR. */
const FLANNEL_DEFAULT_NETWORK = '10.244.0.0/16';

/**
 * systemd unit (written by write_files) that re-applies the metadata-service
 * block at every boot, before kubelet. The masters' user data holds the CA
 * keys, the minions' the bootstrap token, and Nova serves it to anything that
 * reaches 169.254.169.254:
 *
 * - pod traffic (routed through FORWARD) to it is dropped. The rule is
 *   inserted first in FORWARD: kube-proxy's jumps, inserted above it later,
 *   accept no new connections, and flannel appends its FLANNEL-FWD accept rules;
 * - pods on the host network share the node's address, so they are told apart
 *   by their cgroup: every container runs below `kubepods.slice` (kubelet's
 *   systemd cgroup driver, cgroup v2), cloud-init, kubelet, containerd and the
 *   system services in `system.slice`. Their traffic to the metadata service
 *   is dropped in OUTPUT (`-m cgroup --path kubepods.slice`). The kernel
 *   resolves the path when the rule is inserted, so the unit starts the slice
 *   first (kubelet adopts an existing kubepods.slice, as after its own restarts).
 *   Not with Cinder CSI: its node plugin (a host-network pod) finds its
 *   instance id through the metadata service (no config drive).
 */
export const METADATA_BLOCK_UNIT = 'kubebay-metadata-block.service';
export const METADATA_ADDRESS = '169.254.169.254';
/** The cgroup (v2, below the root) of every container kubelet runs (systemd cgroup driver). */
export const PODS_CGROUP = 'kubepods.slice';

/** The API endpoint as the script reads it: `<VIP>:<port>` from the environment file. */
const API = `${envRef('API_VIP')}:${envRef('KUBERNETES_PORT')}`;

/** Where the control-plane key material is kept while kubeadm may `reset` (which empties /etc/kubernetes/pki). */
const PKI_SEED = '/etc/kubernetes/kubebay-pki-seed';

/** pkgs.k8s.io repositories: `<base>v1.<minor>/deb/`. */
const PACKAGE_REPOSITORY_BASE = 'https://pkgs.k8s.io/core:/stable:/';

/** The iptables rule (without the command and action) dropping pod traffic to the metadata service. */
export function metadataBlockRule(podNetworkCidr: string): string {
  return `FORWARD -s ${podNetworkCidr} -d ${METADATA_ADDRESS}/32 -m comment --comment kubebay-metadata-block -j DROP`;
}

/** The iptables rule (without the command and action) dropping host-network pods' traffic to the metadata service. */
export function hostNetworkMetadataBlockRule(): string {
  return `OUTPUT -d ${METADATA_ADDRESS}/32 -m cgroup --path ${PODS_CGROUP} -m comment --comment kubebay-metadata-block-host-network -j DROP`;
}

/** Whether host-network pods are blocked too (not with Cinder CSI, whose node plugin needs the metadata service). */
export function blocksHostNetworkPods(opts: Pick<UserDataOptions, 'cinderCsi'>): boolean {
  return opts.cinderCsi !== true;
}

/** Delete-then-insert keeps exactly one copy of a rule, first in its chain. */
function insertFirst(rule: string): string[] {
  const [chain, ...rest] = rule.split(' ');
  return [`ExecStart=-iptables -w -D ${rule}`, `ExecStart=iptables -w -I ${chain} 1 ${rest.join(' ')}`];
}

/** Content of {@link METADATA_BLOCK_UNIT}. */
export function metadataBlockUnit(podNetworkCidr: string, hostNetwork = true): string {
  return [
    '[Unit]',
    `Description=kubebay: drop pod traffic to the metadata service${hostNetwork ? ' (host-network pods too)' : ''}`,
    ...(hostNetwork ? [`Wants=${PODS_CGROUP}`, `After=${PODS_CGROUP}`] : []),
    'Before=kubelet.service',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    ...insertFirst(metadataBlockRule(podNetworkCidr)),
    ...(hostNetwork ? insertFirst(hostNetworkMetadataBlockRule()) : []),
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** Attempts of a wait-condition signal, with back-off (5, 10, 20, 40, then 60 s): about 8 minutes in all. */
export const SIGNAL_ATTEMPTS = 10;

/**
 * Seconds kept free at the end of the wait-condition timeout for the FAILURE
 * signal (with its retries): the kubeadm retries stop before.
 */
export const SIGNAL_RESERVE_SECONDS = 600;

function header(opts: UserDataOptions): string {
  return String.raw`#!/bin/bash
# kubebay bootstrap (${opts.role}); generated, see kubebay lib/bootstrap. Log: ${BOOTSTRAP_LOG}
set -euo pipefail
set -o errtrace
${sourceEnv()}export DEBIAN_FRONTEND=noninteractive
K=/etc/kubernetes
reason=
log() { echo "[kubebay $(date -u +%FT%TZ)] $*"; }
# die <reason>: fail with this reason (no double quotes)
die() {
  reason=$*
  log "$reason"
  return 1
}
${signalFunctions()}${retryFunctions()}`;
}

/** The node's signal id and the retried Heat/Terraform signal, with the ERR trap that reports a failure. */
function signalFunctions(): string {
  const notify = NOTIFY_FUNCTION;
  return String.raw`# this server's id, the id of its signals (cloud-init's instance id: Nova's server
# UUID on OpenStack; a replacement server signals anew under its own id)
instance_id() {
  local f
  for f in /run/cloud-init/.instance-id /var/lib/cloud/data/instance-id; do
    if [[ -s $f ]]; then
      tr -d '[:space:]' <"$f"
      return 0
    fi
  done
  hostname
}
sid=$(instance_id)
# signal <json>: retried with back-off; an HTTP error fails an attempt
signal() {
  local i pause=5
  for ((i = 1; ; i++)); do
    if ${notify} --fail --silent --show-error --max-time 60 --data-binary "$1"; then return 0; fi
    if ((i >= ${SIGNAL_ATTEMPTS})); then
      log "signal: attempt $i/${SIGNAL_ATTEMPTS} failed, giving up"
      return 1
    fi
    log "signal: attempt $i/${SIGNAL_ATTEMPTS} failed, retrying in $pause s"
    sleep "$pause"
    pause=$((pause * 2 > 60 ? 60 : pause * 2))
  done
}
fail() {
  trap - ERR
  log "FAILED (exit $1) at line $2"
  if [[ -z $reason ]]; then reason="kubebay-bootstrap failed (exit $1, line $2)"; fi
  signal "{\"status\": \"FAILURE\", \"reason\": \"$reason on $(hostname), see ${BOOTSTRAP_LOG}\", \"id\": \"$sid\"}" || true
  exit "$1"
}
trap 'fail $? $LINENO' ERR
`;
}

/** `retry`, and the retry budget that ends before the wait condition times out. */
function retryFunctions(): string {
  return String.raw`# retry <attempts> <pause> <command...>
retry() {
  local n=$1 pause=$2 i
  shift 2
  for ((i = 1; ; i++)); do
    if "$@"; then return 0; fi
    if ((i >= n)); then return 1; fi
    log "$1: attempt $i/$n failed, retrying in $pause s"
    sleep "$pause"
  done
}
# retries end before the wait condition times out: Heat gets the reason
wait_timeout=${envRef('WAIT_CONDITION_TIMEOUT')}
budget=$((wait_timeout - ${SIGNAL_RESERVE_SECONDS}))
if ((budget < wait_timeout / 2)); then budget=$((wait_timeout / 2)); fi
deadline=$((SECONDS + budget))
`;
}

/** Drop-in ordering containerd after the container-storage mount at every boot. */
export const CONTAINERD_STORAGE_DROPIN = '/etc/systemd/system/containerd.service.d/kubebay-storage.conf';

/**
 * Finds the Cinder volume by its serial (the volume id, which Nova passes
 * truncated to 20 characters on virtio-blk and whole on virtio-scsi): a
 * by-id link on any bus (`virtio-<serial>`, `scsi-0QEMU_QEMU_HARDDISK_<serial>`),
 * else the SERIAL column of lsblk. Waits up to 300 s, then fails with the
 * reason (never guesses a device such as /dev/vdb: that may be another disk).
 * awk reads all of lsblk's output: exiting at the first match could kill lsblk
 * with SIGPIPE, which `pipefail` and the ERR trap turn into a failed bootstrap
 * (the bootstrap simulation caught it).
 */
function findVolume(): string {
  return String.raw`find_volume() {
  local serial d
  serial=$(printf %.20s "$1")
  for d in /dev/disk/by-id/virtio-"$serial"* /dev/disk/by-id/scsi-*"$serial"*; do
    if [[ -b $d ]]; then
      readlink -f "$d"
      return 0
    fi
  done
  d=$(lsblk -d -n -p -o NAME,SERIAL 2>/dev/null | awk -v s="$serial" 'index($2, s) == 1 && d == "" { d = $1 } END { print d }')
  if [[ -n $d && -b $d ]]; then
    echo "$d"
    return 0
  fi
  return 1
}
`;
}

/**
 * Waits for the Cinder volume, formats it if it holds no filesystem,
 * mounts it on /var/lib/containerd (fstab entry by UUID, nofail, ordered
 * before containerd; containerd RequiresMountsFor it). An empty VOLUME_ID
 * (no volume after all, e.g. a volume size parameter set to 0 at deploy
 * time) skips the section.
 */
function volume(opts: UserDataOptions): string {
  // With preinstalled packages containerd already runs and the image may hold
  // preloaded images: stop it and carry its state over to a fresh volume.
  const stop = opts.preinstalledPackages ? '  systemctl stop containerd\n' : '';
  const carryOver = opts.preinstalledPackages
    ? String.raw`    m=$(mktemp -d)
    mount "$dev" "$m"
    if [[ -d /var/lib/containerd ]]; then cp -a /var/lib/containerd/. "$m"/; fi
    umount "$m"
    rmdir "$m"
`
    : '';
  return String.raw`${findVolume()}vol_id=${envRef('VOLUME_ID')}
if [[ -z $vol_id ]]; then
  log "no container storage volume"
else
  log "container storage volume $vol_id"
  dev=
  for ((i = 0; i < 60; i++)); do
    if dev=$(find_volume "$vol_id"); then break; fi
    sleep 5
  done
  if [[ -z $dev ]]; then
    die "volume $vol_id did not appear within 300 s (no disk by-id or lsblk SERIAL)"
  fi
  log "volume $vol_id is $dev"
${stop}  if ! blkid -p "$dev" >/dev/null 2>&1; then
    log "formatting $dev"
    mkfs.ext4 -q "$dev"
${carryOver}  fi
  uuid=$(blkid -p -s UUID -o value "$dev")
  mkdir -p /var/lib/containerd "$(dirname ${CONTAINERD_STORAGE_DROPIN})"
  grep -q "^UUID=$uuid " /etc/fstab ||
    echo "UUID=$uuid /var/lib/containerd ext4 defaults,nofail,x-systemd.before=containerd.service 0 2" >>/etc/fstab
  printf '[Unit]\nRequiresMountsFor=/var/lib/containerd\n' >${CONTAINERD_STORAGE_DROPIN}
  systemctl daemon-reload
  mountpoint -q /var/lib/containerd || mount /var/lib/containerd
fi
`;
}

function kernel(): string {
  return String.raw`log "kernel prerequisites"
modprobe overlay
modprobe br_netfilter
sysctl --system >/dev/null
swapoff -a
sed -i '/^[^#].*\sswap\s/s/^/#/' /etc/fstab
`;
}

/**
 * Parses the deploy-time Kubernetes version (KUBERNETES_VERSION) with the
 * rules of `parseKubernetesVersion`: sets `kminor` (the minor, e.g. 31) and
 * `kpatch` (e.g. 1.31.2, empty for a minor-only version); a malformed or too
 * old version fails the bootstrap. The value is safe in single quotes: the
 * kubernetes_version parameter only admits `v1.<digits>[.<digits>]`.
 */
function kubernetesVersionShell(): string {
  return String.raw`kver=${envRef('KUBERNETES_VERSION')}
re='${KUBERNETES_VERSION_ERE}'
if [[ ! $kver =~ $re ]]; then
  log "Kubernetes version '$kver': expected v1.<minor> or v1.<minor>.<patch>"
  false
fi
IFS=. read -r _ kminor kpatch <<<"$kver"
kminor=$((10#$kminor))
if ((kminor < ${MIN_KUBERNETES_MINOR})); then
  log "Kubernetes version $kver: at least v1.${MIN_KUBERNETES_MINOR} is required (kubeadm configuration v1beta4)"
  false
fi
if [[ -n $kpatch ]]; then
  kpatch=1.$kminor.$((10#$kpatch))
  log "Kubernetes $kpatch"
else
  log "Kubernetes v1.$kminor (newest patch)"
fi
`;
}

/**
 * containerd from the distribution, kubelet/kubeadm/kubectl/CNI plugins from
 * the pkgs.k8s.io repository of the minor, pinned to `<patch>-*` for a full
 * version (after {@link kubernetesVersionShell}).
 */
function packages(): string {
  const key = '/etc/apt/keyrings/kubernetes.asc';
  return String.raw`repo=${PACKAGE_REPOSITORY_BASE}v1.$kminor/deb/
pin=
if [[ -n $kpatch ]]; then pin="=$kpatch-*"; fi
log "packages from $repo"
apt_get() { retry 10 15 apt-get -q -y -o DPkg::Lock::Timeout=600 "$@"; }
apt_get update
apt_get install ca-certificates curl
install -d -m 0755 /etc/apt/keyrings
retry 10 15 curl -fsSL --max-time 60 -o ${key} "$repo"Release.key
chmod 0644 ${key}
echo "deb [signed-by=${key}] $repo /" >/etc/apt/sources.list.d/kubernetes.list
apt_get update
apt_get install containerd kubernetes-cni "kubelet$pin" "kubeadm$pin" "kubectl$pin"
apt-mark hold containerd kubelet kubeadm kubectl
`;
}

/** First line of the containerd configuration kubebay writes: a re-run keeps a file that has it. */
export const CONTAINERD_CONFIG_MARKER = '# kubebay containerd config';

/**
 * containerd's configuration (installed packages only; a preinstalled image
 * keeps its own): the default with systemd cgroups and the sandbox (pause)
 * image kubeadm expects for the installed version, so preflight does not
 * warn and kubelet and containerd agree. Written once: a re-run keeps the
 * file and does not restart containerd.
 */
function containerdConfig(opts: UserDataOptions): string {
  const cfg = '/etc/containerd/config.toml';
  const registry = containerdRegistryEdit(opts);
  return String.raw`cfg=${cfg} mark='${CONTAINERD_CONFIG_MARKER}'
if [[ -f $cfg ]] && grep -qxF "$mark" "$cfg"; then
  log "containerd configuration already written, kept"
else
  kv=$(kubeadm version -o short)
  if [[ -n $kpatch ]]; then kv=v$kpatch; fi
  # awk reads the whole list: grep -m 1 could kill kubeadm with SIGPIPE (pipefail: exit 141)
  pause=$(kubeadm config images list --kubernetes-version "$kv"${imageRepositoryFlag(opts)} | awk '/\/pause:/ && p == "" { p = $0 } END { print p }')
  if [[ -z $pause ]]; then die "kubeadm config images list names no pause image for $kv"; fi
${sandboxImageSection(opts)}  log "containerd: systemd cgroups, sandbox image $pause"
  mkdir -p /etc/containerd
  {
    echo "$mark"
    containerd config default |
      sed -e 's/SystemdCgroup = false/SystemdCgroup = true/' -e "s#^\( *sandbox_image = \).*#\1\"$pause\"#"${registry.sed}
  } >"$cfg.new"
  grep -q 'SystemdCgroup = true' "$cfg.new"
  grep -qF "sandbox_image = \"$pause\"" "$cfg.new"
${registry.check}  mv "$cfg.new" "$cfg"
  systemctl restart containerd
fi
`;
}

function services(opts: UserDataOptions): string {
  return String.raw`systemctl enable containerd kubelet
systemctl start containerd
log "blocking pods (${opts.podNetworkCidr}${blocksHostNetworkPods(opts) ? ' and the host network' : ''}) from the metadata service"
systemctl daemon-reload
systemctl enable --now ${METADATA_BLOCK_UNIT}
`;
}

/**
 * kubeadm with retries: the API load balancer (and, for joins, the first
 * master) may need a while. A failed attempt is reset; reset empties
 * /etc/kubernetes/pki, so masters restore their CAs from a seed copy. The
 * attempts (each bounded by `timeout`) end at the deadline set in the header,
 * before the wait condition times out.
 */
function kubeadmRetry(controlPlane: boolean): string {
  const seed = controlPlane
    ? String.raw`seed=${PKI_SEED}
[[ -d $seed ]] || cp -a "$K/pki" "$seed"
chmod 0700 "$seed"
`
    : '';
  const restore = controlPlane ? String.raw`    rm -rf "$K/pki"
    cp -a "$seed" "$K/pki"
    chmod 0755 "$K/pki"
` : '';
  return String.raw`${seed}kubeadm_retry() {
  local i left
  for ((i = 1; ; i++)); do
    left=$((deadline - SECONDS))
    if ((left <= 0)); then die "kubeadm $1 did not succeed within the retry budget ($budget s, attempt $i)"; fi
    if timeout "$left" kubeadm "$@"; then return 0; fi
    if ((i >= 20)); then die "kubeadm $1 failed 20 times"; fi
    log "kubeadm $1 failed (attempt $i/20), resetting and retrying in 30 s"
    kubeadm reset -f || true
${restore}    sleep 30
  done
}
`;
}

function role(opts: UserDataOptions): string {
  const join = `kubeadm_retry join --config ${KUBEADM_JOIN_CONFIG}`;
  if (opts.role === 'minion') {
    return String.raw`${versionSkewFunctions(API)}if [[ -f $K/kubelet.conf ]]; then
  log "already joined"
else
  wait_api_version
  log "joining the cluster"
  ${join}
fi
`;
  }
  const done = String.raw`rm -rf "$seed"
install -d -m 0700 /root/.kube
ln -sfn "$K/admin.conf" /root/.kube/config
`;
  if (opts.role === 'master') {
    return String.raw`if [[ -f $K/kubelet.conf ]]; then
  log "already joined"
else
  log "joining the control plane"
  etcd_forget_self
  ${join}
fi
${done}`;
  }
  return String.raw`if [[ -f $K/kubelet.conf ]]; then
  log "already bootstrapped"
elif api_answers; then
  log "the API already answers at ${API}: joining the existing control plane"
  etcd_forget_self
  ${join}
else
  log "kubeadm init"
  if [[ -n $kpatch ]] && ! grep -q '^kubernetesVersion:' ${KUBEADM_INIT_CONFIG}; then
    sed -i "/^kind: ClusterConfiguration\$/a kubernetesVersion: v$kpatch" ${KUBEADM_INIT_CONFIG}
  fi
${initImageRepositorySection(opts, KUBEADM_INIT_CONFIG)}  kubeadm_retry init --config ${KUBEADM_INIT_CONFIG} --skip-token-print
${dnsServiceSection(opts)}${opts.networkDriver === 'calico' ? calicoSection(opts) : flannelSection(opts)}${addonsSection(opts)}fi
${done}`;
}

/** First master, after `kubeadm init`: the pinned flannel manifest (checked: flannel.ts) with the pod network, backend and image prefix. */
function flannelSection(opts: UserDataOptions): string {
  const network = (cidr: string) => `"Network": "${cidr}"`;
  const escaped = network(FLANNEL_DEFAULT_NETWORK).replace(/\./g, '\\.');
  return String.raw`  log "flannel ${FLANNEL_VERSION}"
  f=$K/kubeadm/kube-flannel.yml
${flannelDownload(opts.flannelManifest)}  sed -i 's#${escaped}#${network(opts.podNetworkCidr)}#' "$f"
  grep -q '${network(opts.podNetworkCidr)}' "$f"
${flannelBackendSection(opts)}${flannelImagesSection(opts)}  retry 20 15 kubectl --kubeconfig "$K/admin.conf" apply -f "$f"
`;
}

function finish(): string {
  return String.raw`log "waiting for kubelet"
for ((i = 0; i < 60; i++)); do
  systemctl is-active --quiet kubelet && break
  sleep 5
done
systemctl is-active --quiet kubelet
signal "{\"status\": \"SUCCESS\", \"reason\": \"kubelet up on $(hostname)\", \"id\": \"$sid\"}"
log "done"
`;
}

/** The bootstrap script of a node. */
export function bootstrapScript(opts: UserDataOptions): string {
  const controlPlane = opts.role !== 'minion';
  return [
    header(opts),
    proxySection(opts),
    registriesSection(opts),
    opts.openstackCa ? caSection() : '',
    opts.dockerVolume ? volume(opts) : '',
    kernel(),
    // The version matters to the package installation and to `kubeadm init`.
    !opts.preinstalledPackages || opts.role === 'first-master' ? kubernetesVersionShell() : '',
    opts.preinstalledPackages ? '' : packages() + containerdConfig(opts),
    services(opts),
    kubeadmRetry(controlPlane),
    controlPlane ? rejoinFunctions(API) : '',
    role(opts),
    finish(),
  ].join('');
}
