/**
 * Terraform state and output trees: the local backend is relative to the
 * stack directory (a user's backend is kept), re-synth keeps Terraform's
 * files, only directories kubebay wrote are replaced, dangerous targets
 * and store/output overlaps are refused, modes hold under umask 000, no
 * private key reaches a Terraform output, stale outputs are detectable.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalBackend, S3Backend, TerraformStack, App } from 'cdktf';
import { KubernetesBay } from '../../lib';
import { OUTPUT_MARKER, replaceDir } from '../../lib/synth/outdir';
import { EXAMPLE_BAY } from '../../stacks/example';
import { synthesizeBay } from '../../stacks/main';
import { workload } from '../../stacks/workload';
import { BASE_PROPS, inTempCwd, PKI_DIR, tmpDir } from '../helpers';

const synth = () => synthesizeBay(EXAMPLE_BAY, { tfOutdir: 'tf', hotOutdir: 'hot' });
const stackJson = () => JSON.parse(fs.readFileSync('tf/stacks/example/cdk.tf.json', 'utf8'));

describe('Terraform state', () => {
  test('the local backend path is relative to the stack directory, whatever the working directory of the synth', () =>
    inTempCwd(() => {
      synth();
      expect(stackJson().terraform.backend).toEqual({ local: { path: 'terraform.example.tfstate' } });
    }));

  test("a user's own backend is kept (declared before or after the bay)", () => {
    for (const order of ['before', 'after'] as const) {
      const outdir = tmpDir('kubebay-tf-');
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'platform');
      const backend = () => new S3Backend(stack, { bucket: 'tfstate', key: 'platform.tfstate', region: 'eu-1' });
      if (order === 'before') backend();
      new KubernetesBay(stack, 'demo', BASE_PROPS);
      if (order === 'after') backend();
      app.synth();
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/platform/cdk.tf.json'), 'utf8'));
      expect([order, json.terraform.backend]).toEqual([order, { s3: { bucket: 'tfstate', key: 'platform.tfstate', region: 'eu-1' } }]);
    }
  });

  test('cross-stack references read the bay stack\'s state from its sibling directory (stacks/workload.ts)', () => {
    const out = path.join(tmpDir(), 'out');
    const r = workload(out, { pkiDir: PKI_DIR });
    const json = JSON.parse(fs.readFileSync(r.workloadStack, 'utf8'));
    expect(json.terraform.backend).toEqual({ local: { path: 'terraform.workload.tfstate' } });
    expect(json.data.terraform_remote_state['cross-stack-reference-input-bay'].config).toEqual({ path: '../bay/terraform.bay.tfstate' });
  });

  test("a user's explicit local backend path is kept too", () => {
    const outdir = tmpDir('kubebay-tf-');
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'platform');
    new LocalBackend(stack, { path: '/srv/state/platform.tfstate' });
    new KubernetesBay(stack, 'demo', BASE_PROPS);
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/platform/cdk.tf.json'), 'utf8'));
    expect(json.terraform.backend).toEqual({ local: { path: '/srv/state/platform.tfstate' } });
  });

  test('re-synth keeps .terraform/, .terraform.lock.hcl and every *.tfstate* in the stack directory', () =>
    inTempCwd(() => {
      // GIVEN an initialised and applied stack directory
      synth();
      const dir = 'tf/stacks/example';
      fs.mkdirSync(path.join(dir, '.terraform/providers'), { recursive: true });
      fs.writeFileSync(path.join(dir, '.terraform/providers/bin'), 'provider', { mode: 0o755 });
      fs.chmodSync(path.join(dir, '.terraform/providers/bin'), 0o755);
      const kept = { '.terraform.lock.hcl': 'lock', 'terraform.example.tfstate': '{"serial": 7}', 'terraform.example.tfstate.backup': '{"serial": 6}' };
      for (const [f, c] of Object.entries(kept)) fs.writeFileSync(path.join(dir, f), c);
      // WHEN synthesized again
      synth();
      // THEN Terraform's files are all there, unchanged (the provider binary keeps its mode)
      for (const [f, c] of Object.entries(kept)) expect([f, fs.readFileSync(path.join(dir, f), 'utf8')]).toEqual([f, c]);
      expect(fs.statSync(path.join(dir, '.terraform/providers/bin')).mode & 0o777).toBe(0o755);
      // AND the output tree ignores state for git
      expect(fs.readFileSync('tf/.gitignore', 'utf8')).toMatch(/^\*\.tfstate\*$/m);
    }));
});

describe('output directories', () => {
  test('a directory kubebay did not write is refused, and left as it was', () =>
    inTempCwd(() => {
      // GIVEN a user's own Terraform directory where the outputs would go
      fs.mkdirSync('tf');
      fs.writeFileSync('tf/main.tf', 'resource "x" "y" {}\n');
      fs.writeFileSync('tf/terraform.tfstate', '{}');
      // WHEN synthesized there THEN refused, naming the directory and the marker
      expect(synth).toThrow(/refusing to replace \S+tf: it holds files kubebay did not write \(no \.kubebay-output marker: main\.tf, terraform\.tfstate\)/);
      expect(fs.readdirSync('tf').sort()).toEqual(['main.tf', 'terraform.tfstate']);
      expect(fs.existsSync('hot')).toBe(false);
    }));

  test('what a cdktf App leaves on construction (an empty stacks/) is replaced; a stacks/ with content is not', () =>
    inTempCwd(() => {
      // GIVEN the outdir a cdktf App made before any synth (new App({ outdir: 'tf' }))
      fs.mkdirSync('tf/stacks', { recursive: true });
      // WHEN synthesized there THEN the outputs replace it
      synth();
      expect(fs.existsSync(path.join('tf', OUTPUT_MARKER))).toBe(true);
      // AND an unmarked stacks/ that holds something is still refused
      fs.mkdirSync('tf2/stacks/mine', { recursive: true });
      expect(() => synthesizeBay(EXAMPLE_BAY, { tfOutdir: 'tf2', hotOutdir: 'hot2' })).toThrow(/refusing to replace \S+tf2: it holds files kubebay did not write/);
    }));

  test.each([
    ['the filesystem root', '/', /filesystem root/],
    ['the working directory', '.', /working directory or one of its ancestors/],
    ['an ancestor of the working directory', '..', /working directory or one of its ancestors/],
    ['the home directory', require('node:os').homedir(), /home directory/],
    ['an empty path (the working directory)', '', /working directory/],
  ])('%s is refused as a directory to replace', (_what, dir, message) =>
    inTempCwd(() => {
      expect(() => replaceDir(dir, () => undefined)).toThrow(message);
    }));

  test('a marked directory is replaced; its marker says so', () =>
    inTempCwd(() => {
      synth();
      expect(fs.readFileSync(path.join('tf', OUTPUT_MARKER), 'utf8')).toMatch(/Written by kubebay/);
      expect(fs.readFileSync(path.join('hot/example', OUTPUT_MARKER), 'utf8')).toMatch(/Written by kubebay/);
      fs.writeFileSync('hot/example/stray.txt', 'x');
      synth();
      expect(fs.existsSync('hot/example/stray.txt')).toBe(false);
    }));

  test('a PKI store inside an output directory is refused, and the store it would have created is not left behind', () =>
    inTempCwd(() => {
      expect(() => synthesizeBay({ ...EXAMPLE_BAY, pkiDir: 'tf/pki' }, { tfOutdir: 'tf', hotOutdir: 'hot' })).toThrow(
        /pkiDir \S+tf\/pki and the output directory \S+tf overlap/,
      );
      expect(fs.existsSync('tf/pki/example')).toBe(false);
      expect(fs.existsSync('tf/bays/example.json')).toBe(false);
      expect(fs.existsSync('tf/stacks')).toBe(false);
    }));

  test('under umask 000 outputs are 0644 (secrets 0600) and directories 0755', () =>
    inTempCwd(() => {
      const old = process.umask(0);
      try {
        synth();
      } finally {
        process.umask(old);
      }
      const modes: Record<string, string> = {};
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          modes[p] = (fs.statSync(p).mode & 0o777).toString(8);
          if (e.isDirectory()) walk(p);
        }
      };
      walk('tf');
      walk('hot');
      expect(modes['tf/stacks/example/cdk.tf.json']).toBe('644');
      expect(modes['tf/stacks/example']).toBe('755');
      expect(modes['hot/example/secrets.env.yaml']).toBe('600');
      expect(modes['hot/example/kubeconfig']).toBe('600');
      for (const [p, m] of Object.entries(modes)) expect([p, ['644', '600', '755'].includes(m)]).toEqual([p, true]);
      expect(fs.statSync('hot').mode & 0o777).toBe(0o755);
    }));

  test('a failed synth of a new bay leaves no PKI store and no record', () =>
    inTempCwd(() => {
      // GIVEN a new bay whose synth fails after its keys were made (its HOT directory holds a user's file)
      fs.mkdirSync('hot/failing', { recursive: true });
      fs.writeFileSync('hot/failing/notes.txt', 'mine');
      const props = { ...EXAMPLE_BAY, name: 'failing' };
      expect(() => synthesizeBay(props, { tfOutdir: 'tf', hotOutdir: 'hot' })).toThrow(/refusing to replace/);
      // THEN neither keys nor record remain
      expect(fs.existsSync('.kubebay/pki/failing')).toBe(false);
      expect(fs.existsSync('.kubebay/bays/failing.json')).toBe(false);
    }));
});

describe('no private key in Terraform state', () => {
  test('the kubeconfig output names the key file (client-key, read where Terraform runs), no client-key-data', () =>
    inTempCwd(() => {
      synth();
      const value: string = stackJson().output.example_kubeconfig.value;
      expect(value).not.toMatch(/client-key-data/);
      expect(value).toContain('client-key: "${abspath("${path.module}/../../../.kubebay/pki/example/admin.key")}"');
      const adminKey = fs.readFileSync('.kubebay/pki/example/admin.key', 'utf8');
      expect(JSON.stringify(stackJson())).not.toContain(Buffer.from(adminKey).toString('base64').slice(0, 40));
    }));

  test('outputs carry the CA fingerprint, checked at plan against the store (stale after pki rotate)', () =>
    inTempCwd(() => {
      synth();
      const out = stackJson().output.example_ca_fingerprint;
      const crt = fs.readFileSync('.kubebay/pki/example/ca.crt', 'utf8');
      const sha = createHash('sha256').update(crt).digest('hex');
      expect(out.precondition[0].condition).toBe(`\${fileexists(local.example_ca_fingerprint_file) ? filesha256(local.example_ca_fingerprint_file) == "${sha}" : false}`);
      expect(stackJson().locals.example_ca_fingerprint_file).toBe('${"${path.module}/../../../.kubebay/pki/example/ca.crt"}');
      expect(out.precondition[0].error_message).toMatch(/no longer holds the cluster CA .* synthesize the bay again/);
    }));
});

test('the shared test store is not inside any output tree (sanity of the fixtures above)', () => {
  expect(path.isAbsolute(PKI_DIR)).toBe(true);
});
