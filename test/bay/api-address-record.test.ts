/**
 * A bay can not switch `fixedApiVip`: the bay record says how the API is
 * addressed (written only for `fixedApiVip: true`), and a bay whose resolved
 * value differs from its record is refused before anything is written — in
 * the library, the store and the CLI; rotate, export and import keep it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { BayValidationError, KubernetesBay, PkiStore } from '../../lib';
import { exportPki, importPki } from '../../lib/pki';
import { BASE_PROPS } from '../helpers';
import { cli, BASE_CONFIG, writeConfig } from '../cli/run-cli';
import { asValidationError, thrownBy } from '../support/validation';
import { tmpDir } from '../tmp';

const PASS = 'correct horse battery staple';

/** A new store (`<fresh>/pki`, records in `<fresh>/bays`). */
const freshStore = () => new PkiStore(path.join(tmpDir('kubebay-vipguard-'), 'pki'));

/** The bay 'demo' built on `store` (context flag `flag` when given). */
function bay(store: PkiStore, props: { fixedApiVip?: boolean } = {}, flag?: boolean): KubernetesBay {
  const root = new Construct(undefined as any, 'root');
  if (flag !== undefined) root.node.setContext('kubebay:fixedApiVip', flag);
  return new KubernetesBay(root, 'demo', { ...BASE_PROPS, pkiDir: store.rootDir, ...props });
}

