import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateCa } from '../certs';
import { BOOTSTRAP_TOKEN_PATTERN } from '../token';
import { DEFAULT_KEY_SIZE } from '../keys';
import { isProcessAlive } from '../../core/process';
import { BayValidationError, FileError, ValidationError } from '../../core/errors';
import { DIR_MODE, assertOwned, ensureMode, readIfExists, secureMkdirs, writeFileAtomic } from './atomic';
import { fill } from './fill';
import { withLock } from './lock';
import { BayPki, PKI_FILES, PkiFileName, PkiOptions, readMeta, storedKeySize } from './material';
import { apiAddressIssue, BayRecord, differingFingerprints, fingerprintsOf, readRecord, RECORDED_FILES, recordedFlannelCheck, writeRecord } from './record';
import { holdForSession, noteCreated } from './session';
import { readMaterial, readVerified } from './verified';

export { apiAddressIssue, caFingerprint, publicKeyFingerprint, recordedFixedApiVip, recordedFlannelCheck, type BayRecord, type PkiFingerprints } from './record';
export { pkiSession } from './session';
export { ADMIN_GROUP, ADMIN_USER, PKI_FILES, SECRET_FILES, type BayPki, type PkiFileName, type PkiOptions } from './material';

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
const REQUIRED_WITH_RECORD: readonly PkiFileName[] = ['ca.crt', 'ca.key', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd-ca.crt', 'etcd-ca.key', 'sa.key'];

const BAY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

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
   * Replaces the bay's bootstrap token (`kubebay token create`, after the
   * cluster accepted it): the next synth puts it in the user data of the
   * nodes created from then on. Atomic, under the lock.
   */
  replaceBootstrapToken(bayName: string, token: string): void {
    if (!BOOTSTRAP_TOKEN_PATTERN.test(token)) throw new ValidationError(`not a bootstrap token (expected [a-z0-9]{6}.[a-z0-9]{16})`);
    if (!this.exists(bayName)) throw new FileError(`bay ${bayName} has no PKI store in ${this.rootDir}; synthesize it first`);
    this.withLock(bayName, () => writeFileAtomic(path.join(this.dir(bayName), 'bootstrap-token'), `${token}\n`));
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
      throw new ValidationError(`invalid bay name '${bayName}': use letters, digits, '-' and '_', starting with a letter or digit`);
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
      const apiIssue = record && opts.fixedApiVip !== undefined ? apiAddressIssue(record, recordFile, dir, opts.fixedApiVip) : undefined;
      if (apiIssue) throw new BayValidationError([apiIssue]);
      // The files' bytes, read once for the record check and the load (under the lock, they can not change meanwhile).
      const existing = fs.existsSync(dir) ? readMaterial(dir) : undefined;
      if (record) this.assertMatchesRecord(bayName, record, existing ?? readMaterial(dir));
      if (!existing) {
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
      const pki = fill(dir, bayName, opts, clusterCa, existing);
      // Only material generated here is a new bay (its first master checks flannel's manifest); a store found or imported without a record is not.
      if (!record) writeRecord(recordFile, recordOf(bayName, pki, readMeta(dir)?.createdAt, { fixedApiVip: opts.fixedApiVip, flannelChecked: !existing }));
      return pki;
    });
  }

  /**
   * Throws unless the bay's store holds the material its record names:
   * every required file present, the same CAs and service-account key.
   * Nothing is generated or written before this check.
   */
  private assertMatchesRecord(bay: string, record: BayRecord, contents: ReadonlyMap<PkiFileName, string | undefined>): void {
    const dir = this.dir(bay);
    const recordFile = this.recordFile(bay);
    const restore =
      `Restore the store: \`kubebay pki import --config <bay config> --in <file>\` with a file a teammate made with \`kubebay pki export\` ` +
      `(or copy ${dir} from a backup). kubebay never generates a new CA for a bay that has a record; ` +
      `if bay ${bay} no longer exists anywhere, delete ${recordFile} to start over; to move it to new material on purpose, run \`kubebay pki rotate ${bay}\`.`;
    const missing = REQUIRED_WITH_RECORD.filter((f) => contents.get(f) === undefined);
    if (missing.length) {
      const what = fs.existsSync(dir) ? `is missing: ${missing.join(', ')}` : `does not exist (missing: ${missing.join(', ')})`;
      throw new FileError(`bay ${bay} has a record (${recordFile}, created ${record.createdAt}) but its PKI store ${dir} ${what}. ${restore}`);
    }
    // The fingerprints of the last full check of these very bytes, if it is cached (parsing the certificates and sa.key costs more than the rest of a warm load).
    const differ = differingFingerprints(record, readVerified(dir, contents)?.fingerprints ?? fingerprintsOf(contents));
    if (differ.length) {
      throw new FileError(
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
      const existed = fs.existsSync(dir);
      if (existed) {
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
        let target = `${dir}.rotated-${stamp}`;
        for (let i = 1; fs.existsSync(target); i++) target = `${dir}.rotated-${stamp}-${i}`;
        fs.renameSync(dir, target);
        opts.onProgress?.(`moved previous PKI of bay ${bayName} to ${target}`);
      }
      // The record names the old material: it goes, and the new one is recorded.
      fs.rmSync(recordFile, { force: true });
      const pki = this.loadOrCreate(bayName, { ...opts, keySize, fixedApiVip: undefined });
      const now = new Date().toISOString();
      // How the API is addressed and whether flannel's manifest is checked are facts of the deployed bay, not of its material: kept.
      const fixedApiVip = previous ? previous.apiAddress === 'fixed' : opts.fixedApiVip;
      const flannelChecked = previous ? recordedFlannelCheck(previous) : !existed;
      writeRecord(recordFile, { ...recordOf(bayName, pki, previous?.createdAt ?? now, { fixedApiVip, flannelChecked }), rotatedAt: now });
      return pki;
    });
  }

  /** Every material file of the bay's store (name → text), for `kubebay pki export`; under the lock, after the record check. */
  exportFiles(bayName: string): Record<string, string> {
    return this.withLock(bayName, () => {
      const record = this.record(bayName);
      if (record) this.assertMatchesRecord(bayName, record, readMaterial(this.dir(bayName)));
      const dir = this.dir(bayName);
      if (!fs.existsSync(dir)) throw new FileError(`bay ${bayName} has no PKI store in ${this.rootDir}; \`kubebay synth\` creates it`);
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
   * record. Returns the loaded material. `opts.fixedApiVip`: recorded when
   * the bay has no record yet (an existing record is kept as it is).
   */
  importFiles(bayName: string, files: Readonly<Record<string, string>>, opts: Pick<PkiOptions, 'fixedApiVip'> = {}): BayPki {
    const dir = this.dir(bayName);
    return this.withLock(bayName, () => {
      const incoming = new Map(Object.entries(files));
      const record = this.record(bayName);
      if (record) {
        const differ = differingFingerprints(record, fingerprintsOf(incoming));
        if (differ.length) throw new FileError(`the imported material is not bay ${bayName}'s (its record ${this.recordFile(bayName)} names other ${differ.map((k) => RECORDED_FILES[k]).join(', ')}); import the export of this bay`);
      }
      if (fs.existsSync(dir)) {
        const here = new Map(Object.values(RECORDED_FILES).map((f) => [f, readIfExists(path.join(dir, f))]));
        const mine = fingerprintsOf(here);
        const theirs = fingerprintsOf(incoming);
        if (mine.ca && mine.ca !== theirs.ca) {
          throw new FileError(`bay ${bayName} already has a PKI store with another cluster CA (${dir}); move it away first if you mean to replace it`);
        }
      }
      const tmp = fs.mkdtempSync(path.join(this.rootDir, `.${bayName}.creating-${process.pid}-`));
      try {
        for (const [name, text] of incoming) {
          if (![...PKI_FILES, 'meta.json'].includes(name)) throw new FileError(`the import holds an unknown file '${name}'; it is not a kubebay PKI export`);
          writeFileAtomic(path.join(tmp, name), text);
        }
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(tmp, dir);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      // A record is kept as it is; a bay without one gets one, with opts.fixedApiVip.
      return this.loadOrCreate(bayName, record ? {} : opts);
    });
  }
}

/** A record of the bay's current material. */
function recordOf(bay: string, pki: BayPki, createdAt = new Date().toISOString(), facts: { fixedApiVip?: boolean; flannelChecked?: boolean } = {}): BayRecord {
  const contents = new Map<string, string>([['ca.crt', pki.caCert], ['front-proxy-ca.crt', pki.frontProxyCaCert], ['etcd-ca.crt', pki.etcdCaCert], ['sa.key', pki.saKey]]);
  const f = fingerprintsOf(contents);
  const fingerprints = { ca: f.ca!, frontProxyCa: f.frontProxyCa!, etcdCa: f.etcdCa!, saPub: f.saPub! };
  // The fields only when true: the records of other bays stay byte-identical.
  return {
    bay, createdAt, keySize: pki.keySize, fingerprints,
    ...(facts.fixedApiVip ? { apiAddress: 'fixed' as const } : {}),
    ...(facts.flannelChecked ? { flannelManifest: 'checked' as const } : {}),
  };
}

/**
 * Removes what killed runs left in the store: `.<bay>.creating-<pid>-*`
 * dirs and `.<file>.<pid>.<hex>.tmp` files of processes that are gone.
 */
function cleanStoreDebris(root: string, bay: string, dir: string): void {
  const dead = (pid: string) => !isProcessAlive(Number(pid));
  const creating = new RegExp(`^\\.${bay}\\.creating-(\\d+)-`);
  for (const n of fs.readdirSync(root)) {
    if (!n.startsWith('.')) continue; // bay directories (a store of many bays holds many)
    const m = creating.exec(n) ?? /^\..*\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/.exec(n);
    if (m && dead(m[1])) fs.rmSync(path.join(root, n), { recursive: true, force: true });
  }
  if (!fs.existsSync(dir)) return;
  assertOwned(dir, 'directory');
  for (const n of fs.readdirSync(dir)) {
    const m = /^\..*\.(\d+)\.[0-9a-f]+\.tmp$/.exec(n);
    if (m && dead(m[1])) fs.rmSync(path.join(dir, n), { force: true });
  }
}

