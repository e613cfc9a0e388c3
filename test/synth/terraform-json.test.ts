/**
 * The direct Terraform writer (lib/synth/terraform/json) against cdktf: the
 * same tree written both ways gives the same bytes of cdk.tf.json and
 * manifest.json — for the example bay, the README's config, and every
 * Terraform variant that scripts/check-outputs.sh synthesizes. And what the
 * direct writer cannot render, it refuses by name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import jsonStableStringify = require('json-stable-stringify');
import { attachTerraform, BayOutput, BayParameter, BayResource, collectErrors, Condition, KubernetesBay, RawHotResource } from '../../lib';
import { EXTERNAL_NETWORK, NETWORK, ROUTER } from '../../lib/network/kinds';
import { VOLUME } from '../../lib/nodes/kinds';
import { terraformApp } from '../../lib/synth/terraform/app';
import { synthesizeBayOutputs, TerraformWriter } from '../../lib/app/bay-outputs';
import { buildBay } from '../../lib/cli/bay';
import { loadConfig } from '../../lib/cli/config';
import { terraformAttributes } from '../../lib/synth/terraform/json/attributes';
import { directTerraformApp } from '../../lib/synth/terraform/json/app';
import { stableStringify } from '../../lib/synth/terraform/json/stringify';
import { EXAMPLE_BAY } from '../../stacks/example';
import { BASE_PROPS, tmpDir } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const VARIANTS = path.join(ROOT, 'test/fixtures/variants');

/** The Terraform output files of one synthesis with `writer` (stack `id`), as bytes. */
function terraformFiles(writer: TerraformWriter, id: string, build: (scope: Construct, root: Construct) => KubernetesBay): Record<string, string> {
  const out = tmpDir(`kubebay-tfjson-${writer}-`);
  synthesizeBayOutputs(build, { id, tfOutdir: out, terraformWriter: writer });
  const read = (rel: string) => fs.readFileSync(path.join(out, rel), 'utf8');
  return { 'manifest.json': read('manifest.json'), [`stacks/${id}/cdk.tf.json`]: read(`stacks/${id}/cdk.tf.json`) };
}

/** The configs check-outputs.sh writes Terraform for: the README's (its store in a temp dir) and the variants but the HOT-only ones. */
function terraformConfigs(): [string, string][] {
  const dir = tmpDir('kubebay-tfjson-configs-');
  for (const f of fs.readdirSync(VARIANTS)) fs.copyFileSync(path.join(VARIANTS, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'example-bay.yaml'), fs.readFileSync(path.join(ROOT, 'docs/example-bay.yaml'), 'utf8').replace(/^pkiDir:.*$/m, ''));
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.hot.yaml'))
    .sort()
    .map((f) => [f, path.join(dir, f)]);
}

