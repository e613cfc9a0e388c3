#!/usr/bin/env bash
# Byte-for-byte guard for refactors: every example and variant output, before and after.
#   scripts/outputs-golden.sh record DIR    synthesize everything into DIR (with its own certificate stores)
#   scripts/outputs-golden.sh compare DIR   synthesize again into a copy of DIR (same stores) and diff the outputs
# Run after `npm run build` (it uses dist/). Bay records (.kubebay/) are not compared.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:?record|compare}; dir=${2:?DIR}
case $mode in
  record) rm -rf "$dir"; KUBEBAY_OUTPUTS_DIR=$dir KUBEBAY_OUTPUTS_SYNTH_ONLY=1 bash "$repo/scripts/check-outputs.sh" >/dev/null
          echo "recorded $(find "$dir" -type f -not -path '*/.kubebay/*' | wc -l) files in $dir" ;;
  compare) ref=$(cd "$dir" && pwd); new=$(mktemp -d "${TMPDIR:-/tmp}/kubebay-golden.XXXXXX")
          # Same absolute path as the reference (outputs may name it): swap the reference aside meanwhile.
          mv "$ref" "$new/ref"; cp -a "$new/ref" "$ref"
          trap 'rm -rf "$ref"; mv "$new/ref" "$ref"; rm -rf "$new"' EXIT
          KUBEBAY_OUTPUTS_DIR=$ref KUBEBAY_OUTPUTS_SYNTH_ONLY=1 bash "$repo/scripts/check-outputs.sh" >/dev/null
          if diff -r -x .kubebay -x '*.log' "$new/ref" "$ref"; then echo "outputs identical"; else echo "outputs differ (above)"; exit 1; fi ;;
  *) echo "usage: $0 record|compare DIR" >&2; exit 2 ;;
esac
