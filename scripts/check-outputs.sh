#!/usr/bin/env bash
# Synthesizes every example (stacks/*.ts and the CLI on docs/example-bay.yaml)
# into a temporary directory and checks the outputs offline:
#   - each cdk.tf.json with ../shared/tools/check-tf-json.mjs (OpenStack provider schema),
#   - each HOT set with ../shared/tools/validate-hot -e environment.yaml -e secrets.env.yaml.
# Fails on any error. Run after `npm run build` (it uses dist/).
#
# The workload stack (stacks/workload.ts) holds Kubernetes provider resources,
# for which check-tf-json has no schema: its errors for exactly that (unknown
# kubernetes_* types, no schema for provider "kubernetes", no openstack provider
# in that stack) are expected and listed; any other error fails.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${KUBEBAY_TOOLS:-$repo/../shared/tools}
if [ ! -f "$repo/dist/stacks/two-bays.js" ] || [ ! -f "$repo/dist/lib/cli/main.js" ]; then
  echo "check-outputs: dist/ is missing; run npm run build first" >&2
  exit 2
fi
# KUBEBAY_OUTPUTS_DIR=DIR keeps everything (outputs and the certificate stores) in DIR, and a second run
# in the same DIR reuses the stores: scripts/outputs-golden.sh compares two runs byte for byte.
# KUBEBAY_OUTPUTS_SYNTH_ONLY=1 stops after synthesis (no schema or Heat checks).
if [ -n "${KUBEBAY_OUTPUTS_DIR:-}" ]; then
  mkdir -p "$KUBEBAY_OUTPUTS_DIR"
  tmp=$(cd "$KUBEBAY_OUTPUTS_DIR" && pwd)
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/kubebay-check-outputs.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
fi
export CHECKPOINT_DISABLE=1
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

# Run from the temp dir: the examples' certificate store (.kubebay/pki) lands there.
cd "$tmp"
echo "== synthesizing examples into $tmp"
node "$repo/dist/stacks/two-bays.js" "$tmp/two-bays" >/dev/null
node "$repo/dist/stacks/workload.js" "$tmp/workload" >/dev/null
node "$repo/dist/stacks/hot-composed.js" "$tmp/hot-composed" >/dev/null
node -e 'require(process.argv[1]).main({ tfOutdir: process.argv[2], hotOutdir: process.argv[3] })' \
  "$repo/dist/stacks/main.js" "$tmp/main/terraform" "$tmp/main/hot" 2>"$tmp/main.log" ||
  { cat "$tmp/main.log"; fail "stacks/main.js"; }
# The CLI on the README's config (its store: the temp dir's, not the repository's).
sed '/^pkiDir:/d' "$repo/docs/example-bay.yaml" > "$tmp/bay.yaml"
out=$(node "$repo/dist/lib/cli/main.js" synth --config "$tmp/bay.yaml" --out "$tmp/cli" 2>&1) ||
  { echo "$out"; fail "kubebay synth --config docs/example-bay.yaml"; }
# Variants of the bay (test/fixtures/variants): *.hot.yaml are HOT-only (e.g. LBaaS v1).
mkdir -p "$tmp/variant-configs"
cp "$repo"/test/fixtures/variants/*.yaml "$tmp/variant-configs/"   # their stores land in the temp dir
cp "$repo"/test/fixtures/variants/*.{pem,secret} "$tmp/variant-configs/" 2>/dev/null || true   # files the configs name
for cfg in "$tmp"/variant-configs/*.yaml; do
  v=$(basename "$cfg" .yaml)
  target=all
  [[ $v == *.hot ]] && target=hot
  out=$(node "$repo/dist/lib/cli/main.js" synth --config "$cfg" --target "$target" --out "$tmp/variants/${v%.hot}" 2>&1) ||
    { echo "$out"; fail "kubebay synth --config test/fixtures/variants/$v.yaml"; }
done

for f in cli/terraform/stacks/example/cdk.tf.json main/terraform/stacks/example/cdk.tf.json \
  two-bays/stacks/two-bays/cdk.tf.json workload/stacks/bay/cdk.tf.json workload/stacks/workload/cdk.tf.json \
  cli/hot/example/kubecluster.yaml main/hot/example/kubecluster.yaml hot-composed/kubecluster.yaml; do
  [ -f "$tmp/$f" ] || fail "missing output $f"
done

if [ -n "${KUBEBAY_OUTPUTS_SYNTH_ONLY:-}" ]; then
  [ "$failed" = 0 ] || exit 1
  echo "synthesized into $tmp"
  exit 0
fi

echo "== Terraform JSON (check-tf-json)"
while IFS= read -r f; do
  rel=${f#"$tmp"/}
  if out=$(node "$tools/check-tf-json.mjs" "$f"); then
    echo "ok    $rel: ${out##*$'\n'}"
  elif [[ $rel == workload/stacks/workload/* ]]; then
    unexpected=$(grep -v -E '^(kubernetes_[a-z0-9_]+\.[A-Za-z0-9_-]+: \(self\): unknown resource type "kubernetes_|provider\.kubernetes: \(self\): no schema for provider "kubernetes"|terraform: required_providers\.openstack\.source: missing|[0-9]+ resources checked)' <<<"$out" || true)
    if [ -n "$unexpected" ]; then
      echo "$out"
      fail "$rel"
    else
      echo "ok    $rel: only the expected errors for Kubernetes provider resources (no schema)"
    fi
  else
    echo "$out"
    fail "$rel"
  fi
done < <(find "$tmp" -name cdk.tf.json | sort)

echo "== HOT (validate-hot)"
while IFS= read -r root; do
  dir=$(dirname "$root")
  rel=${dir#"$tmp"/}
  args=(-e environment.yaml)
  [ -f "$dir/secrets.env.yaml" ] && args+=(-e secrets.env.yaml)
  if out=$(cd "$dir" && "$tools/validate-hot" "${args[@]}" kubecluster.yaml 2>/dev/null); then
    echo "ok    $rel: ${out##*$'\n'}"
  else
    echo "$out"
    fail "$rel"
  fi
done < <(find "$tmp" -name kubecluster.yaml | sort)

if [ "$failed" != 0 ]; then
  echo "check-outputs: errors above" >&2
  exit 1
fi
echo "all outputs valid"
