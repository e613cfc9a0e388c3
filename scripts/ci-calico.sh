#!/usr/bin/env bash
# CI: Calico as the network driver (issue 14), after `npm test` and scripts/check-outputs.sh
# (which puts the calico variants of test/fixtures/variants through validate-hot and check-tf-json).
#   - the user data with Calico and every issue-14 option on (cloud-init schema, shellcheck, Nova's limit;
#     RSA-4096), as scripts/ci-options.sh does for flannel: each cloud option alone (all of them together
#     with a two-certificate CA bundle exceed Nova's limit, which the bay refuses at synth time);
#   - real Terraform with the fake OpenStack provider (tf-lifecycle): the calico variant applies (the
#     IP-in-IP rule as protocol "4") and plans no change against its own state;
#   - Heat's engine (heat-lifecycle): the routed variant (allowed address pairs, pod-network rules) creates.
# The bootstrap simulation of a Calico first master runs in scripts/ci-bootstrap-sim.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
tools=${KUBEBAY_TOOLS:-$PWD/../shared/tools}
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/kubebay-ci-calico.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "-- user data: Calico (pinned release, VXLAN: the largest boot section) with every issue-14 option on, RSA-4096"
all=$(node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); delete o.flannelSubnetLen; process.stdout.write(JSON.stringify(o))' test/fixtures/userdata-all-options.json)
KUBEBAY_USERDATA_CLOUD=none,ca,ccm KUBEBAY_USERDATA_OPTIONS="{\"networkDriver\":\"calico\",\"calicoEncapsulation\":\"vxlan\",${all#\{}" node scripts/check-userdata.mjs | tail -n 1

echo "-- Terraform (tf-lifecycle): the calico variant applies, then plans no change"
cp test/fixtures/variants/calico.yaml test/fixtures/variants/calico-routed.yaml "$work/"
(cd "$work" && node "$OLDPWD/dist/lib/cli/main.js" synth --config calico.yaml --out out/calico >/dev/null 2>&1 &&
  node "$OLDPWD/dist/lib/cli/main.js" synth --config calico-routed.yaml --target hot --out out/calico-routed >/dev/null 2>&1)
tf=$work/out/calico/terraform/stacks/calico
"$tools/tf-lifecycle" apply "$tf" --work "$work/tf" >"$work/apply.json"
"$tools/tf-lifecycle" plan "$tf" --work "$work/tf" >"$work/plan.json"
node -e '
  const fs = require("fs");
  const [apply, plan] = process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
  const n = (p) => ["create", "update", "replace", "delete"].map((k) => `${k} ${p[k].length}`).join(", ");
  console.log(`apply: ${apply.apply}, ${n(apply.plan)}; then plan: ${n(plan.plan)}`);
  if (apply.apply !== "ok" || !apply.plan.create.some((r) => r.endsWith("_rule_base_from_base_ipip"))) process.exit(1);
  if (["create", "update", "replace", "delete"].some((k) => plan.plan[k].length > 0)) process.exit(1);
' "$work/apply.json" "$work/plan.json"

echo "-- Heat (heat-lifecycle): the routed variant creates"
hot=$work/out/calico-routed/hot/calico-routed
"$tools/heat-lifecycle" -e "$hot/environment.yaml" -e "$hot/secrets.env.yaml" "$hot/kubecluster.yaml" 2>/dev/null >"$work/heat.json"
node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${s.action}: ${s.stack_status}, ${s.counts.created} resources`);
  if (s.stack_status !== "CREATE_COMPLETE") process.exit(1);
' "$work/heat.json"
echo "ci-calico: $((SECONDS - start)) s"
