import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CertAndKey, generateCa, generateClientCert, validateCa } from '../certs';
import { discoveryHash } from '../discovery';
import { DEFAULT_KEY_SIZE, RsaKeySize, generateRsaKeyPair, publicKeyPemOf, rsaKeyBits } from '../keys';
import { BOOTSTRAP_TOKEN_PATTERN, generateBootstrapToken } from '../token';
import { isProcessAlive } from '../../core/process';
import { DIR_MODE, FILE_MODE, assertOwned, ensureMode, readIfExists, secureMkdirs, writeFileAtomic } from './atomic';
import { withLock } from './lock';
import { BayRecord, differingFingerprints, fingerprintsOf, readRecord, RECORDED_FILES, writeRecord } from './record';
import { holdForSession, noteCreated } from './session';

export { caFingerprint, publicKeyFingerprint, type BayRecord, type PkiFingerprints } from './record';
export { pkiSession } from './session';

/** Default root directory of the PKI store, relative to the working directory. */
export const DEFAULT_PKI_DIR = '.kubebay/pki';

/** Options of a {@link PkiStore}. */
export interface PkiStoreOptions {
  /**
   * Directory of the bays' records (`<recordDir>/<bay>.json`, committed,
   * no secrets).
   * @default - `bays` beside the store root when the root is named `pki`
   * (`.kubebay/pki` → `.kubebay/bays`), else `<root>.bays`
   */
  readonly recordDir?: string;
}

