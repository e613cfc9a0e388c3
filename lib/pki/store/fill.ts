/**
 * Loading a bay's PKI directory, generating what is missing: the cheap path
 * when `verified.json` vouches for the files' bytes, else the full check
 * (every CA pair, the service-account pair, the admin certificate, the
 * token), which writes only what it generates and records its result.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileError, ValidationError } from '../../core/errors';
import { CertAndKey, generateCa, generateClientCert, validateCa } from '../certs';
import { discoveryHash } from '../discovery';
import { DEFAULT_KEY_SIZE, RsaKeySize, generateRsaKeyPair, publicKeyPemOf } from '../keys';
import { BOOTSTRAP_TOKEN_PATTERN, generateBootstrapToken } from '../token';
import { FILE_MODE, ensureMode, writeFileAtomic } from './atomic';
import { ADMIN_GROUP, ADMIN_USER, BayPki, CAS, PKI_FILES, PkiFileName, PkiOptions, material, readMeta, storedKeySize } from './material';
import { PkiFingerprints, fingerprintsOf } from './record';
import { VERIFIED_FILE, readMaterial, readVerified, writeVerified } from './verified';

/** A load in progress: the directory, its files' bytes (updated as files are written) and what to report. */
interface Load {
  readonly dir: string;
  readonly bay: string;
  readonly keySize: RsaKeySize;
  readonly opts: PkiOptions;
  readonly contents: Map<PkiFileName, string | undefined>;
  readonly warnings: string[];
}

/**
 * Load `dir`'s material (`read`: its files as already read by the caller), writing what is missing;
 * returns it. A directory unchanged since its last full check is not written to.
 */
export function fill(dir: string, bay: string, opts: PkiOptions, clusterCa: CertAndKey | undefined, read?: ReadonlyMap<PkiFileName, string | undefined>): BayPki {
  for (const name of [...PKI_FILES, 'meta.json', VERIFIED_FILE]) {
    if (fs.existsSync(path.join(dir, name))) ensureMode(path.join(dir, name), FILE_MODE);
  }
  const warnings: string[] = [];
  const keySize = keySizeOf(dir, bay, opts, warnings);
  // The files' bytes (as read by the caller, under the same lock), read once; the full check updates this map as it writes.
  const contents = new Map(read ?? readMaterial(dir));
  // Unchanged since the last full check (same bytes, nothing expired since): reuse its result.
  const verified = readVerified(dir, contents);
  if (verified && (!clusterCa || clusterCa.certPem === contents.get('ca.crt'))) {
    return material(dir, contents, verified.discoveryHash, keySize, warnings);
  }
  return fullCheck({ dir, bay, keySize, opts, contents, warnings }, clusterCa);
}

/** The stored key size (it wins over the requested one, with a warning); writes meta.json if it is missing. */
function keySizeOf(dir: string, bay: string, opts: PkiOptions, warnings: string[]): RsaKeySize {
  const hasMeta = readMeta(dir) !== undefined;
  const stored = storedKeySize(dir);
  const keySize = stored ?? opts.keySize ?? DEFAULT_KEY_SIZE;
  if (opts.keySize && stored && opts.keySize !== stored) {
    const msg = `bay ${bay} has RSA-${stored} material; keeping it (RSA-${opts.keySize} requested). Run \`kubebay pki rotate ${bay}\` to regenerate it.`;
    warnings.push(msg);
    opts.onProgress?.(`warning: ${msg}`);
  }
  if (!hasMeta) writeFileAtomic(path.join(dir, 'meta.json'), `${JSON.stringify({ keySize, createdAt: new Date().toISOString() }, null, 2)}\n`);
  return keySize;
}

function write(l: Load, name: PkiFileName, text: string): void {
  writeFileAtomic(path.join(l.dir, name), text);
  l.contents.set(name, text);
}

function progress(l: Load, what: string): void {
  l.opts.onProgress?.(`generating ${what} for bay ${l.bay}`);
}

