#!/usr/bin/env bash
# CI: kubebay as a stranger gets it. Packs the project, installs the tarball
# (and the git checkout) into new projects of their own, and there uses the
# library (a cdktf app with two bays, the user's own provider and resources;
# a plain Node script writing HOT) and the CLI, in both formats. The
# programs are test/consumer/, which the README quotes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/../shared/tools"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CHECKPOINT_DISABLE=1 npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
fail() { echo "ci-consumer: $*" >&2; exit 1; }

echo "-- npm pack"
tgz=$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)
tar -tzf "$work/$tgz" >"$work/contents.txt"
grep -q '^package/dist/.gen/providers/openstack/index.js$' "$work/contents.txt" || fail "the tarball lacks the OpenStack bindings"
grep -q '^package/dist/lib/cli/main.js$' "$work/contents.txt" || fail "the tarball lacks the CLI"
grep -q '^package/LICENSE$' "$work/contents.txt" || fail "the tarball lacks LICENSE"
if grep -E '^package/(test|bench|\.ci|scripts|stacks|dist/stacks|dist/bench)/|\.map$|tsbuildinfo' "$work/contents.txt"; then fail "the tarball holds files users do not need (above)"; fi
echo "$(wc -l <"$work/contents.txt") files, $(du -k "$work/$tgz" | cut -f1) KiB: $tgz"

echo "-- a new project installs the tarball"
app="$work/app"
mkdir -p "$app"
cp "$root"/test/consumer/{main.ts,hot.js,tsconfig.json,cdktf.json} "$app/"
(cd "$app" && npm init -y >/dev/null && npm install --prefer-offline --no-save=false "$work/$tgz" cdktf@0.21 constructs@10 typescript@~5.9 @types/node@20 >/dev/null)
cd "$app"

echo "-- require('kubebay') loads neither cdktf nor the bindings"
node -e "
  const k = require('kubebay');
  if (typeof k.KubernetesBay !== 'function' || typeof k.HotStack !== 'function') throw new Error('missing exports');
  const loaded = Object.keys(require.cache).filter((f) => /node_modules\/cdktf\/|providers\/openstack/.test(f));
  if (loaded.length) throw new Error('require(\"kubebay\") loaded ' + loaded[0]);
  console.log('ok: ' + Object.keys(k).length + ' exports');
"
node -e "const os = require('kubebay/openstack'); if (!os.provider.OpenstackProvider) throw new Error('no bindings'); console.log('ok: kubebay/openstack')"

echo "-- npx kubebay --help"
npx --no-install kubebay --help | grep -q 'synth' || fail "kubebay --help does not list synth"

echo "-- the README's cdktf program: tsc (strict, lib check on) and node"
npx --no-install tsc -p .
node main.js
tf=cdktf.out/stacks/platform/cdk.tf.json
node -e "
  const d = require('./$tf');
  const p = d.provider && d.provider.openstack;
  if (!Array.isArray(p) || p.length !== 1 || p[0].region !== 'RegionOne') throw new Error('expected exactly the user\\'s provider, got ' + JSON.stringify(p));
  const nets = Object.keys(d.resource.openstack_networking_network_v2);
  if (nets.length !== 2) throw new Error('expected two bay networks, got ' + nets);
  if (Object.keys(d.resource.openstack_dns_recordset_v2 || {}).length !== 2) throw new Error('expected the user\\'s two DNS records');
  console.log('ok: one provider configuration, two bays, two DNS records');
"
node "$tools/check-tf-json.mjs" "$tf"
"$tools/tf-lifecycle" validate "$(dirname "$tf")" >"$work/validate.json" || { cat "$work/validate.json"; fail "terraform validate failed"; }
echo "ok: terraform validate"

echo "-- the README's HOT script: plain node"
node hot.js
"$tools/validate-hot" -e out/hot/edge/environment.yaml -e out/hot/edge/secrets.env.yaml out/hot/edge/kubecluster.yaml

echo "-- the CLI, both formats"
cat >bay.yaml <<'YAML'
name: cli
image: ubuntu-24.04
keyName: ops
externalNetwork: public
apiAllowedCidrs: [203.0.113.0/24]
YAML
npx --no-install kubebay synth --config bay.yaml --target all --out cli-out >/dev/null
node "$tools/check-tf-json.mjs" cli-out/terraform
"$tools/validate-hot" -e cli-out/hot/cli/environment.yaml -e cli-out/hot/cli/secrets.env.yaml cli-out/hot/cli/kubecluster.yaml

echo "-- a new project installs kubebay from git (prepare builds it)"
git clone -q "$root" "$work/src"
gitapp="$work/gitapp"
mkdir -p "$gitapp" && cd "$gitapp"
npm init -y >/dev/null
npm install --prefer-offline "git+file://$work/src" cdktf@0.21 constructs@10 >/dev/null
test -f node_modules/kubebay/dist/lib/index.js || fail "git install left no dist/"
npx --no-install kubebay --help | grep -q 'synth' || fail "kubebay --help (git install) does not list synth"
node -e "require('kubebay'); require('kubebay/openstack'); console.log('ok: git install')"
echo "ci-consumer: passed"
