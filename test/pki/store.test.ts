import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BayPki, DEFAULT_PKI_DIR, PKI_FILES, PkiStore, SECRET_FILES, generateCa, generateClientCert } from '../../lib/pki';
import { freshDir, opensslCa, removeFreshDirs } from './helpers';

afterAll(removeFreshDirs);

const PEM_FIELDS = ['caCert', 'caKey', 'frontProxyCaCert', 'frontProxyCaKey', 'etcdCaCert', 'etcdCaKey', 'saKey', 'saPub', 'adminCert', 'adminKey'] as const;

/** Every stored file's bytes, by name. */
function snapshot(pki: BayPki): Record<string, string> {
  return Object.fromEntries(Object.entries(pki.files).map(([n, f]) => [n, fs.readFileSync(f, 'utf8')]));
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

let template: string | undefined;
/** A fresh store holding a copy of an RSA-2048 bay 'b1' generated once per file (saves key generation). */
function storeWithBay(): PkiStore {
  template ??= new PkiStore(freshDir()).loadOrCreate('b1').files['ca.crt'].replace(/\/ca\.crt$/, '');
  const root = freshDir();
  fs.cpSync(template, path.join(root, 'b1'), { recursive: true });
  return new PkiStore(root);
}

describe('PkiStore', () => {
  test('generates a bay once and re-loads it byte for byte', () => {
    // GIVEN an empty store
    const store = new PkiStore(freshDir());
    const progress: string[] = [];
    // WHEN a bay is loaded twice
    const first = store.loadOrCreate('b1', { onProgress: (m) => progress.push(m) });
    const stored = snapshot(first);
    const generated = progress.length;
    const second = store.loadOrCreate('b1', { onProgress: (m) => progress.push(m) });
    // THEN the first load reported generation, the second generated nothing
    expect(progress).toContain('generating RSA-2048 cluster CA for bay b1');
    expect(progress.length).toBe(generated);
    // AND both return the same material, identical to the files, which did not change
    for (const f of PEM_FIELDS) expect(second[f]).toBe(first[f]);
    expect(second.bootstrapToken).toBe(first.bootstrapToken);
    expect(second.discoveryHash).toBe(first.discoveryHash);
    expect(snapshot(second)).toEqual(stored);
    expect(stored['ca.crt']).toBe(first.caCert);
    expect(stored['bootstrap-token'].trim()).toBe(first.bootstrapToken);
    expect(first.keySize).toBe(2048);
    expect(second.warnings).toEqual([]);
  });

  test('stores the material in <root>/<bay> with modes 0700/0600 and no leftover temp files', () => {
    // GIVEN a new bay
    const root = freshDir();
    const pki = new PkiStore(root).loadOrCreate('b1');
    const dir = path.join(root, 'b1');
    // THEN every file is in the bay directory under its kubeadm name
    expect(Object.keys(pki.files).sort()).toEqual([...PKI_FILES].sort());
    for (const [name, file] of Object.entries(pki.files)) expect(file).toBe(path.join(dir, name));
    expect(fs.readdirSync(dir).sort()).toEqual([...PKI_FILES, 'meta.json', 'verified.json'].sort());
    expect(fs.readdirSync(root).sort()).toEqual(['.gitignore', 'b1']);
    expect(fs.readFileSync(path.join(root, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    // AND the directory is 0700 and every file 0600
    expect(mode(dir)).toBe(0o700);
    for (const name of fs.readdirSync(dir)) expect([name, mode(path.join(dir, name))]).toEqual([name, 0o600]);
  });

  test('a deleted store with its record deleted too regenerates new material', () => {
    // GIVEN a bay whose directory and record were deleted
    const store = storeWithBay();
    const old = store.loadOrCreate('b1');
    fs.rmSync(store.dir('b1'), { recursive: true });
    fs.rmSync(store.recordFile('b1'));
    expect(store.exists('b1')).toBe(false);
    // WHEN it is loaded again
    const fresh = store.loadOrCreate('b1');
    // THEN it has new CAs and a new token
    expect(store.exists('b1')).toBe(true);
    expect(fresh.caCert).not.toBe(old.caCert);
    expect(fresh.etcdCaKey).not.toBe(old.etcdCaKey);
    expect(fresh.bootstrapToken).not.toBe(old.bootstrapToken);
  });

  test('an existing CA is never replaced by loadOrCreate, even with another keySize', () => {
    // GIVEN an RSA-2048 bay
    const store = storeWithBay();
    const old = store.loadOrCreate('b1', { keySize: 2048 });
    const progress: string[] = [];
    // WHEN it is loaded requesting RSA-4096
    const again = store.loadOrCreate('b1', { keySize: 4096, onProgress: (m) => progress.push(m) });
    // THEN the stored RSA-2048 material is kept and a warning says how to regenerate it
    expect(again.caCert).toBe(old.caCert);
    expect(again.caKey).toBe(old.caKey);
    expect(again.keySize).toBe(2048);
    expect(again.warnings).toHaveLength(1);
    expect(again.warnings[0]).toMatch(/RSA-2048.*RSA-4096.*kubebay pki rotate b1/);
    expect(progress.some((m) => m.startsWith('generating'))).toBe(false);
  });

  test('rotate moves the old directory aside and generates new (RSA-4096) material', () => {
    // GIVEN an RSA-2048 bay
    const store = storeWithBay();
    const root = store.rootDir;
    const old = store.loadOrCreate('b1');
    const oldFiles = snapshot(old);
    // WHEN it is rotated to RSA-4096
    const rotated = store.rotate('b1', { keySize: 4096 });
    // THEN the new CAs are RSA-4096 and differ from the old ones
    expect(rotated.caCert).not.toBe(old.caCert);
    expect(rotated.keySize).toBe(4096);
    for (const cert of [rotated.caCert, rotated.frontProxyCaCert, rotated.etcdCaCert, rotated.adminCert]) {
      expect(new X509Certificate(cert).publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    }
    // AND the old material is kept, untouched, in <bay>.rotated-<timestamp>
    const kept = fs.readdirSync(root).filter((n) => n !== 'b1' && n !== '.gitignore');
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^b1\.rotated-\d{8}T\d{6}Z$/);
    for (const [name, content] of Object.entries(oldFiles)) {
      expect(fs.readFileSync(path.join(root, kept[0], name), 'utf8')).toBe(content);
    }
    // AND a later load returns the rotated material
    expect(store.loadOrCreate('b1').caCert).toBe(rotated.caCert);
  });

  test('a CA certificate without its key is an error naming the file and the fix', () => {
    // GIVEN a bay whose ca.key was lost
    const store = storeWithBay();
    const pki = store.loadOrCreate('b1');
    fs.rmSync(pki.files['ca.key']);
    // WHEN it is loaded THEN it fails naming ca.key and the rotate command
    expect(() => store.loadOrCreate('b1')).toThrow(/store \S+b1 is missing: ca\.key\..*kubebay pki import.*kubebay pki rotate b1/);
    // AND ca.crt was not touched
    expect(fs.readFileSync(pki.files['ca.crt'], 'utf8')).toBe(pki.caCert);
  });

  test('a CA key swapped after a load is caught on the next load (the check is cached by the bytes of the files)', () => {
    // GIVEN a bay loaded once (its check is cached), whose etcd CA key is then replaced by another CA's key
    const store = storeWithBay();
    const pki = store.loadOrCreate('b1');
    fs.writeFileSync(pki.files['etcd-ca.key'], pki.frontProxyCaKey);
    // WHEN it is loaded THEN the mismatch is reported
    expect(() => store.loadOrCreate('b1')).toThrow(/etcd-ca\.key: does not match the public key of CA certificate/);
  });

  test('verified.json caches the last full check until the first certificate expires', () => {
    // GIVEN a loaded bay
    const store = storeWithBay();
    const pki = store.loadOrCreate('b1');
    const file = path.join(store.dir('b1'), 'verified.json');
    const verified = JSON.parse(fs.readFileSync(file, 'utf8'));
    // THEN it records the discovery hash and the admin certificate's expiry (the earliest), mode 0600, no secret
    expect(verified.discoveryHash).toBe(pki.discoveryHash);
    expect(Date.parse(verified.notAfter)).toBe(Date.parse(new X509Certificate(pki.adminCert).validTo));
    expect(mode(file)).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(pki.bootstrapToken);
    // WHEN the cached result is altered (same digest) THEN a load uses it, without parsing the keys again
    fs.writeFileSync(file, JSON.stringify({ ...verified, discoveryHash: 'sha256:cached' }));
    expect(store.loadOrCreate('b1').discoveryHash).toBe('sha256:cached');
    // AND once its time has passed, the files are checked again and the real hash comes back
    fs.writeFileSync(file, JSON.stringify({ ...verified, discoveryHash: 'sha256:cached', notAfter: new Date(Date.now() - 1000).toISOString() }));
    expect(store.loadOrCreate('b1').discoveryHash).toBe(pki.discoveryHash);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(verified);
  });

  test('a warm load writes nothing and does not sleep: same inodes and mtimes, no rename, no fsync; only the lock comes and goes', () => {
    // GIVEN a bay loaded once (store, verified.json and record written)
    const store = storeWithBay();
    store.loadOrCreate('b1');
    const stats = () => {
      const out: Record<string, string> = {};
      for (const top of [store.rootDir, store.recordDir]) {
        for (const rel of ['', ...(fs.readdirSync(top, { recursive: true }) as string[])]) {
          const st = fs.lstatSync(path.join(top, rel));
          // The root's own mtime moves with the lock file, which is created and removed in it.
          out[path.join(top, rel)] = top === store.rootDir && rel === '' ? `${st.ino} ${st.mode}` : `${st.ino} ${st.mtimeMs} ${st.size} ${st.mode}`;
        }
      }
      return out;
    };
    const before = stats();
    const fsModule = require('node:fs') as typeof fs;
    const spies = [jest.spyOn(fsModule, 'renameSync'), jest.spyOn(fsModule, 'fsyncSync'), jest.spyOn(require('../../lib/core/process') as typeof import('../../lib/core/process'), 'sleepSync')];
    try {
      // WHEN it is loaded again
      store.loadOrCreate('b1');
      // THEN nothing was renamed, synced or waited for, and every file and directory is as it was
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(stats()).toEqual(before);
  });

  test("a warm load checks the bay record against the fingerprints cached with the files' last full check", () => {
    // GIVEN a loaded bay with a record, whose cache is altered to name another cluster CA (same file digest)
    const store = storeWithBay();
    store.loadOrCreate('b1');
    const file = path.join(store.dir('b1'), 'verified.json');
    const verified = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(verified.fingerprints).toEqual(store.record('b1')!.fingerprints);
    fs.writeFileSync(file, JSON.stringify({ ...verified, fingerprints: { ...verified.fingerprints, ca: 'sha256:other' } }));
    // WHEN it is loaded THEN the record check used the cache (and refuses)
    expect(() => store.loadOrCreate('b1')).toThrow(/holds other material than bay b1's record .*ca\.crt differ/);
    // AND without the cache the files themselves are fingerprinted (and match), and the cache is written again
    fs.rmSync(file);
    expect(store.loadOrCreate('b1').caCert).toBe(fs.readFileSync(path.join(store.dir('b1'), 'ca.crt'), 'utf8'));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(verified);
    // AND a cache of an earlier version (no fingerprints) costs one full check, which adds them
    const { fingerprints: _f, ...earlier } = verified;
    fs.writeFileSync(file, JSON.stringify(earlier));
    store.loadOrCreate('b1');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(verified);
  });

  test('an etcd CA key without its certificate is an error too', () => {
    // GIVEN a bay whose etcd-ca.crt was lost
    const store = storeWithBay();
    const pki = store.loadOrCreate('b1');
    fs.rmSync(pki.files['etcd-ca.crt']);
    // WHEN it is loaded THEN it fails naming etcd-ca.crt
    expect(() => store.loadOrCreate('b1')).toThrow(/is missing: etcd-ca\.crt\./);
  });

  test('missing derivable files (admin certificate, token, sa.pub) are regenerated', () => {
    // GIVEN a bay whose admin certificate, bootstrap token and sa.pub were deleted
    const store = storeWithBay();
    const old = store.loadOrCreate('b1');
    for (const name of ['admin.crt', 'bootstrap-token', 'sa.pub']) fs.rmSync(old.files[name]);
    // WHEN it is loaded
    const pki = store.loadOrCreate('b1');
    // THEN the CAs and sa.key are kept, sa.pub is re-derived identically
    for (const f of ['caCert', 'caKey', 'frontProxyCaCert', 'etcdCaCert', 'saKey', 'saPub'] as const) expect(pki[f]).toBe(old[f]);
    // AND a new admin certificate signed by the kept CA and a new token are stored
    expect(pki.adminCert).not.toBe(old.adminCert);
    expect(new X509Certificate(pki.adminCert).verify(new X509Certificate(pki.caCert).publicKey)).toBe(true);
    expect(pki.bootstrapToken).not.toBe(old.bootstrapToken);
    expect(fs.readFileSync(pki.files['admin.crt'], 'utf8')).toBe(pki.adminCert);
    expect(mode(pki.files['admin.crt'])).toBe(0o600);
  });

  test('an admin certificate not signed by the stored CA is regenerated with a warning', () => {
    // GIVEN a bay whose admin.crt/admin.key were signed by another CA
    const store = storeWithBay();
    const pki = store.loadOrCreate('b1');
    const other = generateClientCert({ commonName: 'kubernetes-admin', ca: generateCa({ commonName: 'kubernetes' }) });
    fs.writeFileSync(pki.files['admin.crt'], other.certPem);
    fs.writeFileSync(pki.files['admin.key'], other.keyPem);
    // WHEN it is loaded
    const again = store.loadOrCreate('b1');
    // THEN a new admin certificate of its own CA replaces it
    expect(again.warnings.join()).toMatch(/admin certificate of bay b1 is not signed by ca\.crt/);
    expect(new X509Certificate(again.adminCert).verify(new X509Certificate(pki.caCert).publicKey)).toBe(true);
  });

  test('uses a user-supplied cluster CA and stores a copy', () => {
    // GIVEN a CA made by openssl (PKCS#8 key)
    const corp = opensslCa(freshDir());
    const store = new PkiStore(freshDir());
    // WHEN a bay is created with it
    const pki = store.loadOrCreate('b1', { clusterCa: corp });
    // THEN the bay's cluster CA is that certificate, stored, and it signs the admin certificate
    const ca = new X509Certificate(pki.caCert);
    expect(ca.raw.equals(new X509Certificate(corp.certPem).raw)).toBe(true);
    expect(fs.readFileSync(pki.files['ca.crt'], 'utf8')).toBe(pki.caCert);
    expect(new X509Certificate(pki.adminCert).checkIssued(ca)).toBe(true);
    expect(new X509Certificate(pki.adminCert).verify(ca.publicKey)).toBe(true);
    // AND the other CAs are generated
    expect(new X509Certificate(pki.etcdCaCert).subject).toBe('CN=etcd-ca');
    // AND a later load, with or without clusterCa, returns the same material
    expect(store.loadOrCreate('b1', { clusterCa: corp }).caKey).toBe(pki.caKey);
    expect(store.loadOrCreate('b1').adminCert).toBe(pki.adminCert);
  });

  test('rejects a non-CA certificate or a mismatched key as clusterCa, writing nothing', () => {
    // GIVEN a client certificate and a CA with another CA's key
    const a = generateCa({ commonName: 'a' });
    const b = generateCa({ commonName: 'b' });
    const client = generateClientCert({ commonName: 'u', ca: a });
    const store = new PkiStore(freshDir());
    // WHEN they are supplied THEN loadOrCreate fails naming clusterCa
    expect(() => store.loadOrCreate('b1', { clusterCa: client })).toThrow(/^clusterCa: .*is not a CA/);
    expect(() => store.loadOrCreate('b1', { clusterCa: { certPem: a.certPem, keyPem: b.keyPem } })).toThrow(/^clusterCa: keyPem does not match/);
    expect(() => store.loadOrCreate('b1', { clusterCa: { certPem: 'garbage', keyPem: a.keyPem } })).toThrow(/^clusterCa: /);
    // AND no bay directory was made
    expect(store.exists('b1')).toBe(false);
  });

  test('a clusterCa other than the stored cluster CA is an error, not a replacement', () => {
    // GIVEN a bay with a generated CA
    const store = storeWithBay();
    const pki = store.loadOrCreate('b1');
    // WHEN another CA is supplied THEN it fails naming clusterCa and rotate
    expect(() => store.loadOrCreate('b1', { clusterCa: generateCa({ commonName: 'x' }) })).toThrow(/clusterCa differs.*kubebay pki rotate b1/);
    expect(fs.readFileSync(pki.files['ca.crt'], 'utf8')).toBe(pki.caCert);
  });

  test('rejects bay names that would escape the root', () => {
    // GIVEN a store WHEN a bay name has path characters THEN it is rejected
    const store = new PkiStore(freshDir());
    for (const name of ['../x', 'a/b', '', '.hidden', 'b1.rotated-1']) expect(() => store.dir(name)).toThrow(/invalid bay name/);
  });

  test('exports the default root and the secret file names', () => {
    // THEN the default root is documented and secrets are all keys plus the token
    expect(DEFAULT_PKI_DIR).toBe('.kubebay/pki');
    expect(new PkiStore().rootDir).toBe(path.resolve('.kubebay/pki'));
    expect([...SECRET_FILES].sort()).toEqual([...PKI_FILES.filter((n) => n.endsWith('.key')), 'bootstrap-token'].sort());
  });
});
