#!/usr/bin/env bash
# CI: state and PKI continuity beyond `npm test`.
#  - the SIGKILL loop: 30 `kubebay synth` runs killed at random moments; outputs
#    stay whole (old or new), the store consistent, debris cleaned later;
#  - the state lifecycle suite (real Terraform + Heat's engine), unless
#    scripts/ci-lifecycle.sh runs every test/lifecycle suite already.
# Expects `npm run build` done (.ci/run's npm test builds) and, for the
# lifecycle suite, terraform and python3-heat installed (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

echo "-- SIGKILL loop"
node scripts/sigkill-loop.mjs 30

if [ ! -f scripts/ci-lifecycle.sh ]; then
  echo "-- state lifecycle (tf-lifecycle, heat-lifecycle)"
  KUBEBAY_LIFECYCLE=1 npx jest test/lifecycle/state.test.ts
fi
