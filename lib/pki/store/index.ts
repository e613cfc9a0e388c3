import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CertAndKey, generateCa, generateClientCert, validateCa } from '../certs';
import { discoveryHash } from '../discovery';
import { DEFAULT_KEY_SIZE, RsaKeySize, generateRsaKeyPair, publicKeyPemOf, rsaKeyBits } from '../keys';
import { BOOTSTRAP_TOKEN_PATTERN, generateBootstrapToken } from '../token';
import { DIR_MODE, FILE_MODE, ensureMode, readIfExists, writeFileAtomic } from './atomic';

/** Default root directory of the PKI store, relative to the working directory. */
export const DEFAULT_PKI_DIR = '.kubebay/pki';

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

  /** @param rootDir root directory of the store. @default '.kubebay/pki' */
  constructor(rootDir: string = DEFAULT_PKI_DIR) {
    this.rootDir = path.resolve(rootDir);
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
    if (!fs.existsSync(dir)) {
      // Build a new bay in a private temp dir and rename it into place, so a
      // crash leaves no half-made bay and a concurrent creator's bay wins intact.
      fs.mkdirSync(this.rootDir, { recursive: true, mode: DIR_MODE });
      const tmp = fs.mkdtempSync(path.join(this.rootDir, `.${bayName}.creating-`));
      try {
        fill(tmp, bayName, opts, clusterCa);
        fs.renameSync(tmp, dir);
      } catch (e) {
        fs.rmSync(tmp, { recursive: true, force: true });
        if (!['EEXIST', 'ENOTEMPTY'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      }
    }
    ensureMode(dir, DIR_MODE);
    return fill(dir, bayName, opts, clusterCa);
  }

  /**
   * Replace the bay's material: move its directory to
   * `<root>/<bay>.rotated-<timestamp>` (never deleted) and generate anew.
   */
  rotate(bayName: string, opts: PkiOptions = {}): BayPki {
    const dir = this.dir(bayName);
    if (opts.clusterCa) validateCa(opts.clusterCa, 'clusterCa'); // fail before moving anything
    const keySize = opts.keySize ?? storedKeySize(dir) ?? DEFAULT_KEY_SIZE;
    if (fs.existsSync(dir)) {
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
      let target = `${dir}.rotated-${stamp}`;
      for (let i = 1; fs.existsSync(target); i++) target = `${dir}.rotated-${stamp}-${i}`;
      fs.renameSync(dir, target);
      opts.onProgress?.(`moved previous PKI of bay ${bayName} to ${target}`);
    }
    return this.loadOrCreate(bayName, { ...opts, keySize });
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
