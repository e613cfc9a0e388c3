#!/usr/bin/env bash
# CI: the deploy-time rendering of the user data (issue 14: container_infra_prefix and
# insecure_registry_url as parameters), after `npm test` and scripts/check-outputs.sh (which puts every
# variant, both renderings inside, through validate-hot and check-tf-json):
#   - cloud-init schema, shellcheck (script and environment file) and Nova's limit (RSA-4096) of the
#     deploy-time rendering: every role with the cloud options off and all on, then with every issue-14
#     option on under flannel and under Calico (VXLAN), each cloud option alone — the largest user data,
#     as scripts/ci-options.sh and scripts/ci-calico.sh check the rendering with the props;
#   - the lifecycle test (test/lifecycle/registry-params.test.ts) runs in scripts/ci-lifecycle.sh
#     (every test/lifecycle test), here only when that script is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
start=$SECONDS
export KUBEBAY_USERDATA_DEPLOY_TIME=1
echo "-- deploy-time user data: every role, cloud options off and all on"
node scripts/check-userdata.mjs | tail -n 1
all=$(node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); delete o.flannelSubnetLen; process.stdout.write(JSON.stringify(o))' test/fixtures/userdata-all-options.json)
echo "-- deploy-time user data with every issue-14 option on (flannel), each cloud option alone"
KUBEBAY_USERDATA_CLOUD=none,ca,ccm KUBEBAY_USERDATA_OPTIONS="$(cat test/fixtures/userdata-all-options.json)" node scripts/check-userdata.mjs | tail -n 1
echo "-- deploy-time user data with every issue-14 option on (Calico, VXLAN), each cloud option alone"
KUBEBAY_USERDATA_CLOUD=none,ca,ccm KUBEBAY_USERDATA_OPTIONS="{\"networkDriver\":\"calico\",\"calicoEncapsulation\":\"vxlan\",${all#\{}" node scripts/check-userdata.mjs | tail -n 1
if [ ! -f scripts/ci-lifecycle.sh ]; then
  KUBEBAY_LIFECYCLE=1 npx jest --ci test/lifecycle/registry-params
fi
echo "ci-registries: $((SECONDS - start)) s"
