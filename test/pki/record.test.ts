/**
 * PKI continuity: the committed bay record, the store's refusal to make a
 * new CA for a recorded bay, export/import, rotate, and the store's own
 * safety (lock, modes, owner, symbolic links, debris of killed runs).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { caFingerprint, exportPki, importPki, PkiStore } from '../../lib/pki';
import { freshDir, removeFreshDirs } from './helpers';

afterAll(removeFreshDirs);

let template: string | undefined;
/** A store `<fresh>/pki` holding a copy of bay 'b1' (generated once per file) and no record yet. */
function storeWithBay(): PkiStore {
  template ??= new PkiStore(path.join(freshDir(), 'pki')).loadOrCreate('b1').files['ca.crt'].replace(/\/ca\.crt$/, '');
  const root = path.join(freshDir(), 'pki');
  fs.mkdirSync(root, { mode: 0o700 });
  fs.cpSync(template, path.join(root, 'b1'), { recursive: true });
  return new PkiStore(root);
}

/** Every file of a bay's store directory, by name. */
const files = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((n) => [n, fs.readFileSync(path.join(dir, n), 'utf8')]));

const PASS = 'correct horse battery staple';

describe('bay record', () => {
  test('is written beside the store (.kubebay/pki -> .kubebay/bays) with the CA and SA fingerprints, no secret', () => {
    // GIVEN a loaded bay
    const store = storeWithBay();
    const pki = store.loadOrCreate('b1');
    // THEN its record sits in <parent>/bays, mode 0644, and names the material
    expect(store.recordFile('b1')).toBe(path.join(path.dirname(store.rootDir), 'bays', 'b1.json'));
    const text = fs.readFileSync(store.recordFile('b1'), 'utf8');
    const record = JSON.parse(text);
    expect(record).toMatchObject({ bay: 'b1', keySize: 2048, fingerprints: { ca: caFingerprint(pki.caCert), etcdCa: caFingerprint(pki.etcdCaCert) } });
    expect(record.fingerprints.saPub).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fs.statSync(store.recordFile('b1')).mode & 0o777).toBe(0o644);
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(text).not.toContain(pki.bootstrapToken);
  });

  test('fresh checkout: record without store fails before writing anything, naming the bay, the missing files and the import', () => {
    // GIVEN a bay with a record whose store is gone (a teammate's checkout)
    const store = storeWithBay();
    store.loadOrCreate('b1');
    fs.rmSync(store.dir('b1'), { recursive: true });
    const before = fs.readdirSync(store.rootDir).sort();
    // WHEN it is loaded THEN it fails with the bay, every missing file and the restore command
    expect(() => store.loadOrCreate('b1')).toThrow(
      /bay b1 has a record .*b1\.json.* but its PKI store \S+b1 does not exist \(missing: ca\.crt, ca\.key, front-proxy-ca\.crt, front-proxy-ca\.key, etcd-ca\.crt, etcd-ca\.key, sa\.key\)\. .*kubebay pki import/,
    );
    // AND no new CA was generated: the store holds nothing new
    expect(fs.readdirSync(store.rootDir).sort()).toEqual(before);
  });

  test('a store holding another CA than the record is refused, without touching either', () => {
    // GIVEN a bay with a record, and a store replaced by another bay's material
    const store = storeWithBay();
    store.loadOrCreate('b1');
    const record = fs.readFileSync(store.recordFile('b1'), 'utf8');
    const other = new PkiStore(path.join(freshDir(), 'pki')).loadOrCreate('b1');
    fs.rmSync(store.dir('b1'), { recursive: true });
    fs.cpSync(path.dirname(other.files['ca.crt']), store.dir('b1'), { recursive: true });
    const stored = files(store.dir('b1'));
    // WHEN loaded THEN refused naming the differing files
    expect(() => store.loadOrCreate('b1')).toThrow(/holds other material than bay b1's record .*ca\.crt, front-proxy-ca\.crt, etcd-ca\.crt, sa\.key differ/);
    expect(files(store.dir('b1'))).toEqual(stored);
    expect(fs.readFileSync(store.recordFile('b1'), 'utf8')).toBe(record);
  });

  test('rotate is the way to new material: it updates the record (rotatedAt), keeping createdAt', () => {
    const store = storeWithBay();
    const old = store.loadOrCreate('b1');
    const createdAt = store.record('b1')!.createdAt;
    const fresh = store.rotate('b1');
    const record = store.record('b1')!;
    expect(record.fingerprints.ca).toBe(caFingerprint(fresh.caCert));
    expect(record.fingerprints.ca).not.toBe(caFingerprint(old.caCert));
    expect(record.createdAt).toBe(createdAt);
    expect(record.rotatedAt).toMatch(/^\d{4}-/);
    // and the next load accepts the rotated store
    expect(store.loadOrCreate('b1').caCert).toBe(fresh.caCert);
  });
});

