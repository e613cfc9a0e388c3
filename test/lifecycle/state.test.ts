/**
 * Lifecycle of a deployed bay's state and PKI with the real engines: real
 * Terraform 1.11 with the fake OpenStack provider (tf-lifecycle) and Heat's
 * engine (heat-lifecycle), on a 3-master + 3-minion bay synthesized by the
 * CLI.
 *
 * - apply: no private key (admin key, "PRIVATE KEY", client-key-data) in
 *   the Terraform state;
 * - fresh checkout (everything but the store): synth fails clearly; after
 *   `pki import`: byte-identical outputs, Terraform plans no change against
 *   the applied state, Heat updates nothing;
 * - `pki rotate` without a new synth: the stale outputs fail at plan with
 *   the CA fingerprint message.
 *
 * Needs terraform and python3-heat: runs only with KUBEBAY_LIFECYCLE=1 (CI).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PASSPHRASE_ENV } from '../../lib/cli/passphrase';
import { snapshot, tmpDir } from '../helpers';
import { cli } from '../cli/run-cli';

const TOOLS = path.resolve(__dirname, '../../../shared/tools');
const enabled = process.env.KUBEBAY_LIFECYCLE === '1';
const SKIP_REASON = 'skipped in npm test: set KUBEBAY_LIFECYCLE=1 (needs terraform and python3-heat; CI runs it via scripts/ci-state.sh)';
if (!enabled) process.stderr.write(`test/lifecycle/state.test.ts ${SKIP_REASON}\n`);
const suite = enabled ? describe : describe.skip;

const CONFIG = [
  'name: statebay',
  'image: ubuntu-24.04',
  'keyName: ops',
  'externalNetwork: public',
  'masterCount: 3',
  'minionCount: 3',
  'apiAllowedCidrs: [203.0.113.0/24]',
  'sshAllowedCidrs: [198.51.100.0/24]',
].join('\n');

interface TfSummary {
  readonly validate: unknown;
  readonly plan: { create: string[]; update: string[]; replace: string[]; delete: string[] } | null;
  readonly apply: unknown;
  readonly diagnostics?: { summary: string; detail: string }[];
}

function tfLifecycle(command: 'apply' | 'plan', stackDir: string, work: string): TfSummary {
  const r = spawnSync(path.join(TOOLS, 'tf-lifecycle'), [command, stackDir, '--work', work], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!r.stdout) throw new Error(`tf-lifecycle ${command} printed nothing: ${r.stderr}`);
  return JSON.parse(r.stdout) as TfSummary;
}

function heatNoChange(hotDir: string): { action: string; stack_status: string; counts: Record<string, number> }[] {
  const r = spawnSync(
    path.join(TOOLS, 'heat-lifecycle'),
    ['-q', '--compact', '-e', path.join(hotDir, 'environment.yaml'), '-e', path.join(hotDir, 'secrets.env.yaml'), path.join(hotDir, 'kubecluster.yaml'), '--no-change'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`heat-lifecycle failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

/** Every file below `dir` (relative path → bytes). */

const changes = (s: TfSummary) => s.plan && { create: s.plan.create, update: s.plan.update, replace: s.plan.replace, delete: s.plan.delete };
const NO_CHANGE = { create: [], update: [], replace: [], delete: [] };

