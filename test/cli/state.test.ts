/**
 * The CLI side of state and PKI continuity: `pki export|import` (the
 * passphrase never on argv), the fresh-checkout error of `synth`, refused
 * `--out` targets and store/output overlaps, and a read-only `graph`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PASSPHRASE_ENV } from '../../lib/cli/passphrase';
import { snapshot, tmpDir } from '../helpers';
import { BASE_CONFIG, cli, writeConfig } from './run-cli';

/** A config in a fresh project dir whose store is `.kubebay/pki` beside it (the default). */
function project(): { config: string; dir: string } {
  const config = writeConfig(BASE_CONFIG.filter((l) => !l.startsWith('pkiDir')));
  return { config, dir: path.dirname(config) };
}

/** Every file below `dir` with its bytes (for "nothing changed" checks). */

afterEach(() => {
  delete process.env[PASSPHRASE_ENV];
});

test('fresh checkout: synth fails naming the bay, the missing files and `pki import`; import restores it and the outputs are identical', async () => {
  // GIVEN a project synthesized once and exported
  const { config, dir } = project();
  const out = path.join(dir, 'out');
  expect((await cli('synth', '-c', config, '-o', out)).status).toBe(0);
  const outputs = snapshot(out);
  const secret = path.join(tmpDir(), 'pass');
  fs.writeFileSync(secret, 'a long enough passphrase\n');
  const exported = path.join(tmpDir(), 'demo.pki');
  const exp = await cli('pki', 'export', '-c', config, '-o', exported, '--passphrase-file', secret);
  expect(exp.status).toBe(0);
  expect(fs.statSync(exported).mode & 0o777).toBe(0o600);
  // WHEN a teammate has everything but the store
  fs.rmSync(path.join(dir, '.kubebay/pki'), { recursive: true });
  const failed = await cli('synth', '-c', config, '-o', out);
  // THEN synth fails before writing anything, saying what is missing and how to restore it
  expect(failed.status).toBe(1);
  expect(failed.stderr).toMatch(/bay demo has a record \(\S+\.kubebay\/bays\/demo\.json.* does not exist \(missing: ca\.crt, ca\.key, .*sa\.key\)\. Restore the store: `kubebay pki import/);
  expect(snapshot(out)).toEqual(outputs);
  expect(fs.existsSync(path.join(dir, '.kubebay/pki/demo'))).toBe(false);
  // WHEN the export is imported (passphrase from the environment) and synthesized again
  process.env[PASSPHRASE_ENV] = 'a long enough passphrase';
  expect((await cli('pki', 'import', '-c', config, '-i', exported)).status).toBe(0);
  expect((await cli('synth', '-c', config, '-o', out)).status).toBe(0);
  // THEN the outputs are byte-identical to the first synth (no server replaced)
  expect(snapshot(out)).toEqual(outputs);
});

test('the passphrase is never an argument; without a source and a terminal the command says where to put it', async () => {
  const { config } = project();
  const r = await cli('pki', 'export', '-c', config, '-o', path.join(tmpDir(), 'x.pki'), '--passphrase', 'secret');
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/unknown option '--passphrase'/);
  const none = await cli('pki', 'import', '-c', config, '-i', path.join(tmpDir(), 'missing.pki'));
  expect(none.stderr).toMatch(/cannot read \S+missing\.pki \(ENOENT\)/);
});

test('an existing export file is never overwritten', async () => {
  const { config } = project();
  const file = path.join(tmpDir(), 'x.pki');
  fs.writeFileSync(file, 'keep');
  process.env[PASSPHRASE_ENV] = 'a long enough passphrase';
  const r = await cli('pki', 'export', '-c', config, '-o', file);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/exists; give a new file name/);
  expect(fs.readFileSync(file, 'utf8')).toBe('keep');
});

test.each([
  ["''", ''],
  ['the working directory', '.'],
])('synth --out %s is refused before anything is written', async (_what, out) => {
  const { config, dir } = project();
  const r = await cli('synth', '-c', config, '-o', out);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/--out directory (is empty|is the working directory)/);
  expect(fs.readdirSync(dir)).toEqual(['bay.yaml']);
});

test('a pkiDir inside --out is refused before any key is made', async () => {
  const dir = tmpDir();
  const config = path.join(dir, 'bay.yaml');
  fs.writeFileSync(config, [...BASE_CONFIG.filter((l) => !l.startsWith('pkiDir')), 'pkiDir: out/pki'].join('\n') + '\n');
  const r = await cli('synth', '-c', config, '-o', path.join(dir, 'out'));
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/pkiDir \S+out\/pki and --out \S+out overlap; keep the PKI store outside the output tree/);
  expect(fs.readdirSync(dir)).toEqual(['bay.yaml']);
});

test('graph is read-only: an expired admin certificate is not regenerated, the store, record and lock untouched', async () => {
  // GIVEN a synthesized project whose admin certificate is made unusable (as if expired)
  const { config, dir } = project();
  expect((await cli('synth', '-c', config, '-o', path.join(dir, 'out'))).status).toBe(0);
  const kubebay = path.join(dir, '.kubebay');
  fs.rmSync(path.join(kubebay, 'pki/demo/admin.crt'));
  const before = snapshot(kubebay);
  // WHEN graphed
  const r = await cli('graph', '-c', config);
  // THEN it drew the bay and changed nothing in the store
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^digraph/);
  expect(snapshot(kubebay)).toEqual(before);
});

test('pki rotate explains what it means for running nodes and stale outputs', async () => {
  const { config, dir } = project();
  expect((await cli('synth', '-c', config, '-o', path.join(dir, 'out'))).status).toBe(0);
  const old = JSON.parse(fs.readFileSync(path.join(dir, '.kubebay/bays/demo.json'), 'utf8'));
  const r = await cli('pki', 'rotate', '-c', config);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/replaces every server of the bay, and running nodes do not trust the new CA until then/);
  expect(r.stdout).toMatch(/fail at plan \(their ca_fingerprint check\)/);
  const now = JSON.parse(fs.readFileSync(path.join(dir, '.kubebay/bays/demo.json'), 'utf8'));
  expect(now.fingerprints.ca).not.toBe(old.fingerprints.ca);
});
