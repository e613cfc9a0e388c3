#!/usr/bin/env bash
# CI: the bootstrap simulation (test/bootstrap/simulation.test.ts). Needs root:
# installs debootstrap if missing, builds (or reuses) the cached Debian root
# filesystem, then runs the simulation's jest file. Run after `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) != 0 ]]; then
  echo "bootstrap simulation: needs root (chroot, mknod)" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
start=$SECONDS
KUBEBAY_ROOTFS_TAR=$(bash scripts/bootstrap-rootfs.sh)
export KUBEBAY_ROOTFS_TAR
echo "root filesystem: $KUBEBAY_ROOTFS_TAR ($((SECONDS - start)) s)"
KUBEBAY_BOOTSTRAP_SIM=1 npx jest --runInBand test/bootstrap/simulation.test.ts
echo "bootstrap simulation: $((SECONDS - start)) s"
