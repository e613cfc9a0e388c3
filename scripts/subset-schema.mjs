#!/usr/bin/env node
// Maintainer tool: cuts the OpenStack provider schema down to the resources and
// data sources kubebay uses and writes provider/openstack-schema.json, which
// the build turns into cdktf bindings (scripts/gen-bindings.mjs).
//
//   node scripts/subset-schema.mjs [FULL-SCHEMA.json]
//
// FULL-SCHEMA.json is `terraform providers schema -json` output of
// terraform-provider-openstack (default: ../shared/reference/openstack-provider-schema.json).
// Names, types and required flags are copied, never written by hand.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'provider', 'subset.json'), 'utf8'));
const src = process.argv[2] ?? path.join(root, '..', 'shared', 'reference', 'openstack-provider-schema.json');
const full = JSON.parse(fs.readFileSync(src, 'utf8'));
const [fqpn, ps] = Object.entries(full.provider_schemas)[0];

function pick(all, names, what) {
  const out = {};
  for (const n of names) {
    if (!all[n]) throw new Error(`${what} ${n} is not in ${src}`);
    out[n] = all[n];
  }
  return out;
}
const subset = {
  format_version: full.format_version,
  provider_schemas: {
    [fqpn]: {
      provider: ps.provider,
      resource_schemas: pick(ps.resource_schemas, manifest.resources, 'resource'),
      data_source_schemas: pick(ps.data_source_schemas, manifest.dataSources, 'data source'),
    },
  },
  provider_versions: { [fqpn]: manifest.providerVersion },
};
fs.writeFileSync(path.join(root, 'provider', 'openstack-schema.json'), JSON.stringify(subset, null, 1) + '\n');
console.log(`provider/openstack-schema.json: ${manifest.resources.length} resources, ${manifest.dataSources.length} data sources from ${fqpn}`);
