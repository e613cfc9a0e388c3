#!/usr/bin/env bash
# CI: node groups (issue 14) through the lifecycle tools — real Terraform with
# the fake OpenStack provider (tf-lifecycle) and Heat's engine (heat-lifecycle):
# adding a group creates only its nodes, removing one deletes only its nodes.
# Also the user-data checks (cloud-init schema, shellcheck, Nova's size limit)
# with every issue-14 option on. When scripts/ci-lifecycle.sh exists it runs
# every test/lifecycle test, these included, and they are not run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
echo "-- user data with every issue-14 option on (labels, taints, component flags, kube-proxy config, proxies, image prefix, registries, DNS address, node subnet length; RSA-4096)"
# Every option with each cloud option alone: all of them together with a two-certificate CA bundle and
# RSA-4096 exceed Nova's limit, which the bay refuses at synth time (user-data-size check). The egress and
# masterLbEnabled variants (test/fixtures/variants/egress.yaml, solo.yaml) go through scripts/check-outputs.sh.
KUBEBAY_USERDATA_CLOUD=none,ca,ccm KUBEBAY_USERDATA_OPTIONS="$(cat test/fixtures/userdata-all-options.json)" node scripts/check-userdata.mjs | tail -n 1
if [ -f scripts/ci-lifecycle.sh ]; then
  echo "ci-options: test/lifecycle/node-groups runs in scripts/ci-lifecycle.sh"
  exit 0
fi
command -v terraform >/dev/null || { echo "ci-options: terraform is not installed (needed by ../shared/tools/tf-lifecycle)" >&2; exit 1; }
KUBEBAY_LIFECYCLE=1 npx jest --ci test/lifecycle/node-groups
