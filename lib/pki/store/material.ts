/**
 * What a bay's PKI directory holds: the material files, the options of a
 * load, the loaded material, and the directory's metadata (`meta.json`).
 */
import * as path from 'node:path';
import { RSA_KEY_SIZES, RsaKeySize, rsaKeyBits } from '../keys';
import { readIfExists } from './atomic';

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

/** Options of `PkiStore.loadOrCreate` and `PkiStore.rotate`. */
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
  /**
   * The bay's resolved `fixedApiVip`: checked against the bay's record (a
   * ValidationError if it differs, before anything is written) and, when
   * true, recorded in a new record (`"apiAddress": "fixed"`).
   * @default - not checked; a new record says the VIP is allocated by Octavia
   */
  readonly fixedApiVip?: boolean;
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

/** The bay's three CAs: file base name, subject CN, label in messages. */
export const CAS = [
  { base: 'ca', commonName: 'kubernetes', label: 'cluster CA' },
  { base: 'front-proxy-ca', commonName: 'front-proxy-ca', label: 'front-proxy CA' },
  { base: 'etcd-ca', commonName: 'etcd-ca', label: 'etcd CA' },
] as const;

/** Content of a bay directory's `meta.json`. */
export interface Meta {
  readonly keySize: RsaKeySize;
  readonly createdAt: string;
}

/** The material of a bay as returned by a load, from its files' `c`ontents. */
export function material(dir: string, c: ReadonlyMap<PkiFileName, string | undefined>, hash: string, keySize: RsaKeySize, warnings: string[]): BayPki {
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

/** The bay directory's `meta.json`, if it is one. */
export function readMeta(dir: string): Meta | undefined {
  try {
    const meta = JSON.parse(readIfExists(path.join(dir, 'meta.json')) ?? 'null') as Partial<Meta> | null;
    return meta && RSA_KEY_SIZES.includes(meta.keySize as RsaKeySize) ? (meta as Meta) : undefined;
  } catch {
    return undefined;
  }
}

/** Key size of existing material: meta.json, else the size of a generated CA key. */
export function storedKeySize(dir: string): RsaKeySize | undefined {
  const meta = readMeta(dir);
  if (meta) return meta.keySize;
  for (const name of ['front-proxy-ca.key', 'etcd-ca.key']) {
    const pem = readIfExists(path.join(dir, name));
    const bits = pem ? rsaKeyBits(pem) : undefined;
    if (RSA_KEY_SIZES.includes(bits as RsaKeySize)) return bits as RsaKeySize;
  }
  return undefined;
}
