/**
 * Errors a user can see carry the project's types (issue 13): bad input is a
 * ValidationError with the construct path as data, a file problem a
 * FileError, both KubebayErrors; the message names the problem and the fix.
 */
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { FileError, KubebayError, ValidationError } from '../../lib/core/errors';
import { NodeGroup } from '../../lib';
import { assertSafeOutputDir } from '../../lib/synth/outdir';
import { parseTokenTtl } from '../../lib/pki/token/secret';
import { hotBay, tmpDir } from '../helpers';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

test('a HOT bay asked for its Terraform apiAddress: ValidationError at the bay, naming the HOT way', () => {
  const { bay } = hotBay({ name: 'errs' });
  const e = thrown(() => bay.apiAddress);
  expect(e).toBeInstanceOf(ValidationError);
  expect(e).toBeInstanceOf(KubebayError);
  expect((e as ValidationError).constructPath).toBe(bay.node.path);
  expect((e as Error).message).toMatch(/in HOT read the api_address output/);
});

test('nested node groups: ValidationError at the inner group, with the fix', () => {
  const root = new Construct(undefined as any, 'root');
  const outer = new NodeGroup(root, 'outer', { count: 1, templateName: 'g.yaml' });
  const e = thrown(() => new NodeGroup(outer, 'inner', { count: 1, templateName: 'g.yaml' }));
  expect(e).toBeInstanceOf(ValidationError);
  expect((e as ValidationError).constructPath).toBe('root/outer/inner');
  expect((e as Error).message).toMatch(/cannot be nested; make each NodeGroup a sibling/);
});

test('dangerous output directories are FileErrors naming the fix', () => {
  for (const dir of ['', ' ', process.cwd()]) {
    const e = thrown(() => assertSafeOutputDir(dir));
    expect(e).toBeInstanceOf(FileError);
    expect((e as Error).message).toMatch(/such as 'out'/);
  }
});

test('a bad token lifetime is a ValidationError naming the option and the format', () => {
  const e = thrown(() => parseTokenTtl('1d', '--ttl'));
  expect(e).toBeInstanceOf(ValidationError);
  expect((e as Error).message).toMatch(/^--ttl: "1d" is not a positive duration.*24h, 90m or 1h30m/);
});

test('a Terraform stack that is not one: ValidationError at that construct', () => {
  const app = new App({ outdir: tmpDir('kubebay-errs-') });
  new TerraformStack(app, 'ok');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TerraformSynthesizer } = require('../../lib/synth/terraform/synthesizer');
  const e = thrown(() => TerraformSynthesizer.of(app));
  expect(e).toBeInstanceOf(ValidationError);
  expect((e as Error).message).toMatch(/is not a cdktf TerraformStack/);
});
