/**
 * The HOT synthesizer has the Terraform one's shape: `validate` reports what
 * HOT cannot express together with the tree's own validation errors (all at
 * once, before anything is rendered), `render` gives the template set.
 */
import { BayResource, BayValidationError, defineKind, HotStack, HotSynthesizer } from '../../../lib';
import { NETWORK } from '../../../lib/network/kinds';

const TF_ONLY = defineKind<Record<string, never>>({
  name: 'tf-only thing',
  tf: { type: 'openstack_networking_network_v2', config: () => ({}) },
  hotMissing: 'Heat has no such resource; synthesize Terraform',
});

test('validate names each construct HOT cannot express, and render gives the templates', () => {
  const stack = new HotStack(undefined, 'h');
  new BayResource(stack, 'net', NETWORK, { name: 'n' });
  new BayResource(stack, 'odd', TF_ONLY, {});
  const hot = new HotSynthesizer({ description: 'd' });
  expect(hot.validate(stack)).toEqual(['[h/odd] HOT cannot express tf-only thing: Heat has no such resource; synthesize Terraform']);
});

test('HotStack.synthesize reports the HOT gaps with the construct validations in one error, and renders nothing', () => {
  const stack = new HotStack(undefined, 'h');
  new BayResource(stack, 'odd', TF_ONLY, {});
  stack.node.addValidation({ validate: () => ['something else is wrong'] });
  let error: unknown;
  try {
    stack.synthesize();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(BayValidationError);
  expect((error as BayValidationError).errors).toEqual(['[h] something else is wrong', expect.stringMatching(/^\[h\/odd\] HOT cannot express tf-only thing/)]);
});

test('a valid tree renders its root template', () => {
  const stack = new HotStack(undefined, 'h', { rootTemplate: 'root.yaml' });
  new BayResource(stack, 'net', NETWORK, { name: 'n' });
  const { set, files } = stack.synthesize();
  expect(set.rootTemplate).toBe('root.yaml');
  expect((set.templates.get('root.yaml') as any).resources.net.type).toBe('OS::Neutron::Net');
  expect(files.map((f) => f.path)).toEqual(['root.yaml', 'environment.yaml']);
});
