#!/usr/bin/env node
// Generates the OpenStack provider bindings into .gen/providers/openstack the
// way `cdktf get` does: cdktf's own TerraformProviderGenerator, fed the schema
// kept in provider/openstack-schema.json (no terraform binary, no network).
// Skips the work when the output is newer than the schema and this script.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = path.join(root, 'provider', 'openstack-schema.json');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'provider', 'subset.json'), 'utf8'));
const outdir = path.join(root, '.gen');
const stamp = path.join(outdir, 'providers', 'openstack', '.schema-stamp');

const inputs = [schemaFile, fileURLToPath(import.meta.url), path.join(root, 'provider', 'subset.json')];
const newest = Math.max(...inputs.map((f) => fs.statSync(f).mtimeMs));
if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newest && !process.argv.includes('--force')) {
  process.exit(0);
}

process.env.CHECKPOINT_DISABLE = '1';
// @cdktf/commons asks `terraform version` when loaded; a missing CLI config file makes it log an error.
if (process.env.TF_CLI_CONFIG_FILE && !fs.existsSync(process.env.TF_CLI_CONFIG_FILE)) delete process.env.TF_CLI_CONFIG_FILE;
// Deep imports: the package index pulls in jsii tooling it does not declare.
const { CodeMaker } = require('codemaker');
const { TerraformProviderGenerator } = require('@cdktf/provider-generator/lib/get/generator/provider-generator');
const { ConstructsMakerProviderTarget, TerraformProviderConstraint, LANGUAGES } = require('@cdktf/commons');

const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
const code = new CodeMaker();
const generator = new TerraformProviderGenerator(code, schema);
const constraint = new TerraformProviderConstraint(`${manifest.source}@${manifest.versionConstraint}`);
generator.generate(new ConstructsMakerProviderTarget(constraint, LANGUAGES[0]));

fs.rmSync(path.join(outdir, 'providers', 'openstack'), { recursive: true, force: true });
await generator.save(outdir);
fs.writeFileSync(stamp, `${manifest.source}@${manifest.versionConstraint}\n`);
console.log(`generated .gen/providers/openstack (${manifest.resources.length} resources, ${manifest.dataSources.length} data sources)`);
