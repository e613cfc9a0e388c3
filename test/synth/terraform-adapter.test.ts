/**
 * The Terraform synthesizer is attached explicitly (no construct registers
 * itself): what an attached scope holds is rendered at once, what is added
 * below it later is rendered at synth, and model constructs no adapter
 * renders are an error instead of a silent gap in the output.
 */
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { attachTerraform, BayResource, collectErrors, NodeGroup, RawHotResource, terraformElementOf } from '../../lib';
import { NETWORK } from '../../lib/network/kinds';
import { synthTf, tmpDir } from '../helpers';

const stackIn = () => new TerraformStack(new App({ outdir: tmpDir() }), 'adapter');

test('a model construct is rendered only once its scope is attached, and attaching twice renders it once', () => {
  const stack = stackIn();
  const scope = new Construct(stack, 'part');
  const net = new BayResource(scope, 'net', NETWORK, { name: 'n' });
  expect(terraformElementOf(net)).toBeUndefined();
  attachTerraform(scope);
  const element = terraformElementOf(net);
  expect(element).toBeDefined();
  attachTerraform(scope);
  expect(terraformElementOf(net)).toBe(element);
  expect(scope.node.findAll().filter((c) => c === element)).toHaveLength(1);
});

test('a resource added below an attached scope after attaching is in the synthesized JSON', () => {
  const { json } = synthTf((stack) => {
    const scope = new Construct(stack, 'part');
    new BayResource(scope, 'first', NETWORK, { name: 'a' });
    attachTerraform(scope);
    new BayResource(scope, 'late', NETWORK, { name: 'b' });
  });
  expect(Object.keys(json.resource.openstack_networking_network_v2).sort()).toEqual(['first', 'late']);
});

test('a model construct in a TerraformStack that nothing attached is a validation error naming the fix', () => {
  const stack = stackIn();
  attachTerraform(new Construct(stack, 'attached'));
  new BayResource(stack, 'stray', NETWORK, { name: 's' });
  expect(collectErrors(stack)).toEqual([expect.stringMatching(/^\[adapter\/stray\] .*outside any KubernetesBay.*attachTerraform/)]);
});

test('a kind without a Terraform form is reported at validation, as HOT reports its own gaps', () => {
  const stack = stackIn();
  const scope = new Construct(stack, 'part');
  new RawHotResource(scope, 'dns', { type: 'OS::Designate::RecordSet', properties: {} });
  attachTerraform(scope);
  expect(collectErrors(stack)).toEqual([expect.stringMatching(/^\[adapter\/part\/dns\] Terraform cannot express raw HOT OS::Designate::RecordSet: .*cdktf resource/)]);
});

test('outside a TerraformStack attaching does nothing (and loads no cdktf)', () => {
  expect(attachTerraform(new Construct(undefined as any, 'plain'))).toBeUndefined();
});

test('a node group removing nodes by anything but their keys is refused by the Terraform synthesizer (HOT can name nodes by stack id)', () => {
  const stack = stackIn();
  const scope = new Construct(stack, 'part');
  new NodeGroup(scope, 'workers', { count: 2, removalList: ['1', '10.0.0.5'], templateName: 'w.yaml' });
  new NodeGroup(scope, 'keyed', { count: 2, removalList: ['0', '12'], templateName: 'k.yaml' });
  attachTerraform(scope);
  expect(collectErrors(stack)).toEqual([expect.stringMatching(/^\[adapter\/part\/workers\] removes "10\.0\.0\.5": Terraform removes nodes by their keys .* only/)]);
});
