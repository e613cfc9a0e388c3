/**
 * The bay record: a committed, non-secret file per bay next to the user's
 * config (`.kubebay/bays/<bay>.json` beside `.kubebay/pki/`) with what
 * identifies the bay's PKI — the fingerprints of its three CA certificates
 * and of its service-account public key. While it exists, kubebay never
 * generates a new CA for the bay: a missing or different store is an error
 * that says how to restore it.
 */
import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/files';
import { readIfExists } from './atomic';
import { FileError, ValidationIssue } from '../../core/errors';

/** `sha256:<hex>` of a certificate's DER bytes (what `openssl x509 -fingerprint -sha256` shows, lowercase, without colons). */
export function caFingerprint(certPem: string): string {
  return `sha256:${createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex')}`;
}

/** `sha256:<hex>` of a key's SubjectPublicKeyInfo DER (private or public PEM). */
export function publicKeyFingerprint(keyPem: string): string {
  const der = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** Fingerprints of a bay's identity: its CAs and service-account key. */
export interface PkiFingerprints {
  readonly ca: string;
  readonly frontProxyCa: string;
  readonly etcdCa: string;
  readonly saPub: string;
}

/** Content of a bay record. */
export interface BayRecord {
  readonly bay: string;
  readonly createdAt: string;
  readonly keySize: number;
  readonly fingerprints: PkiFingerprints;
  /**
   * How the bay's API is addressed, fixed when the bay was created: `fixed`
   * for a bay created with `fixedApiVip` (its VIP and masters' addresses
   * computed at synthesis). Absent: allocated by Octavia (every bay created
   * without it, and before it existed), so their records stay unchanged.
   */
  readonly apiAddress?: 'fixed';
  /**
   * `checked` in the records of bays created since kubebay checks flannel's
   * manifest against its sha256 (the first master's user data does). Absent
   * (every bay created before, and a store imported or found without a
   * record): the first master downloads the release's manifest unchecked,
   * as when the bay was created, so its user data does not change (Heat
   * would replace master 0 for it); `flannelManifest` opts in.
   */
  readonly flannelManifest?: 'checked';
  /** When `pki rotate` last replaced the material. */
  readonly rotatedAt?: string;
}

/** Whether the record says the bay was created with `fixedApiVip`. */
export function recordedFixedApiVip(record: BayRecord): boolean {
  return record.apiAddress === 'fixed';
}

/** Whether the record says the bay's first master checks flannel's manifest (a bay created since kubebay does). */
export function recordedFlannelCheck(record: BayRecord | undefined): boolean {
  return record?.flannelManifest === 'checked';
}

/**
 * The issue of a bay whose resolved `fixedApiVip` differs from its record
 * (switching it on a deployed bay replaces the load balancer); undefined when
 * they agree. `storeDir`: the bay's PKI directory, named in the fix.
 */
export function apiAddressIssue(record: BayRecord, recordFile: string, storeDir: string, fixedApiVip: boolean): ValidationIssue | undefined {
  const recorded = recordedFixedApiVip(record);
  if (recorded === fixedApiVip) return undefined;
  const how = recorded ? 'with a fixed API VIP (fixedApiVip: true)' : 'with its API VIP allocated by Octavia (without fixedApiVip)';
  return {
    prop: 'fixedApiVip',
    value: fixedApiVip,
    problem:
      `differs from the record of bay ${record.bay} (${recordFile}): the bay was created ${how}. Switching it on a deployed bay ` +
      `replaces its API load balancer (listener, pool, monitor, members), changes the API address and the masters' addresses, ` +
      `and breaks every kubeconfig and the API server and etcd certificates`,
    fix:
      `keep fixedApiVip: ${recorded} for this bay (or create a new bay under another name); only if bay ${record.bay} was never deployed, ` +
      `delete ${recordFile} and its PKI store ${storeDir}, and synthesize again`,
  };
}

/** The files each fingerprint is taken from. */
export const RECORDED_FILES: Record<keyof PkiFingerprints, string> = {
  ca: 'ca.crt',
  frontProxyCa: 'front-proxy-ca.crt',
  etcdCa: 'etcd-ca.crt',
  saPub: 'sa.key',
};

/** The fingerprints of the material in `contents` (file name → text); undefined where a file is missing or unreadable. */
export function fingerprintsOf(contents: ReadonlyMap<string, string | undefined>): Partial<Record<keyof PkiFingerprints, string>> {
  const out: Partial<Record<keyof PkiFingerprints, string>> = {};
  for (const [key, file] of Object.entries(RECORDED_FILES) as [keyof PkiFingerprints, string][]) {
    const text = contents.get(file);
    try {
      if (text) out[key] = key === 'saPub' ? publicKeyFingerprint(text) : caFingerprint(text);
    } catch {
      // unreadable: reported as different
    }
  }
  return out;
}

/** The record file, or undefined if there is none; throws if it is not a record. */
export function readRecord(file: string): BayRecord | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as BayRecord;
    if (typeof r.bay === 'string' && r.fingerprints && typeof r.fingerprints.ca === 'string') return r;
  } catch {
    // reported below
  }
  throw new FileError(`${file} is not a kubebay bay record (JSON with bay and fingerprints); restore it from version control`);
}

/** Writes the record (0644: it is meant to be committed). */
export function writeRecord(file: string, record: BayRecord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  const body = {
    '//': `kubebay record of bay ${record.bay}: commit this file (no secrets). The bay's keys live in the PKI store (git-ignored); share them with \`kubebay pki export\` / \`kubebay pki import\`.`,
    ...record,
  };
  writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o644, createParents: false });
}

/** Names of the fingerprints of `actual` that differ from the record's. */
export function differingFingerprints(record: BayRecord, actual: Partial<PkiFingerprints>): (keyof PkiFingerprints)[] {
  return (Object.keys(RECORDED_FILES) as (keyof PkiFingerprints)[]).filter((k) => record.fingerprints[k] !== actual[k]);
}
