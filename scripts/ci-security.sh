#!/usr/bin/env bash
# Deploy-time overrides cannot open what synthesis refuses (issue 12), proven
# with the real engines on the example bay (npm run synth must have run):
#   - Heat 19: a stack update with kubernetes_port=2379 fails validation and
#     changes nothing; 443 passes. fixed_network_cidr=8.0.0.0/8 is refused, and
#     so is any other CIDR than the synth-time one: the example bay fixes its API
#     address (fixedApiVip) from that CIDR.
#   - Terraform 1.11: plan with -var example_kubernetes_port=10250 (or a public
#     fixed network) fails in variable validation; 443 plans.
#   - Both: versions, counts and timeouts outside the synth-time grammar and
#     ranges (v1.31.1000, 100 masters, 10001 minions) are refused (issue 13).
# Each check skips with a message when its tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=../shared/tools
hot=out/hot/example
tf=cdktf.out/stacks/example
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "ci-security: FAIL: $*" >&2; exit 1; }

[ -f "$hot/kubecluster.yaml" ] && [ -f "$tf/cdk.tf.json" ] || fail "run npm run synth first"

echo "-- HOT: parameter constraints (validate-hot, Heat's engine)"
if { python3 -c 'import heat' || /usr/bin/python3 -c 'import heat'; } 2>/dev/null && [ -x "$tools/validate-hot" ]; then
  # (no -e environment.yaml: its values would take precedence over -P in this tool)
  for bad in kubernetes_port=2379 kubernetes_port=10250 kubernetes_port=30080 kubernetes_port=02379 fixed_network_cidr=8.0.0.0/8 fixed_network_cidr=192.168.7.0/24 \
      kubernetes_version=v1.31.1000 kubernetes_version=v1.30 number_of_masters=100 number_of_minions=10001 wait_condition_timeout=86401; do
    if "$tools/validate-hot" -q -e "$hot/secrets.env.yaml" -P "$bad" "$hot/kubecluster.yaml" >"$work/v.out" 2>&1; then
      fail "Heat accepted $bad"
    fi
    grep -q "Parameter '${bad%%=*}' is invalid" "$work/v.out" || { cat "$work/v.out"; fail "Heat refused $bad for another reason"; }
    echo "refused: $bad"
  done
  "$tools/validate-hot" -q -e "$hot/secrets.env.yaml" -P kubernetes_port=443 -P fixed_network_cidr=10.0.0.0/24 -P kubernetes_version=v1.310.999 -P number_of_masters=99 "$hot/kubecluster.yaml" >/dev/null \
    || fail "Heat refused kubernetes_port=443 fixed_network_cidr=10.0.0.0/24 kubernetes_version=v1.310.999 number_of_masters=99"
  echo "accepted: kubernetes_port=443 fixed_network_cidr=10.0.0.0/24 kubernetes_version=v1.310.999 number_of_masters=99"

  echo "-- HOT: stack update with kubernetes_port=2379 (heat-lifecycle)"
  "$tools/heat-lifecycle" --compact -q -e "$hot/environment.yaml" -e "$hot/secrets.env.yaml" "$hot/kubecluster.yaml" \
    -u kubernetes_port=2379 >"$work/h.out" 2>&1 || true
  python3 - "$work/h.out" <<'PY'
import json, sys
steps = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
assert steps and steps[0]['stack_status'] == 'CREATE_COMPLETE', steps[:1]
upd = [s for s in steps if s.get('action') == 'update'][0]
errors = ' '.join(upd.get('errors', []))
assert "Parameter 'kubernetes_port' is invalid" in errors, upd
assert upd['counts']['updated'] + upd['counts']['replaced'] + upd['counts']['created'] == 0, upd['counts']
print('update refused:', errors[:160], '| resources changed: 0')
PY
else
  echo "skipped: python3-heat or ../shared/tools not available"
fi

echo "-- Terraform: variable validation (tf-lifecycle, Terraform + fake OpenStack provider)"
if command -v terraform >/dev/null && [ -x "$tools/tf-lifecycle" ]; then
  for bad in example_kubernetes_port=10250 example_kubernetes_port=2379 example_fixed_network_cidr=8.0.0.0/8 \
      example_kubernetes_version=v1.31.1000 example_number_of_minions=10001 example_update_max_batch_size=10001; do
    "$tools/tf-lifecycle" plan "$tf" -var "$bad" >"$work/t.out" 2>&1 || true
    grep -q '"summary": "Invalid value for variable"' "$work/t.out" || { tail -20 "$work/t.out"; fail "Terraform accepted $bad"; }
    echo "refused: $bad"
  done
  "$tools/tf-lifecycle" plan "$tf" -var example_kubernetes_port=443 >"$work/t.out" 2>&1 || { tail -20 "$work/t.out"; fail "Terraform refused example_kubernetes_port=443"; }
  grep -q '"diagnostics": \[\]' "$work/t.out" || { tail -20 "$work/t.out"; fail "Terraform reported diagnostics for example_kubernetes_port=443"; }
  echo "accepted: example_kubernetes_port=443"
else
  echo "skipped: terraform or ../shared/tools/tf-lifecycle not available"
fi
echo "ci-security: deploy-time constraints hold"
