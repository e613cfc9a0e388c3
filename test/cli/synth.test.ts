import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from '../helpers';
import { BASE_CONFIG, cli, writeConfig } from './run-cli';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

test('synth writes both formats, with a summary of files, counts and warnings', async () => {
  // GIVEN
  const config = writeConfig(BASE_CONFIG);
  const out = tmpDir();
  // WHEN
  const r = await cli('synth', '--config', config, '--target', 'all', '--out', out);
  // THEN
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.status).toBe(0);
  const tf = JSON.parse(fs.readFileSync(path.join(out, 'terraform/stacks/demo/cdk.tf.json'), 'utf8'));
  expect(tf.resource.openstack_networking_network_v2.demo_fixed_network).toBeDefined();
  const hot = path.join(out, 'hot/demo');
  expect(fs.readdirSync(hot).sort()).toEqual(
    ['.gitignore', '.kubebay-output', 'environment.yaml', 'kubecluster.yaml', 'kubeconfig', 'kubemaster.yaml', 'kubeminion.yaml', 'secrets.env.yaml', 'stack-create.json'],
  );
  expect(r.stdout).toMatch(/synthesized bay "demo"/);
  expect(r.stdout).toMatch(/terraform\s+\S+cdk\.tf\.json\n\s+\d+ resources, 1 data source, \d+ variables, \d+ outputs/);
  expect(r.stdout).toMatch(/kubecluster\.yaml {2}\(root template, \d+ resources\)/);
  expect(r.stdout).toMatch(/secrets\.env\.yaml {2}\(mode 0600, secret\)/);
  expect(r.stdout).toMatch(/warnings \(1\):\n.*\[kubebay:api-open\]/);
  // The payload carries no hidden parameter unless asked.
  const payload = JSON.parse(fs.readFileSync(path.join(hot, 'stack-create.json'), 'utf8'));
  expect(Object.keys(payload.parameters)).not.toContain('ca_key');
  expect(mode(path.join(hot, 'stack-create.json'))).toBe(0o644);
});

test('--include-secrets puts the hidden parameters into stack-create.json, mode 0600', async () => {
  // GIVEN
  const out = tmpDir();
  // WHEN
  const r = await cli('synth', '-c', writeConfig(BASE_CONFIG), '-t', 'hot', '-o', out, '--include-secrets');
  // THEN
  expect(r.status).toBe(0);
  const file = path.join(out, 'hot/demo/stack-create.json');
  const payload = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(payload.parameters).toEqual(expect.objectContaining({ ca_key: expect.any(String), bootstrap_token: expect.stringMatching(/^[a-z0-9]{6}\.[a-z0-9]{16}$/) }));
  expect(mode(file)).toBe(0o600);
  expect(r.stdout).toMatch(/stack-create\.json {2}\(mode 0600, secret\)/);
});

test('--target writes only the chosen format', async () => {
  const config = writeConfig(BASE_CONFIG);
  const hotOut = tmpDir();
  expect((await cli('synth', '-c', config, '-t', 'hot', '-o', hotOut)).status).toBe(0);
  expect(fs.readdirSync(hotOut)).toEqual(['hot']);
  const tfOut = tmpDir();
  expect((await cli('synth', '-c', config, '-t', 'terraform', '-o', tfOut)).status).toBe(0);
  expect(fs.readdirSync(tfOut)).toEqual(['terraform']);
});

test('an unknown key fails with its name, line and a suggestion; nothing is written', async () => {
  // GIVEN an output directory from an earlier run
  const out = tmpDir();
  fs.mkdirSync(path.join(out, 'terraform'));
  fs.writeFileSync(path.join(out, 'terraform/marker'), 'earlier run');
  const config = writeConfig([...BASE_CONFIG, 'masterCont: 5']);
  // WHEN
  const r = await cli('synth', '-c', config, '-o', out);
  // THEN
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`bay.yaml:${BASE_CONFIG.length + 1}: unknown key "masterCont"; did you mean "masterCount"?`);
  expect(r.stderr).toMatch(/nothing was written/);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stdout).toBe('');
  expect(fs.readdirSync(out)).toEqual(['terraform']);
  expect(fs.readdirSync(path.join(out, 'terraform'))).toEqual(['marker']);
});

test('an unknown key named after a JavaScript built-in gets no made-up suggestion', async () => {
  const config = writeConfig([...BASE_CONFIG, 'constructor: 1', 'toString: 2']);
  const r = await cli('synth', '-c', config, '-o', tmpDir());
  expect(r.status).toBe(1);
  const n = BASE_CONFIG.length;
  expect(r.stderr).toContain(`bay.yaml:${n + 1}: unknown key "constructor"\n`);
  expect(r.stderr).toContain(`bay.yaml:${n + 2}: unknown key "toString"\n`);
  expect(r.stderr).not.toMatch(/native code|did you mean/);
});

