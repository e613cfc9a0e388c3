#!/usr/bin/env bash
# CI: issue 10's lifecycle suite (test/lifecycle) on a 3-master + 3-minion bay
# with the real tools: tf-lifecycle (Terraform 1.11 + fake OpenStack provider)
# and heat-lifecycle (Heat's engine, python3-heat). `npm test` skips the suite
# (it needs those tools); this runs it after the build, with KUBEBAY_LIFECYCLE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
export KUBEBAY_TOOLS="${KUBEBAY_TOOLS:-$(cd .. && pwd)/shared/tools}"
for t in tf-lifecycle heat-lifecycle; do
  [ -x "$KUBEBAY_TOOLS/$t" ] || { echo "ci-lifecycle: $KUBEBAY_TOOLS/$t is missing (set KUBEBAY_TOOLS)" >&2; exit 1; }
done
command -v terraform >/dev/null || { echo "ci-lifecycle: terraform is not on PATH (tf-lifecycle runs the real Terraform)" >&2; exit 1; }
/usr/bin/python3 -c 'import heat' 2>/dev/null || { echo "ci-lifecycle: python3-heat is not installed (heat-lifecycle runs Heat's engine)" >&2; exit 1; }
KUBEBAY_LIFECYCLE=1 npx jest --ci test/lifecycle
