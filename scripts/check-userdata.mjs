#!/usr/bin/env node
// CI check of the rendered user data (run after `npm run build`).
//
// For every role x dockerVolume x preinstalledPackages x cloud options (none;
// everything on: the OpenStack CA bundle, cloud-controller-manager, Cinder
// CSI; and, for the first master, the CA alone and the CCM alone) it renders the user
// data, substitutes realistic sample values (RSA-4096 keys), and checks that
//   - `cloud-init schema --config-file` accepts it,
//   - the bootstrap script it writes (gz+b64: decompressed) passes `shellcheck -s bash`,
//     is exactly renderUserData's `script`, and holds no placeholder (deploy-time
//     values come from its environment file),
//   - the environment file (substituted) passes `shellcheck -s bash` too,
//   - the kubeadm configurations it writes parse as YAML, with integer bindPorts,
//   - the add-on manifests it writes (gz+b64) parse as YAML, one object per document,
//   - the base64 of the text stays under Nova's 65,535-byte user-data limit,
// printing the sizes. Exits non-zero on any failure.
//
// The KUBERNETES_VERSION value alternates between a minor ('v1.31') and a
// full version ('v1.31.2') with dockerVolume, so both package paths are covered.
// KUBERNETES_PORT is 7443 (not the default) to exercise the substitution.
//
// KUBEBAY_USERDATA_OPTIONS: JSON of more renderUserData options for every
// row (e.g. node labels, taints, component flags: scripts/ci-options.sh).
//
// KUBEBAY_USERDATA_DEPLOY_TIME=1: the deploy-time rendering of every row
// (the one a bay's nodes get once container_infra_prefix or
// insecure_registry_url differ from their defaults): imagePrefix and
// registries.insecure of the options come from bootstrap.env instead
// (CONTAINER_INFRA_PREFIX, INSECURE_REGISTRY_URL: sampleValues gives the
// values of test/fixtures/userdata-all-options.json), rows named +deploy-time.
//
// Module: dist/lib/bootstrap/index.js, or the path given as the first
// argument or in KUBEBAY_BOOTSTRAP_MODULE (e.g. a module compiled on its own).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const modulePath = path.resolve(
  process.argv[2] ?? process.env.KUBEBAY_BOOTSTRAP_MODULE ?? path.join(root, 'dist', 'lib', 'bootstrap', 'index.js'),
);
const { parse, parseAllDocuments } = require('yaml');
const bootstrap = require(modulePath);
const { renderUserData, sampleValues, substitute, BOOTSTRAP_SCRIPT_PATH, BOOTSTRAP_ENV_PATH, ADDONS_PATH, NODE_ROLES } = bootstrap;

const { estimatedBase64Size, NOVA_USER_DATA_LIMIT: NOVA_LIMIT } = require(path.join(root, 'dist', 'lib', 'bay', 'user-data-size.js'));
// Combinations over Nova's limit that the bay refuses at synth time (its size estimate sees them too).
const refused = [];
const values = sampleValues({ keySize: 4096, kubernetesPort: 7443 });
const KUBEADM_CONFIGS = ['/etc/kubernetes/kubeadm/init.yaml', '/etc/kubernetes/kubeadm/join.yaml'];

