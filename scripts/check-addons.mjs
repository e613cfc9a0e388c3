#!/usr/bin/env node
// Checks the cloud add-on manifests kubebay renders (OpenStack CCM, Cinder
// CSI) after its substitutions: every document parses as YAML, and every
// object validates against the Kubernetes OpenAPI schema of its kind
// (kubernetes-models), with no duplicate kind/namespace/name. Prints one line
// per object; exits non-zero on any problem. Run after `npm run build`.
//
// Module: dist/lib/bootstrap/index.js, or the path in KUBEBAY_BOOTSTRAP_MODULE.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { parseAllDocuments } = require('yaml');
const bootstrap = require(path.resolve(process.env.KUBEBAY_BOOTSTRAP_MODULE ?? path.join(root, 'dist', 'lib', 'bootstrap', 'index.js')));
const { addonManifest, CLOUD_PROVIDER_OPENSTACK_VERSION } = bootstrap.addons;

const text = addonManifest({ clusterName: 'kubebay-check', cloudControllerManager: true, cinderCsi: true });
const problems = [];
const seen = new Set();
let count = 0;
for (const doc of parseAllDocuments(text)) {
  if (doc.errors.length > 0) {
    problems.push(`YAML: ${doc.errors[0].message}`);
    continue;
  }
  const o = doc.toJS();
  const id = `${o.kind} ${o.metadata?.namespace ?? '-'}/${o.metadata?.name}`;
  count++;
  if (seen.has(id)) problems.push(`${id}: defined twice`);
  seen.add(id);
  let models;
  try {
    models = await import(`kubernetes-models/${o.apiVersion}`);
  } catch (e) {
    problems.push(`${id}: unknown apiVersion ${o.apiVersion} (${e.message})`);
    continue;
  }
  const Model = models[o.kind];
  if (!Model) {
    problems.push(`${id}: no kind ${o.kind} in ${o.apiVersion}`);
    continue;
  }
  try {
    new Model(o).validate();
    console.log(`ok   ${o.apiVersion} ${id}`);
  } catch (e) {
    problems.push(`${id}: ${e.message}`);
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(`FAIL ${p}`);
  process.exit(1);
}
console.log(`add-on manifests OK: ${count} objects (cloud-provider-openstack ${CLOUD_PROVIDER_OPENSTACK_VERSION})`);