suite(`state and PKI continuity with the real engines (3 masters, 3 minions)${enabled ? '' : ` — ${SKIP_REASON}`}`, () => {
  // Skipped suites still run this body: no temp dir unless the suite runs.
  const root = enabled ? tmpDir('kubebay-lifecycle-state-') : path.join(os.tmpdir(), 'kubebay-lifecycle-state-unused');
  const a = path.join(root, 'alice');
  const work = path.join(root, 'tf-work');
  const exported = path.join(root, 'statebay.pki');
  const stack = (project: string) => path.join(project, 'out/terraform/stacks/statebay');
  let outputs: Record<string, string>;

  beforeAll(async () => {
    fs.mkdirSync(a);
    fs.writeFileSync(path.join(a, 'bay.yaml'), CONFIG + '\n');
    const r = await cli('synth', '-c', path.join(a, 'bay.yaml'), '-o', path.join(a, 'out'));
    if (r.status !== 0) throw new Error(r.stderr);
    outputs = snapshot(path.join(a, 'out'));
    process.env[PASSPHRASE_ENV] = 'lifecycle test passphrase';
    const e = await cli('pki', 'export', '-c', path.join(a, 'bay.yaml'), '-o', exported);
    if (e.status !== 0) throw new Error(e.stderr);
  });
  afterAll(() => {
    delete process.env[PASSPHRASE_ENV];
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('apply: the Terraform state holds no private key, no client-key-data and not the admin key', () => {
    const applied = tfLifecycle('apply', stack(a), work);
    expect(applied.apply).toBe('ok');
    const state = fs.readFileSync(path.join(work, 'terraform.tfstate'), 'utf8');
    const adminKey = fs.readFileSync(path.join(a, '.kubebay/pki/statebay/admin.key'), 'utf8');
    expect(state).not.toMatch(/PRIVATE KEY/);
    expect(state).not.toMatch(/client-key-data/);
    expect(state).not.toContain(adminKey.split('\n')[1]);
    expect(state).not.toContain(Buffer.from(adminKey).toString('base64').slice(120, 180)); // past the header all RSA keys share
    // the kubeconfig output points at the key file instead
    expect(JSON.parse(state).outputs.statebay_kubeconfig.value).toContain(`client-key: "${path.join(a, '.kubebay/pki/statebay/admin.key')}"`);
    // and a re-plan of the same outputs changes nothing
    expect(changes(tfLifecycle('plan', stack(a), work))).toEqual(NO_CHANGE);
  });

  test('fresh checkout: synth fails clearly; after pki import the outputs are identical, Terraform plans no change and Heat updates nothing', async () => {
    // GIVEN a teammate's copy of everything but the store (config, bay record, outputs with Terraform's files)
    const b = path.join(root, 'bob');
    fs.cpSync(a, b, { recursive: true, filter: (src) => !src.startsWith(path.join(a, '.kubebay/pki')) });
    expect(fs.existsSync(path.join(b, '.kubebay/bays/statebay.json'))).toBe(true);
    const before = snapshot(path.join(b, 'out'));
    // WHEN synthesized THEN it fails naming the bay, the missing files and the import; nothing is written
    const failed = await cli('synth', '-c', path.join(b, 'bay.yaml'), '-o', path.join(b, 'out'));
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/bay statebay has a record .* does not exist \(missing: ca\.crt, ca\.key, front-proxy-ca\.crt, front-proxy-ca\.key, etcd-ca\.crt, etcd-ca\.key, sa\.key\)\. Restore the store: `kubebay pki import/);
    expect(snapshot(path.join(b, 'out'))).toEqual(before);
    expect(fs.existsSync(path.join(b, '.kubebay/pki/statebay'))).toBe(false);
    // WHEN the export is imported and the bay synthesized
    expect((await cli('pki', 'import', '-c', path.join(b, 'bay.yaml'), '-i', exported)).status).toBe(0);
    const ok = await cli('synth', '-c', path.join(b, 'bay.yaml'), '-o', path.join(b, 'out'));
    expect(ok.status).toBe(0);
    // THEN the outputs are byte-identical to alice's
    expect(snapshot(path.join(b, 'out'))).toEqual(outputs);
    // AND Terraform plans no change against the applied state
    const plan = tfLifecycle('plan', stack(b), work);
    expect(changes(plan)).toEqual(NO_CHANGE);
    // AND Heat: the same template set updates nothing
    const steps = heatNoChange(path.join(b, 'out/hot/statebay'));
    expect(steps.map((s) => s.stack_status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
    expect(steps[1].counts).toMatchObject({ created: 0, updated: 0, replaced: 0, deleted: 0 });
  });

  test('after pki rotate, outputs synthesized before it fail at plan with a clear message; a new synth plans again', async () => {
    const c = path.join(root, 'carol');
    fs.cpSync(a, c, { recursive: true });
    expect((await cli('pki', 'rotate', '-c', path.join(c, 'bay.yaml'))).status).toBe(0);
    const stale = tfLifecycle('plan', stack(c), work);
    expect(stale.plan).toBeNull();
    expect(JSON.stringify(stale.diagnostics)).toMatch(/no longer holds the cluster CA these outputs were synthesized with .*synthesize the bay again/);
    expect((await cli('synth', '-c', path.join(c, 'bay.yaml'), '-o', path.join(c, 'out'))).status).toBe(0);
    expect(tfLifecycle('plan', stack(c), work).plan).not.toBeNull();
  });
});
