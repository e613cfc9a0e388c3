/**
 * The Terraform target leaves cdktf's token stack traces unformatted while it
 * adds resources (a measured cost, BENCHMARKS.md): the process-wide formatter
 * must come back, and errors thrown meanwhile must keep their stacks.
 */
import { App, TerraformStack } from 'cdktf';
import { attachTerraform, BayResource, defineKind } from '../../../lib';
import { tfBay, tmpDir } from '../../helpers';

test('the stack-trace formatter is the same before and after a bay is added', () => {
  // GIVEN the formatter in place (jest's, or undefined)
  const before = Error.prepareStackTrace;
  // WHEN a bay is built into a Terraform stack
  tfBay();
  // THEN it is unchanged
  expect(Error.prepareStackTrace).toBe(before);
});

test('an error thrown while a resource is rendered keeps its stack, and the formatter is restored', () => {
  // GIVEN a kind whose Terraform config throws
  const before = Error.prepareStackTrace;
  const broken = defineKind<Record<string, never>>({
    name: 'broken',
    tf: {
      type: 'openstack_networking_network_v2',
      config: () => {
        throw new Error('config failed');
      },
    },
  });
  const stack = new TerraformStack(new App({ outdir: tmpDir() }), 'traces');
  // WHEN
  let caught: Error | undefined;
  try {
    const scope = new BayResource(stack, 'Broken', broken, {});
    attachTerraform(scope);
  } catch (e) {
    caught = e as Error;
  }
  // THEN the error arrives with a stack naming where it was thrown
  expect(caught?.message).toBe('config failed');
  expect(caught?.stack).toMatch(/config failed\n\s+at /);
  expect(Error.prepareStackTrace).toBe(before);
});