describe('pki export / import', () => {
  test('round trip restores the store byte for byte on a fresh checkout; the export holds no clear key', () => {
    // GIVEN a bay, exported
    const store = storeWithBay();
    const pki = store.loadOrCreate('b1');
    const exported = exportPki(store, 'b1', PASS);
    expect(exported).not.toMatch(/PRIVATE KEY/);
    expect(exported).not.toContain(Buffer.from(pki.caKey).toString('base64').slice(0, 40));
    const original = files(store.dir('b1'));
    // WHEN the store is lost (record kept) and the export is imported
    fs.rmSync(store.dir('b1'), { recursive: true });
    const restored = importPki(store, 'b1', exported, PASS);
    // THEN the same material is back (verified.json is a cache, rewritten)
    expect(restored.caCert).toBe(pki.caCert);
    const { ['verified.json']: _v1, ...want } = original;
    const { ['verified.json']: _v2, ...got } = files(store.dir('b1'));
    expect(got).toEqual(want);
    expect(fs.statSync(store.dir('b1')).mode & 0o777).toBe(0o700);
  });

  test('a wrong passphrase, a changed file and another bay are refused; nothing is written', () => {
    const store = storeWithBay();
    store.loadOrCreate('b1');
    const exported = exportPki(store, 'b1', PASS);
    fs.rmSync(store.dir('b1'), { recursive: true });
    expect(() => importPki(store, 'b1', exported, 'wrong passphrase!!')).toThrow(/cannot decrypt the export: wrong passphrase, or the file was changed/);
    const tampered = JSON.stringify({ ...JSON.parse(exported), bay: 'b2' });
    expect(() => importPki(store, 'b2', tampered, PASS)).toThrow(/cannot decrypt/);
    expect(() => importPki(store, 'b9', exported, PASS)).toThrow(/holds the PKI of bay b1, not of bay b9/);
    expect(() => exportPki(store, 'b1', 'short')).toThrow(/too short/);
    expect(fs.existsSync(store.dir('b1'))).toBe(false);
  });

  test("importing another bay's material over a recorded bay is refused", () => {
    // GIVEN two stores of a bay named b1 with different CAs; the first has a record
    const store = storeWithBay();
    store.loadOrCreate('b1');
    const other = new PkiStore(path.join(freshDir(), 'pki'));
    other.loadOrCreate('b1');
    const foreign = exportPki(other, 'b1', PASS);
    fs.rmSync(store.dir('b1'), { recursive: true });
    // WHEN the foreign export is imported THEN it is refused by the record
    expect(() => importPki(store, 'b1', foreign, PASS)).toThrow(/not bay b1's \(its record .* names other ca\.crt/);
    expect(fs.existsSync(store.dir('b1'))).toBe(false);
  });
});

describe('store safety', () => {
  test('the root and every directory kubebay creates are 0700, whatever the umask', () => {
    const parent = freshDir();
    const old = process.umask(0);
    try {
      new PkiStore(path.join(parent, 'a', 'b', 'pki')).loadOrCreate('b1');
    } finally {
      process.umask(old);
    }
    for (const d of ['a', 'a/b', 'a/b/pki', 'a/b/pki/b1']) expect([d, fs.statSync(path.join(parent, d)).mode & 0o777]).toEqual([d, 0o700]);
    for (const f of fs.readdirSync(path.join(parent, 'a/b/pki/b1'))) expect([f, fs.statSync(path.join(parent, 'a/b/pki/b1', f)).mode & 0o777]).toEqual([f, 0o600]);
  });

  test('a symbolic link in the store is refused and never followed (its target keeps its mode)', () => {
    // GIVEN a store whose sa.pub is a link to a file outside the store
    const store = storeWithBay();
    const outside = path.join(freshDir(), 'system-file');
    fs.writeFileSync(outside, 'do not touch\n', { mode: 0o644 });
    fs.chmodSync(outside, 0o644);
    const link = path.join(store.dir('b1'), 'sa.pub');
    fs.rmSync(link);
    fs.symlinkSync(outside, link);
    // WHEN loaded THEN refused, and the target is unchanged
    expect(() => store.loadOrCreate('b1')).toThrow(/sa\.pub is a symbolic link; kubebay never follows links in the PKI store/);
    expect(fs.statSync(outside).mode & 0o777).toBe(0o644);
    expect(fs.readFileSync(outside, 'utf8')).toBe('do not touch\n');
  });

  test('a store root that is a symbolic link is refused', () => {
    const store = storeWithBay();
    const linked = path.join(freshDir(), 'pki');
    fs.symlinkSync(store.rootDir, linked);
    expect(() => new PkiStore(linked).loadOrCreate('b1')).toThrow(/pki is a symbolic link/);
  });

  const asRoot = process.getuid?.() === 0 ? test : test.skip;
  asRoot('a store directory owned by another user is refused (they could swap in their own CA)', () => {
    const store = storeWithBay();
    fs.chownSync(store.dir('b1'), 1, 1);
    expect(() => store.loadOrCreate('b1')).toThrow(/b1 is owned by uid 1, not by you \(uid 0\): another user could swap in their own CA/);
  });

  test("killed runs' debris (creating dirs, temp files, a dead process's lock) is cleaned by the next load", () => {
    // GIVEN debris of a process that no longer exists
    const store = storeWithBay();
    const dead = 2 ** 22 + 12345; // above the default pid_max: never a live process
    const debris = [
      path.join(store.rootDir, `.b1.creating-${dead}-abc123`),
      path.join(store.dir('b1'), `.ca.key.${dead}.deadbeef.tmp`),
    ];
    fs.mkdirSync(debris[0]);
    fs.writeFileSync(path.join(debris[0], 'ca.key'), 'half a key');
    fs.writeFileSync(debris[1], 'half a key');
    fs.writeFileSync(path.join(store.rootDir, '.b1.lock'), `${dead}\n${require('node:os').hostname()}\n`);
    // AND debris of this (live) process, which must stay
    const live = path.join(store.rootDir, `.b1.creating-${process.pid}-live`);
    fs.mkdirSync(live);
    // WHEN the bay is loaded
    store.loadOrCreate('b1');
    // THEN the dead process's debris and lock are gone, the live one's dir is kept
    for (const d of debris) expect([d, fs.existsSync(d)]).toEqual([d, false]);
    expect(fs.existsSync(path.join(store.rootDir, '.b1.lock'))).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });

  test('two processes creating the same new bay at once end with one consistent store and both got its CA', async () => {
    // GIVEN an empty store and two processes loading bay 'race' at the same moment (compiled library)
    const root = path.join(freshDir(), 'pki');
    const lib = path.resolve(__dirname, '../../dist/lib/pki');
    const script = `const { PkiStore } = require(${JSON.stringify(lib)}); process.stdout.write(new PkiStore(${JSON.stringify(root)}).loadOrCreate('race').caCert);`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ['-e', script]);
        let out = '';
        let err = '';
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
      });
    // WHEN
    const [a, b] = await Promise.all([run(), run()]);
    // THEN both saw the same CA, which is the stored one and the recorded one
    const stored = fs.readFileSync(path.join(root, 'race', 'ca.crt'), 'utf8');
    expect(a).toBe(stored);
    expect(b).toBe(stored);
    expect(new PkiStore(root).record('race')!.fingerprints.ca).toBe(caFingerprint(stored));
    expect(fs.readdirSync(root).filter((n) => n.startsWith('.') && n !== '.gitignore')).toEqual([]);
  });
});