/** Files a bay with a record can not do without: its identity (CAs, service-account key). The others are re-derived. */
const REQUIRED_WITH_RECORD = ['ca.crt', 'ca.key', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd-ca.crt', 'etcd-ca.key', 'sa.key'];

/** Names of the material files in a bay's PKI directory. */
export const PKI_FILES = [
  'ca.crt', 'ca.key',
  'front-proxy-ca.crt', 'front-proxy-ca.key',
  'etcd-ca.crt', 'etcd-ca.key',
  'sa.key', 'sa.pub',
  'admin.crt', 'admin.key',
  'bootstrap-token',
] as const;

/** Name of a material file of a bay's PKI directory. */
export type PkiFileName = (typeof PKI_FILES)[number];

/** The material files that are secret (private keys and the bootstrap token). */
export const SECRET_FILES: readonly PkiFileName[] = [
  'ca.key', 'front-proxy-ca.key', 'etcd-ca.key', 'sa.key', 'admin.key', 'bootstrap-token',
];

/** Common name of the admin client certificate. */
export const ADMIN_USER = 'kubernetes-admin';
/** Organization (group) of the admin client certificate; kubeadm 1.29+ binds it to cluster-admin. */
export const ADMIN_GROUP = 'kubeadm:cluster-admins';

/** Options of {@link PkiStore.loadOrCreate} and {@link PkiStore.rotate}. */
export interface PkiOptions {
  /**
   * RSA key size of generated material. Stored material of another size is
   * kept (with a warning); `rotate` regenerates it.
   * @default 2048 (`rotate`: the key size of the material it replaces)
   */
  readonly keySize?: RsaKeySize;
  /**
   * Use this cluster CA (PEM certificate and its RSA key, PKCS#1 or PKCS#8)
   * instead of generating one. A copy is stored with the bay's material.
   * @default - a generated CA (CN=kubernetes)
   */
  readonly clusterCa?: { readonly certPem: string; readonly keyPem: string };
  /** Called with a line per generation step. @default - silent */
  readonly onProgress?: (msg: string) => void;
}

/** PKI material of a bay (PEM strings). */
export interface BayPki {
  readonly caCert: string;
  readonly caKey: string;
  readonly frontProxyCaCert: string;
  readonly frontProxyCaKey: string;
  readonly etcdCaCert: string;
  readonly etcdCaKey: string;
  /** Service-account signing key (PKCS#1 PEM). */
  readonly saKey: string;
  /** Service-account public key (SubjectPublicKeyInfo PEM). */
  readonly saPub: string;
  /** Admin client certificate (CN=kubernetes-admin, O=kubeadm:cluster-admins). */
  readonly adminCert: string;
  readonly adminKey: string;
  /** kubeadm bootstrap token `[a-z0-9]{6}.[a-z0-9]{16}`. */
  readonly bootstrapToken: string;
  /** `sha256:<hex>` of the cluster CA's public key (kubeadm `--discovery-token-ca-cert-hash`). */
  readonly discoveryHash: string;
  /** RSA key size of the stored material. */
  readonly keySize: RsaKeySize;
  /** Absolute path of every material file, by name (e.g. 'ca.key'). */
  readonly files: Record<string, string>;
  /** Notes on kept or regenerated material (e.g. a key size differing from the requested one). */
  readonly warnings: string[];
}

const CAS = [
  { base: 'ca', commonName: 'kubernetes', label: 'cluster CA' },
  { base: 'front-proxy-ca', commonName: 'front-proxy-ca', label: 'front-proxy CA' },
  { base: 'etcd-ca', commonName: 'etcd-ca', label: 'etcd CA' },
] as const;

const BAY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

interface Meta {
  readonly keySize: RsaKeySize;
  readonly createdAt: string;
}

/**
 * Persistent store of bays' PKI material, a directory per bay under `rootDir`
 * (mode 0700, files 0600). Material is generated once and reused byte for
 * byte; CAs are only ever replaced by {@link PkiStore.rotate}, which keeps the
 * old directory.
 */
export class PkiStore {
  /** Absolute root directory. */
  readonly rootDir: string;

  /** Absolute directory of the bay records. */
  readonly recordDir: string;

  /** @param rootDir root directory of the store. @default '.kubebay/pki' */
  constructor(rootDir: string = DEFAULT_PKI_DIR, options: PkiStoreOptions = {}) {
    this.rootDir = path.resolve(rootDir);
    this.recordDir = path.resolve(
      options.recordDir ?? (path.basename(this.rootDir) === 'pki' ? path.join(path.dirname(this.rootDir), 'bays') : `${this.rootDir}.bays`),
    );
  }

  /** Path of the bay's record (`<recordDir>/<bay>.json`). */
  recordFile(bayName: string): string {
    this.dir(bayName);
    return path.join(this.recordDir, `${bayName}.json`);
  }

  /** The bay's record, if it has one. */
  record(bayName: string): BayRecord | undefined {
    return readRecord(this.recordFile(bayName));
  }

  /**
   * Runs `fn` holding the bay's store lock (`<root>/.<bay>.lock`), after
   * securing the root (0700, owned by this user, no symbolic link) and
   * cleaning the debris of killed runs. Re-entrant.
   */
  withLock<T>(bayName: string, fn: () => T): T {
    const dir = this.dir(bayName);
    this.prepareRoot();
    const lock = path.join(this.rootDir, `.${bayName}.lock`);
    return withLock(lock, `the PKI store of bay ${bayName}`, () => {
      holdForSession(lock, `the PKI store of bay ${bayName}`);
      cleanStoreDebris(this.rootDir, bayName, dir);
      return fn();
    });
  }

  /** Creates and checks the root: 0700 on every directory it creates, owned by this user, never through a link; a `.gitignore` of `*`. */
  private prepareRoot(): void {
    secureMkdirs(this.rootDir);
    const ignore = path.join(this.rootDir, '.gitignore');
    if (readIfExists(ignore) === undefined) writeFileAtomic(ignore, '# kubebay PKI store: private keys, never commit (share with `kubebay pki export`)\n*\n');
  }

  /** Absolute directory of a bay's material (`<root>/<bay>`). */
  dir(bayName: string): string {
    if (!BAY_NAME.test(bayName)) {
      throw new Error(`invalid bay name '${bayName}': use letters, digits, '-' and '_', starting with a letter or digit`);
    }
    return path.join(this.rootDir, bayName);
  }

  /** Whether the bay has a PKI directory. */
  exists(bayName: string): boolean {
    return fs.existsSync(this.dir(bayName));
  }

  /**
   * Load the bay's material, generating what is missing: everything on first
   * use; later only derivable files (sa.pub, admin certificate, bootstrap
   * token) that are missing or invalid. Never replaces an existing CA; throws
   * if a CA or the service-account key is half present or inconsistent.
   */
  loadOrCreate(bayName: string, opts: PkiOptions = {}): BayPki {
    const dir = this.dir(bayName);
    const clusterCa = opts.clusterCa && validateCa(opts.clusterCa, 'clusterCa');
    return this.withLock(bayName, () => {
      const recordFile = this.recordFile(bayName);
      const record = readRecord(recordFile);
      if (record) this.assertMatchesRecord(bayName, record);
      if (!fs.existsSync(dir)) {
        // Build a new bay in a private temp dir and rename it into place, so a
        // crash leaves no half-made bay.
        const tmp = fs.mkdtempSync(path.join(this.rootDir, `.${bayName}.creating-${process.pid}-`));
        try {
          fill(tmp, bayName, opts, clusterCa);
          fs.renameSync(tmp, dir);
        } finally {
          fs.rmSync(tmp, { recursive: true, force: true });
        }
        noteCreated(dir, recordFile);
      }
      ensureMode(dir, DIR_MODE);
      const pki = fill(dir, bayName, opts, clusterCa);
      if (!record) writeRecord(recordFile, recordOf(bayName, pki, readMeta(dir)?.createdAt));
      return pki;
    });
  }

  /**
   * Throws unless the bay's store holds the material its record names:
   * every required file present, the same CAs and service-account key.
   * Nothing is generated or written before this check.
   */
  private assertMatchesRecord(bay: string, record: BayRecord): void {
    const dir = this.dir(bay);
    const recordFile = this.recordFile(bay);
    const restore =
      `Restore the store: \`kubebay pki import --config <bay config> --in <file>\` with a file a teammate made with \`kubebay pki export\` ` +
      `(or copy ${dir} from a backup). kubebay never generates a new CA for a bay that has a record; ` +
      `if bay ${bay} no longer exists anywhere, delete ${recordFile} to start over; to move it to new material on purpose, run \`kubebay pki rotate ${bay}\`.`;
    const missing = REQUIRED_WITH_RECORD.filter((f) => readIfExists(path.join(dir, f)) === undefined);
    if (missing.length) {
      const what = fs.existsSync(dir) ? `is missing: ${missing.join(', ')}` : `does not exist (missing: ${missing.join(', ')})`;
      throw new Error(`bay ${bay} has a record (${recordFile}, created ${record.createdAt}) but its PKI store ${dir} ${what}. ${restore}`);
    }
    const contents = new Map(Object.values(RECORDED_FILES).map((f) => [f, readIfExists(path.join(dir, f))]));
    const differ = differingFingerprints(record, fingerprintsOf(contents));
    if (differ.length) {
      throw new Error(
        `the PKI store ${dir} holds other material than bay ${bay}'s record (${recordFile}): ${differ.map((k) => RECORDED_FILES[k]).join(', ')} differ. ` +
          `Deploying it would replace every server. ${restore}`,
      );
    }
  }

  /**
   * Replace the bay's material: move its directory to
   * `<root>/<bay>.rotated-<timestamp>` (never deleted) and generate anew.
   */
  rotate(bayName: string, opts: PkiOptions = {}): BayPki {
    const dir = this.dir(bayName);
    if (opts.clusterCa) validateCa(opts.clusterCa, 'clusterCa'); // fail before moving anything
    return this.withLock(bayName, () => {
      const keySize = opts.keySize ?? storedKeySize(dir) ?? DEFAULT_KEY_SIZE;
      const recordFile = this.recordFile(bayName);
      const previous = readRecord(recordFile);
      if (fs.existsSync(dir)) {
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
        let target = `${dir}.rotated-${stamp}`;
        for (let i = 1; fs.existsSync(target); i++) target = `${dir}.rotated-${stamp}-${i}`;
        fs.renameSync(dir, target);
        opts.onProgress?.(`moved previous PKI of bay ${bayName} to ${target}`);
      }
      // The record names the old material: it goes, and the new one is recorded.
      fs.rmSync(recordFile, { force: true });
      const pki = this.loadOrCreate(bayName, { ...opts, keySize });
      const now = new Date().toISOString();
      writeRecord(recordFile, { ...recordOf(bayName, pki, previous?.createdAt ?? now), rotatedAt: now });
      return pki;
    });
  }

  /** Every material file of the bay's store (name → text), for `kubebay pki export`; under the lock, after the record check. */
  exportFiles(bayName: string): Record<string, string> {
    return this.withLock(bayName, () => {
      const record = this.record(bayName);
      if (record) this.assertMatchesRecord(bayName, record);
      const dir = this.dir(bayName);
      if (!fs.existsSync(dir)) throw new Error(`bay ${bayName} has no PKI store in ${this.rootDir}; \`kubebay synth\` creates it`);
      const out: Record<string, string> = {};
      for (const name of [...PKI_FILES, 'meta.json']) {
        const text = readIfExists(path.join(dir, name));
        if (text !== undefined) out[name] = text;
      }
      return out;
    });
  }

  /**
   * Installs exported material as the bay's store (atomically, under the
   * lock) and checks it like a synth would; refuses to replace an existing
   * store that holds other CAs, and material that differs from the bay's
   * record. Returns the loaded material.
   */
  importFiles(bayName: string, files: Readonly<Record<string, string>>): BayPki {
    const dir = this.dir(bayName);
    return this.withLock(bayName, () => {
      const incoming = new Map(Object.entries(files));
      const record = this.record(bayName);
      if (record) {
        const differ = differingFingerprints(record, fingerprintsOf(incoming));
        if (differ.length) throw new Error(`the imported material is not bay ${bayName}'s (its record ${this.recordFile(bayName)} names other ${differ.map((k) => RECORDED_FILES[k]).join(', ')}); import the export of this bay`);
      }
      if (fs.existsSync(dir)) {
        const here = new Map(Object.values(RECORDED_FILES).map((f) => [f, readIfExists(path.join(dir, f))]));
        const mine = fingerprintsOf(here);
        const theirs = fingerprintsOf(incoming);
        if (mine.ca && mine.ca !== theirs.ca) {
          throw new Error(`bay ${bayName} already has a PKI store with another cluster CA (${dir}); move it away first if you mean to replace it`);
        }
      }
      const tmp = fs.mkdtempSync(path.join(this.rootDir, `.${bayName}.creating-${process.pid}-`));
      try {
        for (const [name, text] of incoming) {
          if (![...PKI_FILES, 'meta.json'].includes(name)) throw new Error(`the import holds an unknown file '${name}'; it is not a kubebay PKI export`);
          writeFileAtomic(path.join(tmp, name), text);
        }
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(tmp, dir);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      return this.loadOrCreate(bayName);
    });
  }
}

/** A record of the bay's current material. */
function recordOf(bay: string, pki: BayPki, createdAt = new Date().toISOString()): BayRecord {
  const contents = new Map<string, string>([['ca.crt', pki.caCert], ['front-proxy-ca.crt', pki.frontProxyCaCert], ['etcd-ca.crt', pki.etcdCaCert], ['sa.key', pki.saKey]]);
  const f = fingerprintsOf(contents);
  return { bay, createdAt, keySize: pki.keySize, fingerprints: { ca: f.ca!, frontProxyCa: f.frontProxyCa!, etcdCa: f.etcdCa!, saPub: f.saPub! } };
}

/**
 * Removes what killed runs left in the store: `.<bay>.creating-<pid>-*`
 * dirs and `.<file>.<pid>.<hex>.tmp` files of processes that are gone.
 */
function cleanStoreDebris(root: string, bay: string, dir: string): void {
  const dead = (pid: string) => !isProcessAlive(Number(pid));
  for (const n of fs.readdirSync(root)) {
    const m = new RegExp(`^\\.${bay}\\.creating-(\\d+)-`).exec(n) ?? /^\..*\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/.exec(n);
    if (m && dead(m[1])) fs.rmSync(path.join(root, n), { recursive: true, force: true });
  }
  if (!fs.existsSync(dir)) return;
  assertOwned(dir, 'directory');
  for (const n of fs.readdirSync(dir)) {
    const m = /^\..*\.(\d+)\.[0-9a-f]+\.tmp$/.exec(n);
    if (m && dead(m[1])) fs.rmSync(path.join(dir, n), { force: true });
  }
}

/** Load `dir`'s material, writing what is missing; returns it. */
function fill(dir: string, bay: string, opts: PkiOptions, clusterCa: CertAndKey | undefined): BayPki {
  const warnings: string[] = [];
  const file = (name: string) => path.join(dir, name);
  const progress = (what: string) => opts.onProgress?.(`generating ${what} for bay ${bay}`);
  for (const name of [...PKI_FILES, 'meta.json', VERIFIED_FILE]) if (fs.existsSync(file(name))) ensureMode(file(name), FILE_MODE);

  // Key size: the stored one wins over the requested one.
  const hasMeta = readMeta(dir) !== undefined;
  const stored = storedKeySize(dir);
  const keySize = stored ?? opts.keySize ?? DEFAULT_KEY_SIZE;
  if (opts.keySize && stored && opts.keySize !== stored) {
    const msg = `bay ${bay} has RSA-${stored} material; keeping it (RSA-${opts.keySize} requested). Run \`kubebay pki rotate ${bay}\` to regenerate it.`;
    warnings.push(msg);
    opts.onProgress?.(`warning: ${msg}`);
  }
  if (!hasMeta) writeFileAtomic(file('meta.json'), `${JSON.stringify({ keySize, createdAt: new Date().toISOString() }, null, 2)}\n`);

  // Unchanged since the last full check (same bytes, nothing expired since): reuse its result.
  // The files' bytes, read once; the full check below reads and updates this map as it writes.
  const contents = new Map(PKI_FILES.map((n) => [n, readIfExists(file(n))]));
  const write = (name: PkiFileName, text: string) => {
    writeFileAtomic(file(name), text);
    contents.set(name, text);
  };
  const digest = digestOf(contents);
  const verified = readVerified(dir, digest);
  if (verified && (!clusterCa || clusterCa.certPem === contents.get('ca.crt'))) {
    return material(dir, contents, verified.discoveryHash, keySize, warnings);
  }

  // CAs: loaded, or created if both files are absent; never replaced.
  const cas: Record<string, CertAndKey> = {};
  for (const { base, commonName, label } of CAS) {
    const supplied = base === 'ca' ? clusterCa : undefined;
    let pair = loadCaPair(dir, bay, base, contents);
    if (pair && supplied && !new X509Certificate(pair.certPem).raw.equals(new X509Certificate(supplied.certPem).raw)) {
      throw new Error(
        `clusterCa differs from the stored cluster CA of bay ${bay} (${file('ca.crt')}). ` +
          `Drop clusterCa to keep the stored CA, or run \`kubebay pki rotate ${bay}\` with it to replace the stored CA.`,
      );
    }
    if (!pair) {
      if (supplied) opts.onProgress?.(`storing the supplied cluster CA for bay ${bay}`);
      else progress(`RSA-${keySize} ${label}`);
      pair = supplied ?? generateCa({ commonName, keySize });
      write(`${base}.key`, pair.keyPem);
      write(`${base}.crt`, pair.certPem);
    }
    cas[base] = pair;
  }

  // Service-account key pair: sa.pub is derivable, sa.key is not.
  let saKey = contents.get('sa.key');
  let saPub = contents.get('sa.pub');
  if (!saKey && saPub) throw halfPresent(dir, bay, 'sa.pub', 'sa.key');
  if (!saKey) {
    progress(`RSA-${keySize} service-account key pair`);
    const pair = generateRsaKeyPair(keySize);
    saKey = pair.privateKeyPem;
    write('sa.key', saKey);
  }
  if (!saPub || !samePublicKey(saPub, saKey)) {
    if (saPub) warnings.push(`${file('sa.pub')} did not match sa.key; rewrote it from sa.key`);
    saPub = publicKeyPemOf(saKey);
    write('sa.pub', saPub);
  }

  // Admin client certificate: regenerated if missing, mismatched or expired.
  let adminCert = contents.get('admin.crt');
  let adminKey = contents.get('admin.key');
  const problem = adminProblem(adminCert, adminKey, cas.ca.certPem);
  if (problem) {
    if (adminCert || adminKey) warnings.push(`admin certificate of bay ${bay} ${problem}; regenerated it`);
    progress(`RSA-${keySize} admin client certificate`);
    const admin = generateClientCert({ commonName: ADMIN_USER, organizations: [ADMIN_GROUP], ca: cas.ca, keySize });
    [adminCert, adminKey] = [admin.certPem, admin.keyPem];
    write('admin.key', adminKey);
    write('admin.crt', adminCert);
  }

  let bootstrapToken = contents.get('bootstrap-token')?.trim();
  if (!bootstrapToken || !BOOTSTRAP_TOKEN_PATTERN.test(bootstrapToken)) {
    progress('bootstrap token');
    bootstrapToken = generateBootstrapToken();
    write('bootstrap-token', `${bootstrapToken}\n`);
  }

  // Everything checked: remember it for the next load, by the bytes of the files.
  const hash = discoveryHash(cas.ca.certPem);
  const notAfter = Math.min(...[...CAS.map((c) => cas[c.base].certPem), adminCert!].map((pem) => Date.parse(new X509Certificate(pem).validTo)));
  writeFileAtomic(file(VERIFIED_FILE), `${JSON.stringify({ digest: digestOf(contents), discoveryHash: hash, notAfter: new Date(notAfter).toISOString() }, null, 2)}\n`);
  return material(dir, contents, hash, keySize, warnings);
}

/**
 * The result of the last full check of a bay's directory: the SHA-256 of its
 * material files (names and bytes), the discovery hash, and when the first of
 * its certificates expires. Not secret; a cache only — deleting it costs one
 * full check (key parsing dominates loading a warm store).
 */
const VERIFIED_FILE = 'verified.json';

interface Verified {
  readonly digest: string;
  readonly discoveryHash: string;
  readonly notAfter: string;
}

function digestOf(contents: ReadonlyMap<string, string | undefined>): string {
  const h = createHash('sha256');
  for (const [name, text] of contents) h.update(`${name}\0${text === undefined ? '-' : `${Buffer.byteLength(text)}\0${text}`}\0`);
  return h.digest('hex');
}

/** The cached check of `dir` if it is for `digest` and nothing has expired since; else undefined. */
function readVerified(dir: string, digest: string): Verified | undefined {
  try {
    const v = JSON.parse(readIfExists(path.join(dir, VERIFIED_FILE)) ?? 'null') as Partial<Verified> | null;
    if (!v || v.digest !== digest || typeof v.discoveryHash !== 'string' || typeof v.notAfter !== 'string') return undefined;
    return Date.now() < Date.parse(v.notAfter) ? (v as Verified) : undefined;
  } catch {
    return undefined;
  }
}

function material(dir: string, c: ReadonlyMap<PkiFileName, string | undefined>, hash: string, keySize: RsaKeySize, warnings: string[]): BayPki {
  const text = (name: PkiFileName) => c.get(name)!;
  return {
    caCert: text('ca.crt'),
    caKey: text('ca.key'),
    frontProxyCaCert: text('front-proxy-ca.crt'),
    frontProxyCaKey: text('front-proxy-ca.key'),
    etcdCaCert: text('etcd-ca.crt'),
    etcdCaKey: text('etcd-ca.key'),
    saKey: text('sa.key'),
    saPub: text('sa.pub'),
    adminCert: text('admin.crt'),
    adminKey: text('admin.key'),
    bootstrapToken: text('bootstrap-token').trim(),
    discoveryHash: hash,
    keySize,
    files: Object.fromEntries(PKI_FILES.map((n) => [n, path.join(dir, n)])),
    warnings,
  };
}

/** The stored CA pair `<base>.crt`/`<base>.key` as read (byte for byte), or undefined if both are absent. */
function loadCaPair(dir: string, bay: string, base: string, contents: ReadonlyMap<string, string | undefined>): CertAndKey | undefined {
  const certPem = contents.get(`${base}.crt`);
  const keyPem = contents.get(`${base}.key`);
  if (!certPem && !keyPem) return undefined;
  if (!keyPem) throw halfPresent(dir, bay, `${base}.crt`, `${base}.key`);
  if (!certPem) throw halfPresent(dir, bay, `${base}.key`, `${base}.crt`);
  try {
    validateCa({ certPem, keyPem }, path.join(dir, `${base}.crt`), undefined, { cert: path.join(dir, `${base}.crt`), key: path.join(dir, `${base}.key`) });
  } catch (e) {
    throw new Error(`${(e as Error).message}. Restore the pair from a backup, or run \`kubebay pki rotate ${bay}\` to generate new material.`);
  }
  return { certPem, keyPem };
}

function halfPresent(dir: string, bay: string, present: string, missing: string): Error {
  return new Error(
    `PKI of bay ${bay}: ${path.join(dir, present)} exists but ${path.join(dir, missing)} is missing. ` +
      `Restore ${missing} from a backup, or run \`kubebay pki rotate ${bay}\` to generate new material ` +
      `(the old directory is kept; the bay's nodes then need the new material).`,
  );
}

/** Why the stored admin certificate can not be used, or undefined if it can. */
function adminProblem(certPem: string | undefined, keyPem: string | undefined, caCertPem: string): string | undefined {
  if (!certPem || !keyPem) return 'is missing';
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caCertPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'is not signed by ca.crt';
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return 'does not match admin.key';
    if (new Date(cert.validTo) <= new Date()) return `expired on ${cert.validTo}`;
    return undefined;
  } catch (e) {
    return `is unreadable (${(e as Error).message})`;
  }
}

function samePublicKey(pubPem: string, privPem: string): boolean {
  try {
    const der = (k: ReturnType<typeof createPublicKey>) => k.export({ type: 'spki', format: 'der' });
    return der(createPublicKey(pubPem)).equals(der(createPublicKey(privPem)));
  } catch {
    return false;
  }
}

function readMeta(dir: string): Meta | undefined {
  try {
    const meta = JSON.parse(readIfExists(path.join(dir, 'meta.json')) ?? 'null') as Partial<Meta> | null;
    return meta && (meta.keySize === 2048 || meta.keySize === 4096) ? (meta as Meta) : undefined;
  } catch {
    return undefined;
  }
}

/** Key size of existing material: meta.json, else the size of a generated CA key. */
function storedKeySize(dir: string): RsaKeySize | undefined {
  const meta = readMeta(dir);
  if (meta) return meta.keySize;
  for (const name of ['front-proxy-ca.key', 'etcd-ca.key']) {
    const pem = readIfExists(path.join(dir, name));
    const bits = pem ? rsaKeyBits(pem) : undefined;
    if (bits === 2048 || bits === 4096) return bits;
  }
  return undefined;
}