describe('the direct writer and cdktf write the same bytes', () => {
  const configs = terraformConfigs();

  test('the config list covers the README config and every Terraform variant', () => {
    const variants = fs.readdirSync(VARIANTS).filter((f) => f.endsWith('.yaml') && !f.endsWith('.hot.yaml'));
    expect(configs.map(([name]) => name)).toEqual([...variants, 'example-bay.yaml'].sort());
    expect(configs.length).toBeGreaterThanOrEqual(9);
  });

  test.each(configs)('%s (kubebay synth)', (_name, file) => {
    const config = loadConfig(file);
    const id = config.props.name;
    const build = (scope: Construct, root: Construct) => buildBay(config, scope, root, undefined);
    const viaCdktf = terraformFiles('cdktf', id, build);
    const direct = terraformFiles('direct', id, build);
    expect(Object.keys(direct)).toEqual(Object.keys(viaCdktf));
    for (const f of Object.keys(viaCdktf)) expect({ file: f, text: direct[f] }).toEqual({ file: f, text: viaCdktf[f] });
  });

  test('the example bay (stacks/main.ts, synthesizeBay)', () => {
    const props = { ...EXAMPLE_BAY, pkiDir: path.join(tmpDir('kubebay-tfjson-pki-'), 'pki') };
    const build = (scope: Construct) => new KubernetesBay(scope, 'example', props);
    const viaCdktf = terraformFiles('cdktf', 'example', build);
    const direct = terraformFiles('direct', 'example', build);
    expect(direct).toEqual(viaCdktf);
    // What the comparison rests on: a real document with cdktf's metadata and the warnings in the manifest.
    const doc = JSON.parse(direct['stacks/example/cdk.tf.json']);
    expect(doc['//'].metadata).toEqual(expect.objectContaining({ backend: 'local', stackName: 'example', version: expect.stringMatching(/^0\.21\./) }));
    expect(Object.keys(doc.resource).length).toBeGreaterThan(10);
    expect(direct['stacks/example/cdk.tf.json']).toMatch(/^\{\n {2}"\/\/": \{\n/);
  });
});

describe('the direct writer and cdktf, on what no example has', () => {
  /** A tree of model constructs (no bay) written both ways. */
  function both(build: (scope: Construct) => void): [Record<string, string>, Record<string, string>] {
    const write = (app: { root: Construct; stack: Construct; synth(): void }, out: string) => {
      const part = new Construct(app.stack, 'part');
      build(part);
      attachTerraform(part);
      expect(collectErrors(app.root)).toEqual([]);
      app.synth();
      return { manifest: fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'), doc: fs.readFileSync(path.join(out, 'stacks/s/cdk.tf.json'), 'utf8') };
    };
    const [a, b] = [tmpDir('kubebay-tfjson-cdktf-'), tmpDir('kubebay-tfjson-direct-')];
    return [write(terraformApp(a, 's') as any, a), write(directTerraformApp(b, 's') as any, b)];
  }

  test('count on a conditional resource, depends_on, a data source, immutable and list variables, overrides between plain resources', () => {
    const [viaCdktf, direct] = both((part) => {
      const size = new BayParameter(part, 'size', { type: 'number', default: 0, description: 'd', immutable: 'fixed', constraints: { range: { min: 0 }, description: 'a size' } });
      new BayParameter(part, 'names', { type: 'list', default: ['a', 'b'], description: 'n' });
      const ext = new BayResource(part, 'ext', EXTERNAL_NETWORK, { name: 'public' });
      const net = new BayResource(part, 'net', NETWORK, { name: 'n' });
      const has = new Condition('has', { op: 'not', test: { op: 'equals', left: size.value, right: 0 } });
      new BayResource(part, 'vol', VOLUME, { name: 'v', size: size.value }, { condition: has, dependsOn: [net] });
      new BayResource(part, 'router', ROUTER, { name: 'r', externalNetwork: ext.id });
      new BayOutput(part, 'net_id', { value: net.id, description: 'id', sensitive: true });
    });
    expect(direct).toEqual(viaCdktf);
    expect(JSON.parse(direct.doc).resource.openstack_blockstorage_volume_v3.vol.count).toBe('${!(var.size == 0) ? 1 : 0}');
  });
});

describe("cdktf's JSON layout", () => {
  test('stableStringify writes what json-stable-stringify (space 2, what cdktf uses) writes, for any JSON with undefined members', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constant(undefined)),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(fc.property(value, (v) => stableStringify(v) === jsonStableStringify(v, { space: 2 })), { numRuns: 2000 });
  });

  test('empty arrays and objects keep their two lines, as in a manifest', () => {
    expect(stableStringify({ b: [], a: {} })).toBe('{\n  "a": {\n  },\n  "b": [\n  ]\n}');
  });
});

describe('what the direct writer cannot render, it refuses', () => {
  test('a config key the provider schema does not have', () => {
    expect(() => terraformAttributes('openstack_networking_port_v2', { networkId: 'n', fixedIpz: [] }, '[x]')).toThrow(
      /\[x\] openstack_networking_port_v2: config key fixedIpz is not an attribute of the provider schema/,
    );
    expect(() => terraformAttributes('openstack_networking_port_v2', { fixedIp: [{ subnetIdd: 's' }] }, '[x]')).toThrow(/fixed_ip: config key subnetIdd/);
  });

  test('a resource type outside the kept schema', () => {
    expect(() => terraformAttributes('openstack_dns_zone_v2', {}, '[x]')).toThrow(/openstack_dns_zone_v2 is not in provider\/openstack-schema.json/);
  });

  test('meta-arguments other than lifecycle in a kind config', () => {
    expect(() => terraformAttributes('openstack_networking_network_v2', { name: 'n', count: 2 }, '[x]')).toThrow(/meta-argument count/);
  });

  test('nested blocks and lifecycle get Terraform names', () => {
    const { attributes, meta } = terraformAttributes(
      'openstack_compute_instance_v2',
      { flavorName: 'f', blockDevice: [{ sourceType: 'image', bootIndex: 0 }], timeouts: { create: '5m' }, lifecycle: { ignoreChanges: ['user_data'] } },
      '[x]',
    );
    expect(attributes).toEqual({ flavor_name: 'f', block_device: [{ source_type: 'image', boot_index: 0 }], timeouts: { create: '5m' } });
    expect(meta).toEqual({ lifecycle: { ignore_changes: ['user_data'] } });
  });

  test("a bay with a cdktf provider construct (the provider prop): an error naming it, nothing written", () => {
    const out = tmpDir('kubebay-tfjson-provider-');
    const app = directTerraformApp(out, 'demo');
    const provider = { [Symbol.for('cdktf/TerraformProvider')]: true, terraformResourceType: 'openstack', alias: 'b' }; // what the bay checks of a cdktf provider
    new KubernetesBay(app.stack as Construct, 'demo', { ...BASE_PROPS, provider: provider as any });
    expect(() => app.synth()).toThrow(/\[demo\/demo\/.*\/Resource\] uses a cdktf provider construct \(the bay's provider prop\)/);
    expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(false);
  });

  test('a kind without a Terraform form anywhere below the stack is a validation error, once', () => {
    const app = directTerraformApp(tmpDir('kubebay-tfjson-raw-'), 'raw');
    new RawHotResource(new Construct(app.stack as Construct, 'part'), 'dns', { type: 'OS::Designate::RecordSet', properties: {} });
    expect(collectErrors(app.root)).toEqual([expect.stringMatching(/^\[raw\/part\/dns\] Terraform cannot express raw HOT OS::Designate::RecordSet/)]);
  });

  test('a bay written directly has no cdktf references: apiAddress says where they exist', () => {
    const app = directTerraformApp(tmpDir('kubebay-tfjson-ref-'), 'demo');
    const bay = new KubernetesBay(app.stack as Construct, 'demo', BASE_PROPS);
    expect(() => bay.apiAddress).toThrow(/only when the bay is built in your own cdktf TerraformStack/);
  });
});