/** Checks every file, generates what is missing or unusable, and records the result in verified.json. */
function fullCheck(l: Load, clusterCa: CertAndKey | undefined): BayPki {
  const ca = loadOrCreateCas(l, clusterCa);
  saPair(l);
  const adminCert = adminPair(l, ca);
  bootstrapToken(l);
  // Everything checked: remember it for the next load, by the bytes of the files.
  const hash = discoveryHash(ca.certPem);
  const certs = [...CAS.map((c) => l.contents.get(`${c.base}.crt`)!), adminCert];
  const notAfter = new Date(Math.min(...certs.map((pem) => Date.parse(new X509Certificate(pem).validTo)))).toISOString();
  writeVerified(l.dir, l.contents, { discoveryHash: hash, notAfter, fingerprints: fingerprintsOf(l.contents) as PkiFingerprints });
  return material(l.dir, l.contents, hash, l.keySize, l.warnings);
}

/** CAs: loaded, or created if both files are absent; never replaced. Returns the cluster CA. */
function loadOrCreateCas(l: Load, clusterCa: CertAndKey | undefined): CertAndKey {
  let cluster: CertAndKey | undefined;
  for (const { base, commonName, label } of CAS) {
    const supplied = base === 'ca' ? clusterCa : undefined;
    let pair = loadCaPair(l.dir, l.bay, base, l.contents);
    if (pair && supplied && !new X509Certificate(pair.certPem).raw.equals(new X509Certificate(supplied.certPem).raw)) {
      throw new ValidationError(
        `clusterCa differs from the stored cluster CA of bay ${l.bay} (${path.join(l.dir, 'ca.crt')}). ` +
          `Drop clusterCa to keep the stored CA, or run \`kubebay pki rotate ${l.bay}\` with it to replace the stored CA.`,
      );
    }
    if (!pair) {
      if (supplied) l.opts.onProgress?.(`storing the supplied cluster CA for bay ${l.bay}`);
      else progress(l, `RSA-${l.keySize} ${label}`);
      pair = supplied ?? generateCa({ commonName, keySize: l.keySize });
      write(l, `${base}.key`, pair.keyPem);
      write(l, `${base}.crt`, pair.certPem);
    }
    if (base === 'ca') cluster = pair;
  }
  return cluster!;
}

/** Service-account key pair: sa.pub is derivable, sa.key is not. */
function saPair(l: Load): void {
  let saKey = l.contents.get('sa.key');
  const saPub = l.contents.get('sa.pub');
  if (!saKey && saPub) throw halfPresent(l.dir, l.bay, 'sa.pub', 'sa.key');
  if (!saKey) {
    progress(l, `RSA-${l.keySize} service-account key pair`);
    saKey = generateRsaKeyPair(l.keySize).privateKeyPem;
    write(l, 'sa.key', saKey);
  }
  if (!saPub || !samePublicKey(saPub, saKey)) {
    if (saPub) l.warnings.push(`${path.join(l.dir, 'sa.pub')} did not match sa.key; rewrote it from sa.key`);
    write(l, 'sa.pub', publicKeyPemOf(saKey));
  }
}

/** Admin client certificate: regenerated if missing, mismatched or expired. Returns the certificate. */
function adminPair(l: Load, ca: CertAndKey): string {
  const [cert, key] = [l.contents.get('admin.crt'), l.contents.get('admin.key')];
  const problem = adminProblem(cert, key, ca.certPem);
  if (!problem) return cert!;
  if (cert || key) l.warnings.push(`admin certificate of bay ${l.bay} ${problem}; regenerated it`);
  progress(l, `RSA-${l.keySize} admin client certificate`);
  const admin = generateClientCert({ commonName: ADMIN_USER, organizations: [ADMIN_GROUP], ca, keySize: l.keySize });
  write(l, 'admin.key', admin.keyPem);
  write(l, 'admin.crt', admin.certPem);
  return admin.certPem;
}

function bootstrapToken(l: Load): void {
  const token = l.contents.get('bootstrap-token')?.trim();
  if (token && BOOTSTRAP_TOKEN_PATTERN.test(token)) return;
  progress(l, 'bootstrap token');
  write(l, 'bootstrap-token', `${generateBootstrapToken()}\n`);
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
    throw new FileError(`${(e as Error).message}. Restore the pair from a backup, or run \`kubebay pki rotate ${bay}\` to generate new material.`);
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

