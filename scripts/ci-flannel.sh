#!/usr/bin/env bash
# CI: flannel's manifest pinned by sha256 (issue 14), after `npm test` and scripts/check-outputs.sh (which puts
# test/fixtures/variants/flannel-mirror.yaml, flannelManifest set, through validate-hot and check-tf-json).
#   - the user data with flannel from a mirror (flannelManifest), host-gw and every issue-14 option on
#     (cloud-init schema, shellcheck, Nova's limit; RSA-4096), each cloud option alone (as scripts/ci-options.sh);
#   - day 2: a bay whose record predates the check (no "flannelManifest": "checked") is deployed, then planned /
#     updated to (a) the outputs of a new bay (the check: what the record gate spares existing bays) and (b) its
#     own outputs with flannelManifest set (the opt-in). Heat (scripts/heat-update-to.py) replaces master 0's
#     server and nothing else; Terraform (tf-lifecycle) plans no change (servers ignore user_data drift until
#     `kubebay roll`). The record-gated outputs themselves equal the previous release's byte for byte
#     (scripts/outputs-golden.sh, test/bay/flannel.test.ts).
# The bootstrap simulation of the check (wrong sha256: FAILURE, nothing applied) runs in scripts/ci-bootstrap-sim.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
repo=$PWD
tools=${KUBEBAY_TOOLS:-$repo/../shared/tools}
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/kubebay-ci-flannel.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "-- user data: flannel from a mirror (flannelManifest), host-gw, every issue-14 option on, RSA-4096"
opts=$(node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  o.flannelBackend = "host-gw";
  o.flannelManifest = { url: "https://mirror.example.internal/flannel/v0.26.7/kube-flannel.yml", sha256: "d3f539ef073032bdbd2d32900719400e0050a8ae1d00a9fef75d9d0f079c7d54" };
  process.stdout.write(JSON.stringify(o))' test/fixtures/userdata-all-options.json)
KUBEBAY_USERDATA_CLOUD=none,ca,ccm KUBEBAY_USERDATA_OPTIONS="$opts" node scripts/check-userdata.mjs | tail -n 1

echo "-- day 2: a bay recorded before the check, then the outputs of a new bay and the opt-in"
sed '/^flannelManifest:/,$d' test/fixtures/variants/flannel-mirror.yaml >"$work/base.yaml"
cp test/fixtures/variants/flannel-mirror.yaml "$work/optin.yaml"
synth() { (cd "$work" && node "$repo/dist/lib/cli/main.js" synth --config "$1" --out "out/$2" >/dev/null); }
synth base.yaml new
node -e 'const fs = require("fs"); const f = process.argv[1]; const r = JSON.parse(fs.readFileSync(f, "utf8"));
  if (r.flannelManifest !== "checked") { console.error(`${f}: no "flannelManifest": "checked"`); process.exit(1); }
  delete r.flannelManifest; fs.writeFileSync(f, `${JSON.stringify(r, null, 2)}\n`)' "$work/.kubebay/bays/flannel-mirror.json"
synth base.yaml old
synth optin.yaml optin

tf=terraform/stacks/flannel-mirror
"$tools/tf-lifecycle" apply "$work/out/old/$tf" --work "$work/tf" >"$work/apply.json"
"$tools/tf-lifecycle" plan "$work/out/new/$tf" --work "$work/tf" >"$work/plan-new.json"
"$tools/tf-lifecycle" plan "$work/out/optin/$tf" --work "$work/tf" >"$work/plan-optin.json"
node -e '
  const fs = require("fs");
  const [apply, ...plans] = process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
  const n = (p) => ["create", "update", "replace", "delete"].map((k) => `${k} ${p[k].length}`).join(", ");
  if (apply.apply !== "ok") process.exit(1);
  console.log(`terraform: the bay recorded before applies (${n(apply.plan)})`);
  // Terraform servers ignore user_data drift (lifecycle.ignore_changes; `kubebay roll` replaces them): no change.
  for (const [what, p] of [["a new bay\x27s outputs", plans[0]], ["flannelManifest (opt-in)", plans[1]]]) {
    console.log(`  then plan of ${what}: ${n(p.plan)}`);
    if (["create", "update", "replace", "delete"].some((k) => p.plan[k].length > 0)) process.exit(1);
  }
' "$work/apply.json" "$work/plan-new.json" "$work/plan-optin.json"

hot=hot/flannel-mirror
for to in new optin; do
  rm -rf "$work/heat" && cp -r "$work/out/old/$hot" "$work/heat"
  (cd "$work/heat" && HEAT_LIFECYCLE="$tools/heat-lifecycle" "$repo/scripts/heat-update-to.py" "$work/out/$to/$hot" \
    -e environment.yaml -e secrets.env.yaml kubecluster.yaml --no-change --compact -q 2>/dev/null) >"$work/heat-$to.json"
  node -e '
    const steps = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const [create, update] = steps;
    const m = update.groups["flannel_mirror_kube_masters"];
    console.log(`heat: ${create.stack_status}, then update to ${process.argv[2]}: ${update.stack_status}, replaced ${JSON.stringify(update.replaced)}, ` +
      `created ${update.created.length}, updated ${update.updated.length}, deleted ${update.deleted.length}; masters: members replaced ${JSON.stringify(m.members_with_replaced_resources)}`);
    if (create.stack_status !== "CREATE_COMPLETE" || update.stack_status !== "UPDATE_COMPLETE") process.exit(1);
    if (JSON.stringify(m.members_with_replaced_resources) !== "[\"0\"]" || update.created.length || update.deleted.length) process.exit(1);
    for (const [g, s] of Object.entries(update.groups)) if (g !== "flannel_mirror_kube_masters" && s.members_with_replaced_resources.length) process.exit(1);
  ' "$work/heat-$to.json" "$to"
done
echo "ci-flannel: $((SECONDS - start)) s"
