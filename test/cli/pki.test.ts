import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from '../helpers';
import { BASE_CONFIG, cli, writeConfig } from './run-cli';

/** A config with its own store (rotate changes it). */
function isolatedConfig(): { config: string; pkiDir: string } {
  const pkiDir = path.join(tmpDir('kubebay-pki-'), 'pki');
  return { config: writeConfig(BASE_CONFIG.map((l) => (l.startsWith('pkiDir') ? `pkiDir: ${pkiDir}` : l))), pkiDir };
}

test('pki show prints paths, subjects, validity, key sizes and the discovery hash, never a private key or the token', async () => {
  // GIVEN a synthesized bay
  const { config, pkiDir } = isolatedConfig();
  expect((await cli('synth', '-c', config, '-t', 'hot', '-o', tmpDir())).status).toBe(0);
  // WHEN
  const r = await cli('pki', 'show', '--config', config);
  // THEN
  expect(r.status).toBe(0);
  const dir = path.join(pkiDir, 'demo');
  expect(r.stdout).toContain(`PKI of bay "demo": ${dir}`);
  expect(r.stdout).toMatch(/discovery hash: sha256:[0-9a-f]{64}/);
  expect(r.stdout).toMatch(/ca\.crt\n\s+path:\s+\S+ca\.crt\n\s+mode:\s+0600\n\s+subject:\s+CN=kubernetes\n\s+issuer:\s+CN=kubernetes\n\s+valid:\s+\d{4}-\d\d-\d\dT[\d:]+Z to \d{4}/);
  expect(r.stdout).toMatch(/admin\.crt\n(.*\n){2}\s+subject:\s+O=kubeadm:cluster-admins, CN=kubernetes-admin/);
  expect(r.stdout).toMatch(/ca\.key\n(.*\n){2}\s+key:\s+private, RSA-2048 \(contents not shown\)/);
  expect(r.stdout).toMatch(/bootstrap-token\n(.*\n){2}\s+secret:\s+contents not shown/);
  expect(r.stdout).not.toContain('PRIVATE KEY');
  expect(r.stdout).not.toContain(fs.readFileSync(path.join(dir, 'bootstrap-token'), 'utf8').trim());
  expect(r.stdout).not.toMatch(/MII[A-Za-z0-9+/]{20}/); // no PEM body at all
});

test('pki show for a bay without a store fails and says how to create one', async () => {
  const r = await cli('pki', 'show', '-c', isolatedConfig().config);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/bay "demo" has no certificate store in .* yet; `kubebay synth` creates it/);
});

test('pki rotate generates new material and keeps the old directory', async () => {
  // GIVEN
  const { config, pkiDir } = isolatedConfig();
  expect((await cli('synth', '-c', config, '-t', 'hot', '-o', tmpDir())).status).toBe(0);
  const oldCa = fs.readFileSync(path.join(pkiDir, 'demo/ca.crt'), 'utf8');
  // WHEN
  const r = await cli('pki', 'rotate', '-c', config);
  // THEN
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/moved previous PKI of bay demo to .*demo\.rotated-/);
  expect(r.stderr).toMatch(/generating RSA-2048 cluster CA for bay demo/);
  expect(r.stdout).toMatch(/replaces every server/);
  expect(r.stdout).not.toContain('PRIVATE KEY');
  const rotated = fs.readdirSync(pkiDir).filter((d) => d.startsWith('demo.rotated-'));
  expect(rotated).toHaveLength(1);
  expect(fs.readFileSync(path.join(pkiDir, rotated[0], 'ca.crt'), 'utf8')).toBe(oldCa);
  expect(fs.readFileSync(path.join(pkiDir, 'demo/ca.crt'), 'utf8')).not.toBe(oldCa);
});
