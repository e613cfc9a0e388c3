/**
 * How the built package loads, as a user's process sees it (dist/, run in a
 * child process so the module cache is a fresh one): HOT-only use never
 * loads cdktf or the OpenStack bindings; the Terraform target is loaded by
 * the stack a bay is built in, not by a side-effect import.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const DIST_LIB = path.join(ROOT, 'dist/lib');

function runNode(script: string, cwd = tmpDir('kubebay-load-')): string {
  try {
    return execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

const LOADED_TF = `Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/]cdktf[\\\\/]|providers[\\\\/]openstack/.test(f)).length`;
const PROPS = `{ image: 'i', keyName: 'k', externalNetwork: 'public', apiAllowedCidrs: ['203.0.113.0/24'], pkiDir: 'pki' }`;

beforeAll(() => {
  if (!fs.existsSync(path.join(DIST_LIB, 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
});

test('require("kubebay") loads neither cdktf nor the generated bindings', () => {
  expect(runNode(`require(${JSON.stringify(DIST_LIB)}); process.stdout.write(String(${LOADED_TF}))`)).toBe('0');
});

test('a bay written as HOT loads neither cdktf nor the bindings', () => {
  const out = runNode(`
    const { HotStack, KubernetesBay } = require(${JSON.stringify(DIST_LIB)});
    const stack = new HotStack(undefined, 'h');
    new KubernetesBay(stack, 'h', ${PROPS});
    const { files } = stack.synth('out');
    process.stdout.write(files.length + ' ' + ${LOADED_TF});
  `);
  const [files, loaded] = out.split(' ').map(Number);
  expect(files).toBeGreaterThanOrEqual(4);
  expect(loaded).toBe(0);
});

test('a bay deep-imported into a TerraformStack emits its resources (no side-effect import needed)', () => {
  const out = runNode(`
    const { App, TerraformStack } = require(require.resolve('cdktf', { paths: [${JSON.stringify(ROOT)}] }));
    const { KubernetesBay } = require(${JSON.stringify(path.join(DIST_LIB, 'bay/kubernetes-bay.js'))});
    const app = new App({ outdir: 'tf' });
    new KubernetesBay(new TerraformStack(app, 's'), 'd', ${PROPS});
    app.synth();
    const json = require(require('path').resolve('tf/stacks/s/cdk.tf.json'));
    process.stdout.write(Object.keys(json.resource.openstack_compute_instance_v2).join(','));
  `);
  expect(out.split(',')).toEqual(expect.arrayContaining(['d_master_server', 'd_minion_server']));
});

test('HotStack.synth() prints the warnings and returns them (an API open to the world says so)', () => {
  const out = runNode(`
    const { HotStack, KubernetesBay } = require(${JSON.stringify(DIST_LIB)});
    const stack = new HotStack(undefined, 'w');
    new KubernetesBay(stack, 'w', { ...${PROPS}, apiAllowedCidrs: undefined });
    const lines = [];
    process.stderr.write = (s) => (lines.push(String(s)), true);
    const { warnings } = stack.synth('out');
    process.stdout.write(JSON.stringify({ warnings, lines }));
  `);
  const { warnings, lines } = JSON.parse(out);
  expect(warnings).toEqual([expect.objectContaining({ message: expect.stringContaining('[kubebay:api-open]') })]);
  expect(lines.join('')).toMatch(/^warning: w\/w: \[kubebay:api-open\]/m);
});

test('`kubebay synth --target hot` loads neither cdktf nor the bindings', () => {
  const cwd = tmpDir('kubebay-load-');
  fs.writeFileSync(path.join(cwd, 'bay.json'), `{"name":"c","image":"i","keyName":"k","externalNetwork":"public","apiAllowedCidrs":["203.0.113.0/24"],"pkiDir":"pki"}`);
  const out = runNode(
    `
    const { run } = require(${JSON.stringify(path.join(DIST_LIB, 'cli/run.js'))});
    const io = { stdout: { write: () => true }, stderr: { write: () => true } };
    run(['synth', '--config', 'bay.json', '--target', 'hot', '--out', 'o'], io).then((status) => {
      process.stdout.write(status + ' ' + require('fs').existsSync('o/hot/c/kubecluster.yaml') + ' ' + ${LOADED_TF});
    });
  `,
    cwd,
  );
  expect(out).toBe('0 true 0');
});

test('`kubebay synth --target all` and `--target terraform` load neither cdktf nor the bindings (the direct Terraform writer)', () => {
  for (const target of ['all', 'terraform']) {
    const cwd = tmpDir('kubebay-load-');
    fs.writeFileSync(path.join(cwd, 'bay.json'), `{"name":"c","image":"i","keyName":"k","externalNetwork":"public","apiAllowedCidrs":["203.0.113.0/24"],"pkiDir":"pki"}`);
    const out = runNode(
      `
      const { run } = require(${JSON.stringify(path.join(DIST_LIB, 'cli/run.js'))});
      const io = { stdout: { write: () => true }, stderr: { write: () => true } };
      run(['synth', '--config', 'bay.json', '--target', '${target}', '--out', 'o'], io).then((status) => {
        const json = JSON.parse(require('fs').readFileSync('o/terraform/stacks/c/cdk.tf.json', 'utf8'));
        process.stdout.write(status + ' ' + Object.keys(json.resource.openstack_compute_instance_v2) + ' ' + require('fs').existsSync('o/terraform/manifest.json') + ' ' + ${LOADED_TF});
      });
    `,
      cwd,
    );
    expect({ target, out }).toEqual({ target, out: '0 c_master_server,c_minion_server true 0' });
  }
});

test('synthesizeBay (stacks/main.ts) loads neither cdktf nor the bindings', () => {
  const out = runNode(`
    const { synthesizeBay } = require(${JSON.stringify(DIST_LIB)});
    const { tfDir } = synthesizeBay({ name: 's', ...${PROPS} }, { tfOutdir: 'tf', hotOutdir: 'hot' });
    process.stdout.write(require('fs').existsSync(tfDir + '/cdk.tf.json') + ' ' + ${LOADED_TF});
  `);
  expect(out).toBe('true 0');
});