test("a bad value fails with the bay's message naming the prop and its line; nothing is written", async () => {
  // GIVEN
  const config = writeConfig([...BASE_CONFIG.filter((l) => !l.startsWith('masterCount')), 'masterCount: 0', 'kubernetesPort: 2379']);
  const out = tmpDir();
  // WHEN
  const r = await cli('synth', '-c', config, '-o', out);
  // THEN
  expect(r.status).toBe(1);
  const n = BASE_CONFIG.length;
  expect(r.stderr).toContain(`bay.yaml:${n}: masterCount: 0 is not a valid master count`);
  expect(r.stderr).toContain(`bay.yaml:${n + 1}: kubernetesPort: 2379 collides with the etcd client port`);
  expect(r.stderr).toMatch(/^kubebay: 2 errors; nothing was written/);
  expect(r.stderr).not.toMatch(/BayValidationError|\n\s+at /);
  expect(fs.readdirSync(out)).toEqual([]);
});

test('a bay named after a JavaScript built-in gets the name message, not a construct-id collision', async () => {
  for (const name of ['constructor', 'toString']) {
    // GIVEN
    const config = writeConfig([`name: ${name}`, ...BASE_CONFIG.slice(1)]);
    const out = tmpDir();
    // WHEN
    const r = await cli('synth', '-c', config, '-o', out);
    // THEN
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`bay.yaml:1: name: "${name}" is `);
    expect(r.stderr).not.toMatch(/already a Construct/);
    expect(fs.readdirSync(out)).toEqual([]);
  }
});

test('a failed run into a new directory leaves no directory behind', async () => {
  const out = path.join(tmpDir(), 'new', 'out');
  const r = await cli('synth', '-c', writeConfig([...BASE_CONFIG, 'kubernetesVersion: v0.9']), '-o', out);
  expect(r.status).toBe(1);
  expect(fs.existsSync(path.dirname(out))).toBe(false);
});

test('Terraform-only refusals are reported for --target all, not for --target hot', async () => {
  const config = writeConfig([...BASE_CONFIG, 'loadBalancerApi: lbaas-v1']);
  const all = await cli('synth', '-c', config, '-o', tmpDir());
  expect(all.status).toBe(1);
  expect(all.stderr).toMatch(/bay\.yaml:\d+: loadBalancerApi: "lbaas-v1" is HOT only/);
  expect((await cli('synth', '-c', config, '-t', 'hot', '-o', tmpDir())).status).toBe(0);
});

test('progress lines go to stderr while keys are generated', async () => {
  // GIVEN a bay without a store yet
  const config = writeConfig(BASE_CONFIG.map((l) => (l.startsWith('pkiDir') ? `pkiDir: ${tmpDir('kubebay-pki-')}` : l)));
  // WHEN
  const r = await cli('synth', '-c', config, '-t', 'hot', '-o', tmpDir());
  // THEN
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/^kubebay: generating RSA-2048 cluster CA for bay demo$/m);
  expect(r.stdout).not.toMatch(/generating/);
});

test('exit codes: 0 for help, 2 for usage errors', async () => {
  for (const argv of [['--help'], ['synth', '--help'], ['graph', '--help'], ['pki', '--help'], ['pki', 'show', '--help'], ['pki', 'rotate', '--help']]) {
    const r = await cli(...argv);
    expect({ argv, status: r.status }).toEqual({ argv, status: 0 });
    expect(r.stdout).toMatch(/^Usage: kubebay/);
  }
  expect((await cli('--version')).status).toBe(0);
  const usage = async (...argv: string[]) => {
    const r = await cli(...argv);
    expect({ argv, status: r.status }).toEqual({ argv, status: 2 });
    return r.stderr;
  };
  expect(await usage()).toMatch(/Usage: kubebay/);
  expect(await usage('deploy')).toMatch(/unknown command 'deploy'/);
  expect(await usage('synth')).toMatch(/required option '-c, --config <file>' not specified/);
  expect(await usage('synth', '-c', 'x.yaml', '--target', 'cfn')).toMatch(/Allowed choices are hot, terraform, all/);
  expect(await usage('synth', '-c', 'x.yaml', '--frobnicate')).toMatch(/unknown option '--frobnicate'/);
  expect(await usage('synth', '-c', 'x.yaml', '-t', 'terraform', '--include-secrets')).toMatch(/--include-secrets concerns the HOT payload/);
  expect(await usage('graph', '-c', 'x.yaml', '--format', 'png')).toMatch(/Allowed choices are dot, svg, mermaid/);
});

test('a missing config file is an error (1), not a crash', async () => {
  const r = await cli('synth', '-c', '/nonexistent/bay.yaml');
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/bay\.yaml: cannot read the config file: it does not exist \(ENOENT\); give the path/);
});
