#!/usr/bin/env bash
# Builds (once) the Debian root filesystem (minbase + ca-certificates) of the bootstrap simulation and
# caches it as a tarball: debootstrap --variant=minbase bookworm, from the
# mirror apt itself uses. Prints the tarball's path. Root only.
#   KUBEBAY_ROOTFS_TAR   cache file (default /var/cache/kubebay-rootfs-bookworm.tar)
set -euo pipefail
tar_file=${KUBEBAY_ROOTFS_TAR:-/var/cache/kubebay-rootfs-bookworm.tar}
if [[ -s $tar_file ]]; then
  echo "$tar_file"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
# The mirror apt uses (deb822 sources or sources.list), else Debian's CDN.
mirror=$(grep -hoE '^URIs: *http[^ ]*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | sed 's/^URIs: *//' || true)
if [[ -z $mirror ]]; then
  mirror=$(grep -hoE '^deb +http[^ ]*/debian/? ' /etc/apt/sources.list 2>/dev/null | head -n 1 | awk '{print $2}' || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
build=$(mktemp -d /var/tmp/kubebay-rootfs.XXXXXX)
trap 'rm -rf "$build"' EXIT
echo "debootstrap bookworm from $mirror" >&2
debootstrap --variant=minbase --include=ca-certificates bookworm "$build" "$mirror" >&2
mkdir -p "$(dirname "$tar_file")"
tar -C "$build" --numeric-owner -cf "$tar_file.tmp" .
mv "$tar_file.tmp" "$tar_file"
echo "$tar_file"
