#!/usr/bin/env bash
# Bring-up order (issue 15), proved with Heat's own engine on the example bay's
# HOT set: the dependency graph Heat computes and Heat's scheduler, stepped one
# simulated second at a time with the bench's assumed durations
# (scripts/heat-bringup.py). Fails when the minion group waits for a master
# group, when minion servers are not created while the first master is still
# bootstrapping, or when the bench's model (bench/bringup) and Heat's
# scheduler disagree on the time to CREATE_COMPLETE by more than a few seconds.
# Needs python3-heat (CI installs it) and a build (`npm test` or `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
[ -f out/hot/example/kubecluster.yaml ] && [ -f cdktf.out/stacks/example/cdk.tf.json ] || npm run --silent synth >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node -e '
const d = require("./dist/bench/bringup/durations.js");
require("fs").writeFileSync(process.argv[1], JSON.stringify({ resourceSeconds: d.RESOURCE_SECONDS, nodeBootstrap: d.NODE_BOOTSTRAP }));
' "$tmp/durations.json"
root=$PWD
(cd out/hot/example && "$root/scripts/heat-bringup.py" "$tmp/durations.json" -e environment.yaml -e secrets.env.yaml kubecluster.yaml) >"$tmp/heat.json"
node scripts/check-bringup.mjs "$tmp/heat.json"
