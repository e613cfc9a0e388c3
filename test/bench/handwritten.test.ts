/**
 * The reference of issue 15 (bench/handwritten.ts): the hand-written cdktf
 * program generated from a bay's cdk.tf.json writes the same document, and
 * declares `terraform_data` as kubebay does (a plain TerraformResource: no
 * `terraform version` child process), unless asked for cdktf's DataResource.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { comparable, firstDifference, handwrittenProgram } from '../../bench/handwritten';
import { tfBay, tmpDir } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const GEN = path.join(ROOT, 'dist/.gen/providers/openstack');

beforeAll(() => {
  if (!fs.existsSync(GEN)) throw new Error('dist/.gen is missing: run `npm run build` (npm test does)');
});

test('the program of a bay with a terraform_data guard writes the same document, starting no process, with no terraform on PATH', () => {
  const { json } = tfBay({ name: 'hw' });
  expect(Object.keys(json.resource.terraform_data ?? {}).length).toBeGreaterThan(0);
  const program = handwrittenProgram(json, 'test', require.resolve('cdktf'), GEN);
  expect(program).not.toMatch(/new DataResource\(/);
  const dir = tmpDir('kubebay-hw-');
  fs.writeFileSync(path.join(dir, 'hw.js'), program);
  // PATH points nowhere: cdktf's DataResource would run (and fail on) `terraform version` here.
  execFileSync(process.execPath, [path.join(dir, 'hw.js'), path.join(dir, 'out')], { cwd: dir, env: { ...process.env, PATH: dir, CHECKPOINT_DISABLE: '1' } });
  const written = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'stacks', 'test', 'cdk.tf.json'), 'utf8'));
  expect(firstDifference(comparable(written), comparable(json))).toBeUndefined();
});

test('the DataResource variant declares terraform_data with cdktf\'s class', () => {
  const { json } = tfBay({ name: 'hw' });
  const program = handwrittenProgram(json, 'test', require.resolve('cdktf'), GEN, 'DataResource');
  expect(program).toMatch(/new DataResource\(stack, "hw_number_of_masters_deployed"/);
  expect(program).not.toMatch(/terraformResourceType: 'terraform_data'/);
});
