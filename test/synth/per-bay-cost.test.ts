/**
 * Work that does not grow with the number of bays is done once (issue 15,
 * the marginal cost per bay): the stack-wide check of the Terraform adapters
 * walks the stack once per validation whatever the number of attached
 * scopes, each HOT template is serialized once (the API payload reuses its
 * YAML), and the gzipped user-data files are compressed once per content.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { App, TerraformStack } from 'cdktf';
import { Construct, Node } from 'constructs';
import { attachTerraform, BayResource, collectErrors } from '../../lib';
import { gzipBase64 } from '../../lib/bootstrap/render';
import * as yaml from '../../lib/core/yaml';
import { STACK_CREATE_FILE } from '../../lib/synth/hot/payload';
import { NETWORK } from '../../lib/network/kinds';
import { hotBay, tmpDir } from '../helpers';

afterEach(() => jest.restoreAllMocks());

test('with many attached scopes, a stray model construct is reported once and the stack is walked once per validation', () => {
  const stack = new TerraformStack(new App({ outdir: tmpDir() }), 'many');
  for (let i = 0; i < 8; i++) new BayResource(new Construct(stack, `bay${i}`), 'net', NETWORK, { name: `n${i}` });
  for (let i = 0; i < 8; i++) attachTerraform(stack.node.findChild(`bay${i}`));
  new BayResource(stack, 'stray', NETWORK, { name: 's' });
  const findAll = jest.spyOn(Node.prototype, 'findAll');
  const errors = collectErrors(stack);
  expect(errors).toEqual([expect.stringMatching(/^\[many\/stray\] .*outside any KubernetesBay/)]);
  // collectErrors walks the stack once itself; the adapters' check adds one walk, not one per adapter.
  expect(findAll.mock.contexts.filter((n) => n === stack.node).length).toBeLessThanOrEqual(2);
});

test('each HOT template is serialized to YAML once, and the API payload carries the same bytes', () => {
  const stringify = jest.spyOn(yaml, 'toYaml');
  const { set, files } = hotBay();
  const docs = new Set<unknown>(set.templates.values());
  const serialized = stringify.mock.calls.map((c) => c[0]).filter((d) => docs.has(d));
  expect(serialized).toHaveLength(set.templates.size);
  const payload = JSON.parse(files.find((f) => f.path === STACK_CREATE_FILE)!.content);
  for (const [name, text] of Object.entries(payload.files)) expect(text).toBe(files.find((f) => f.path === name)!.content);
  expect(Object.keys(payload.files).length).toBe(set.templates.size - 1);
});

test('gzipBase64 gives the bytes of a fresh level-9 gzip, also from its memo and after evictions', () => {
  const texts = Array.from({ length: 40 }, (_, i) => `#!/bin/sh\necho ${i}\n`.repeat(50));
  const fresh = (t: string) => gzipSync(Buffer.from(t, 'utf8'), { level: 9 }).toString('base64');
  for (const t of [...texts, ...texts.slice(0, 3), ...texts.slice(-3)]) {
    expect(gzipBase64(t)).toBe(fresh(t));
    expect(gunzipSync(Buffer.from(gzipBase64(t), 'base64')).toString('utf8')).toBe(t);
  }
});

test('toYaml skips the directives pass and writes the same bytes as with it (no %YAML line, no document marker)', () => {
  const { set, files } = hotBay();
  const withDirectives = (doc: unknown) => stringify(doc, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
  for (const [name, doc] of set.templates) {
    const text = files.find((f) => f.path === name)!.content;
    expect(text).toBe(withDirectives(doc));
    expect(text).not.toMatch(/^(%YAML|---)/);
  }
});