/** Problems of the kubeadm configuration files of substituted user data. */
function kubeadmProblems(writeFiles) {
  const problems = [];
  for (const f of writeFiles.filter((w) => KUBEADM_CONFIGS.includes(w.path))) {
    for (const doc of parseAllDocuments(f.content)) {
      if (doc.errors.length > 0) problems.push(`${f.path}: ${doc.errors[0].message}`);
      const bindPort = doc.toJS()?.localAPIEndpoint?.bindPort ?? doc.toJS()?.controlPlane?.localAPIEndpoint?.bindPort;
      if (bindPort !== undefined && bindPort !== 7443) problems.push(`${f.path}: bindPort ${JSON.stringify(bindPort)} is not the integer 7443`);
    }
  }
  return problems;
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubebay-userdata-'));
const failures = [];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return { ok: false, output: `${cmd}: ${r.error.message}` };
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

const rows = [];
const CLOUD = {
  none: {},
  all: { openstackCa: true, cloudControllerManager: true, cinderCsi: true },
  ca: { openstackCa: true },
  ccm: { cloudControllerManager: true },
};
// KUBEBAY_USERDATA_CLOUD: the cloud-integration variants to combine with (comma list of CLOUD keys).
const CLOUDS = (process.env.KUBEBAY_USERDATA_CLOUD ?? 'none,all').split(',');
const combos = [];
for (const role of NODE_ROLES) {
  for (const dockerVolume of [false, true]) {
    for (const preinstalledPackages of [false, true]) {
      for (const cloud of CLOUDS) combos.push({ role, dockerVolume, preinstalledPackages, cloud });
    }
  }
}
combos.push({ role: 'first-master', dockerVolume: true, preinstalledPackages: false, cloud: 'ca' });
combos.push({ role: 'first-master', dockerVolume: false, preinstalledPackages: false, cloud: 'ccm' });

/** Problems of the gzipped add-on manifests of substituted user data. */
function addonProblems(writeFiles) {
  const problems = [];
  for (const f of writeFiles.filter((w) => w.path === ADDONS_PATH)) {
    const text = zlib.gunzipSync(Buffer.from(f.content, 'base64')).toString('utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) problems.push(`${f.path}: ${doc.errors[0].message}`);
      const o = doc.toJS();
      if (!o?.apiVersion || !o?.kind || !o?.metadata?.name) problems.push(`${f.path}: a document without apiVersion/kind/metadata.name`);
    }
  }
  return problems;
}

/** The script as cloud-init writes it: gz+b64 decoded. */
function scriptText(entry) {
  if (entry.encoding !== 'gz+b64') return undefined;
  return zlib.gunzipSync(Buffer.from(entry.content, 'base64')).toString('utf8');
}

/** shellcheck of the (decompressed) bootstrap script and of its substituted environment file. */
function checkScript(writeFiles, rendered, name, fail) {
  const entry = writeFiles.find((f) => f.path === BOOTSTRAP_SCRIPT_PATH);
  const env = writeFiles.find((f) => f.path === BOOTSTRAP_ENV_PATH);
  const text = entry && scriptText(entry);
  if (!entry || !env) return { ok: false, ...fail(`no ${BOOTSTRAP_SCRIPT_PATH} or ${BOOTSTRAP_ENV_PATH} in write_files`) };
  if (text === undefined) return { ok: false, ...fail(`${BOOTSTRAP_SCRIPT_PATH} is not gz+b64`) };
  if (text !== rendered.script) fail(`${BOOTSTRAP_SCRIPT_PATH}: the decompressed script is not renderUserData's script`);
  if (/@@[A-Z0-9_]+@@/.test(text)) fail(`${BOOTSTRAP_SCRIPT_PATH}: a placeholder inside the gzipped script is never substituted`);
  // The environment file only assigns (its variables are used by the script): SC2034 off.
  const files = { sh: text, 'env.sh': `#!/bin/bash\n# shellcheck disable=SC2034\n${env.content}` };
  let ok = true;
  for (const [ext, content] of Object.entries(files)) {
    const f = path.join(dir, `${name}.${ext}`);
    fs.writeFileSync(f, content);
    const r = run('shellcheck', ['-s', 'bash', f]);
    if (!r.ok) fail(`shellcheck ${ext}:\n${r.output}`);
    ok &&= r.ok;
  }
  return { ok };
}

const DEPLOY_TIME = process.env.KUBEBAY_USERDATA_DEPLOY_TIME === '1';
/** KUBEBAY_USERDATA_OPTIONS, turned into the deploy-time rendering's with KUBEBAY_USERDATA_DEPLOY_TIME. */
function extraOptions() {
  const o = JSON.parse(process.env.KUBEBAY_USERDATA_OPTIONS ?? '{}');
  if (!DEPLOY_TIME) return o;
  const { imagePrefix: _prefix, registries, ...rest } = o;
  const mirrors = registries?.mirrors;
  return { ...rest, ...(mirrors ? { registries: { mirrors } } : {}), deployTimeRegistries: true };
}

for (const { role, dockerVolume, preinstalledPackages, cloud } of combos) {
  {
    {
      const name = `${role}${dockerVolume ? '+volume' : ''}${preinstalledPackages ? '+preinstalled' : ''}${cloud === 'none' ? '' : `+cloud:${cloud}`}${DEPLOY_TIME ? '+deploy-time' : ''}`;
      const fail = (what) => failures.push(`${name}: ${what}`);
      const rendered = renderUserData({
        role,
        preinstalledPackages,
        podNetworkCidr: '10.100.0.0/16',
        serviceCidr: '10.254.0.0/16',
        clusterName: 'kubebay',
        dockerVolume,
        ...CLOUD[cloud],
        ...extraOptions(),
      });
      const text = substitute(rendered.text, { ...values, KUBERNETES_VERSION: dockerVolume ? 'v1.31.2' : 'v1.31' });
      const file = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(file, text);

      const schema = run('cloud-init', ['schema', '--config-file', file]);
      if (!schema.ok) fail(`cloud-init schema:\n${schema.output}`);

      const writeFiles = parse(text).write_files ?? [];
      const kubeadm = kubeadmProblems(writeFiles);
      for (const problem of kubeadm) fail(`kubeadm config: ${problem}`);
      for (const problem of addonProblems(writeFiles)) fail(`add-on manifest: ${problem}`);
      const shellcheck = checkScript(writeFiles, rendered, name, fail);

      const b64 = Buffer.from(text, 'utf8').toString('base64').length;
      if (b64 >= NOVA_LIMIT) {
        // Nova would refuse it: acceptable only if the bay refuses it first, with its clear synth-time error.
        const estimate = estimatedBase64Size(rendered.text, { ...values, KUBERNETES_VERSION: dockerVolume ? 'v1.31.2' : 'v1.31' });
        if (estimate < NOVA_LIMIT) fail(`base64 size ${b64} >= ${NOVA_LIMIT}, and the bay's synth-time estimate (${estimate}) would let it through`);
        else refused.push(`${name} (${b64} bytes; synth-time estimate ${estimate}: refused)`);
      }
      rows.push({
        userData: name,
        raw: Buffer.byteLength(rendered.text),
        substituted: Buffer.byteLength(text),
        base64: b64,
        headroom: NOVA_LIMIT - b64,
        schema: schema.ok ? 'ok' : 'FAIL',
        shellcheck: shellcheck.ok ? 'ok' : 'FAIL',
        scriptGz: writeFiles.find((f) => f.path === BOOTSTRAP_SCRIPT_PATH)?.content.length,
        kubeadm: kubeadm.length === 0 ? 'ok' : 'FAIL',
      });
    }
  }
}

console.table(rows);
if (failures.length > 0) {
  console.error(`\n${failures.length} failure(s); files kept in ${dir}\n`);
  for (const f of failures) console.error(`- ${f}\n`);
  process.exit(1);
}
fs.rmSync(dir, { recursive: true, force: true });
if (refused.length) console.log(`over Nova's limit, refused by the bay at synth time:\n  ${refused.join('\n  ')}`);
console.log(`user data OK (largest accepted base64: ${Math.max(...rows.map((r) => r.base64).filter((b) => b < NOVA_LIMIT))} bytes < ${NOVA_LIMIT})`);