/** Every file under `dir` (relative path → bytes), to show nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = fs.readFileSync(p, 'base64');
  }
  return out;
}

const recordText = (store: PkiStore) => fs.readFileSync(store.recordFile('demo'), 'utf8');

describe('the record of a new bay', () => {
  test('fixedApiVip: true writes "apiAddress": "fixed"', () => {
    const store = freshStore();
    bay(store, { fixedApiVip: true });
    expect(JSON.parse(recordText(store)).apiAddress).toBe('fixed');
  });

  test('the context flag counts like the prop', () => {
    const store = freshStore();
    bay(store, {}, true);
    expect(JSON.parse(recordText(store)).apiAddress).toBe('fixed');
  });

  test('without it the record has exactly the fields of before, and flannelManifest (byte-identical with false and unset)', () => {
    const store = freshStore();
    bay(store);
    const unset = recordText(store);
    expect(Object.keys(JSON.parse(unset))).toEqual(['//', 'bay', 'createdAt', 'keySize', 'fingerprints', 'flannelManifest']);
    // the same material recorded again with an explicit false: the same bytes (but flannelManifest: a store found without a record is no new bay)
    fs.rmSync(store.recordFile('demo'));
    bay(store, { fixedApiVip: false });
    expect(recordText(store)).toBe(unset.replace(/,\n  "flannelManifest": "checked"/, ''));
  });
});

describe('switching a bay that has a record is refused before anything is written', () => {
  test.each([
    ['on (a bay created before fixedApiVip, or without it)', false, true, /fixedApiVip: true differs from the record of bay demo \(\S+demo\.json\): the bay was created with its API VIP allocated by Octavia/],
    ['off', true, false, /fixedApiVip: false differs from the record of bay demo \(\S+demo\.json\): the bay was created with a fixed API VIP/],
  ])('switching %s', (_what, created, now, message) => {
    // GIVEN a bay synthesized once
    const store = freshStore();
    bay(store, { fixedApiVip: created });
    const before = snapshot(path.dirname(store.rootDir));
    // WHEN it is built with the other value
    const e = asValidationError(thrownBy(() => bay(store, { fixedApiVip: now })));
    // THEN the error names the prop, the record, what would break and the fix, at the bay's path
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ path: 'root/demo', prop: 'fixedApiVip', value: now });
    expect(e.errors[0]).toMatch(message);
    expect(e.errors[0]).toMatch(/replaces its API load balancer .*changes the API address .*breaks every kubeconfig and the API server and etcd certificates/);
    expect(e.errors[0]).toContain(`keep fixedApiVip: ${created} for this bay`);
    expect(e.errors[0]).toContain(`delete ${store.recordFile('demo')} and its PKI store ${store.dir('demo')}, and synthesize again`);
    // AND nothing in the store or the records changed
    expect(snapshot(path.dirname(store.rootDir))).toEqual(before);
  });

  test('a value from the context flag: the fix says so', () => {
    const store = freshStore();
    bay(store);
    expect(() => bay(store, {}, true)).toThrow(/the value comes from the context flag kubebay:fixedApiVip: set fixedApiVip on this bay/);
  });

  test('the same value synthesizes again; a pki prop (no record) is not checked', () => {
    const store = freshStore();
    const first = bay(store, { fixedApiVip: true });
    expect(bay(store, { fixedApiVip: true }).pki.caCert).toBe(first.pki.caCert);
    expect(bay(store, {}, true).config.fixedApiVip).toBe(true);
    expect(() => bay(store, { fixedApiVip: false, pki: first.pki } as object)).not.toThrow();
  });

  test('the store refuses too (loadBayPki users passing fixedApiVip), before generating anything', () => {
    const store = freshStore();
    store.loadOrCreate('demo');
    fs.rmSync(store.dir('demo'), { recursive: true }); // even a missing store: the address check comes first
    expect(() => store.loadOrCreate('demo', { fixedApiVip: true })).toThrow(BayValidationError);
    expect(fs.existsSync(store.dir('demo'))).toBe(false);
    // without the option (a caller that does not know the bay's props) nothing is checked
    expect(() => store.loadOrCreate('demo')).toThrow(/does not exist/);
  });
});

describe('rotate, export and import keep the field', () => {
  test('rotate keeps "apiAddress": "fixed" (and adds none to an Octavia bay)', () => {
    const fixed = freshStore();
    fixed.loadOrCreate('demo', { fixedApiVip: true });
    fixed.rotate('demo');
    expect(JSON.parse(recordText(fixed))).toMatchObject({ apiAddress: 'fixed', rotatedAt: expect.any(String) });
    const octavia = freshStore();
    octavia.loadOrCreate('demo');
    octavia.rotate('demo', { fixedApiVip: true });
    expect(JSON.parse(recordText(octavia))).not.toHaveProperty('apiAddress');
  });

  test('import keeps the committed record; into a clone without a record it writes the field from the config', () => {
    const source = freshStore();
    source.loadOrCreate('demo', { fixedApiVip: true });
    const record = recordText(source);
    const sealed = exportPki(source, 'demo', PASS);
    // a teammate's clone: the committed record, no store
    const clone = freshStore();
    fs.mkdirSync(clone.recordDir, { recursive: true });
    fs.writeFileSync(clone.recordFile('demo'), record);
    importPki(clone, 'demo', sealed, PASS, 'export', { fixedApiVip: false });
    expect(recordText(clone)).toBe(record);
    // no record at all: the config's value is recorded
    const bare = freshStore();
    importPki(bare, 'demo', sealed, PASS, 'export', { fixedApiVip: true });
    expect(JSON.parse(recordText(bare)).apiAddress).toBe('fixed');
  });
});

describe('kubebay synth', () => {
  test('switching off is refused at the line of the key; the previous outputs and the record are untouched', async () => {
    // GIVEN a bay synthesized with fixedApiVip: true
    const pkiDir = path.join(tmpDir('kubebay-vipguard-'), 'pki');
    const lines = BASE_CONFIG.map((l) => (l.startsWith('pkiDir') ? `pkiDir: ${pkiDir}` : l));
    const out = tmpDir('kubebay-vipguard-out-');
    expect((await cli('synth', '-c', writeConfig([...lines, 'fixedApiVip: true']), '-o', out)).status).toBe(0);
    const store = new PkiStore(pkiDir);
    expect(JSON.parse(recordText(store)).apiAddress).toBe('fixed');
    const outputs = snapshot(out);
    const records = snapshot(path.dirname(pkiDir));
    // WHEN synthesized with false, then without the key
    const off = await cli('synth', '-c', writeConfig([...lines, 'fixedApiVip: false']), '-o', out);
    const unset = await cli('synth', '-c', writeConfig(lines), '-o', out);
    // THEN both fail naming the config line (when the key is there), the prop and the record
    expect(off.status).not.toBe(0);
    expect(off.stderr).toMatch(new RegExp(`bay\\.yaml:${lines.length + 1}: fixedApiVip: false differs from the record of bay demo`));
    expect(unset.status).not.toBe(0);
    expect(unset.stderr).toMatch(/bay\.yaml: fixedApiVip \(default\): false differs from the record of bay demo .*keep fixedApiVip: true/);
    // AND nothing was written
    expect(snapshot(out)).toEqual(outputs);
    expect(snapshot(path.dirname(pkiDir))).toEqual(records);
  });

  test('switching on a bay recorded without it is refused; pki rotate keeps the recorded mode', async () => {
    const pkiDir = path.join(tmpDir('kubebay-vipguard-'), 'pki');
    const lines = BASE_CONFIG.map((l) => (l.startsWith('pkiDir') ? `pkiDir: ${pkiDir}` : l));
    expect((await cli('synth', '-c', writeConfig(lines), '-t', 'hot', '-o', tmpDir())).status).toBe(0);
    const on = writeConfig([...lines, 'fixedApiVip: true']);
    const r = await cli('synth', '-c', on, '-t', 'hot', '-o', tmpDir());
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/fixedApiVip: true differs from the record of bay demo .*allocated by Octavia/);
    // rotate with the config of the other value does not change what the deployed bay is
    expect((await cli('pki', 'rotate', '-c', on)).status).toBe(0);
    expect(JSON.parse(recordText(new PkiStore(pkiDir)))).not.toHaveProperty('apiAddress');
  });
});
