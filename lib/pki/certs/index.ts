import { KeyObject, X509Certificate, createPrivateKey, randomBytes, sign } from 'node:crypto';
import type * as Forge from 'node-forge';
import { DEFAULT_KEY_SIZE, RsaKeySize, generateRsaKeyPair, toPkcs1Pem } from '../keys';
import { pemProblem } from '../pem-errors';
import { ValidationError } from '../../core/errors';

/**
 * node-forge, loaded on first use: only generating certificates needs it, and
 * loading it (all of forge, TLS included) costs ~20 ms of every synthesis
 * process that merely reads a warm PKI store.
 */
let forgeModule: typeof Forge | undefined;
function loadForge(): typeof Forge {
  return (forgeModule ??= require('node-forge') as typeof Forge);
}

/** A certificate and its private key, PEM (key PKCS#1). */
export interface CertAndKey {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Backdating of notBefore, for clock skew between the generating host and the nodes. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * A random certificate serial number as hex: 16 random bytes with the top bit
 * cleared (Go's x509 rejects negative serials) and a non-zero first byte (so
 * the DER integer is minimal, 32 hex digits, and never 0).
 */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0] & 0x7f || 0x01;
  return bytes.toString('hex');
}

/** Options of {@link generateCa}. */
export interface CaOptions {
  /** Subject (and issuer) common name, e.g. 'kubernetes'. */
  readonly commonName: string;
  /** RSA modulus size. @default 2048 */
  readonly keySize?: RsaKeySize;
  /** Validity in years. @default 10 */
  readonly validityYears?: number;
  /** Reference time. @default - now */
  readonly now?: Date;
}

/**
 * Generate a self-signed RSA CA: SHA-256, basicConstraints CA:true (critical),
 * keyUsage keyCertSign+cRLSign+digitalSignature (critical), subjectKeyIdentifier.
 */
export function generateCa(opts: CaOptions): CertAndKey {
  const keys = generateRsaKeyPair(opts.keySize ?? DEFAULT_KEY_SIZE);
  const subject = [{ name: 'commonName', value: opts.commonName }];
  const cert = newCert(keys.publicKeyPem, subject, opts.validityYears ?? 10, opts.now);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  return { certPem: signSha256(cert, keys.privateKeyPem), keyPem: keys.privateKeyPem };
}

/** Options of {@link generateClientCert}. */
export interface ClientCertOptions {
  /** Subject common name (the Kubernetes user name). */
  readonly commonName: string;
  /** Subject organizations (the Kubernetes groups). @default [] */
  readonly organizations?: string[];
  /** Issuing CA (its key must be RSA). */
  readonly ca: CertAndKey;
  /** RSA modulus size of the new key. @default 2048 */
  readonly keySize?: RsaKeySize;
  /** Validity in years. @default 1 */
  readonly validityYears?: number;
  /** Reference time. @default - now */
  readonly now?: Date;
}

/**
 * Generate a client certificate signed by `ca`: SHA-256, not a CA,
 * keyUsage digitalSignature+keyEncipherment (critical), extKeyUsage clientAuth,
 * authorityKeyIdentifier of the CA; never valid beyond the CA.
 */
export function generateClientCert(opts: ClientCertOptions): CertAndKey {
  const forge = loadForge();
  const keys = generateRsaKeyPair(opts.keySize ?? DEFAULT_KEY_SIZE);
  const caCert = forge.pki.certificateFromPem(opts.ca.certPem);
  const subject = [
    ...(opts.organizations ?? []).map((value) => ({ name: 'organizationName', value })),
    { name: 'commonName', value: opts.commonName },
  ];
  const cert = newCert(keys.publicKeyPem, subject, opts.validityYears ?? 1, opts.now);
  if (cert.validity.notAfter > caCert.validity.notAfter) cert.validity.notAfter = caCert.validity.notAfter; // not beyond the CA
  cert.setIssuer(caCert.subject.attributes); // replaced by the CA's raw subject in signSha256
  const caSki = caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: caSki?.subjectKeyIdentifier
        ? forge.util.hexToBytes(caSki.subjectKeyIdentifier)
        : caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  return { certPem: signSha256(cert, opts.ca.keyPem, rawSubject(opts.ca.certPem)), keyPem: keys.privateKeyPem };
}

/**
 * Check that `pair` is a usable CA: a parseable, unexpired CA certificate
 * (basicConstraints CA:true) with an RSA key that matches it. Returns the
 * pair normalized (the certificate's canonical PEM, the key as PKCS#1 PEM).
 * Errors start with `label` (e.g. 'clusterCa'), or with the file a problem
 * is in when `files` names them (a truncated `ca.key` is reported as
 * `ca.key`, not as the pair).
 */
export function validateCa(pair: CertAndKey, label: string, now: Date = new Date(), files?: { readonly cert: string; readonly key: string }): CertAndKey {
  const certIs = files ? `${files.cert}:` : `${label}: certPem`;
  const keyIs = files ? `${files.key}:` : `${label}: keyPem`;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pair.certPem);
  } catch (e) {
    throw new ValidationError(`${certIs} ${pemProblem(pair.certPem, 'certificate', e)}`);
  }
  const subject = x509.subject.replace(/\n/g, ', ');
  if (!x509.ca) throw new ValidationError(`${files ? certIs : `${label}:`} certificate '${subject}' is not a CA (basicConstraints CA:true missing)`);
  if (new Date(x509.validTo) <= now) throw new ValidationError(`${files ? certIs : `${label}:`} CA certificate '${subject}' expired on ${x509.validTo}`);
  // Parsed once: RSA private key parsing dominates loading a warm PKI store.
  let key: KeyObject;
  let keyPem: string;
  try {
    key = createPrivateKey(pair.keyPem);
    keyPem = toPkcs1Pem(key);
  } catch (e) {
    throw new ValidationError(`${keyIs} ${pemProblem(pair.keyPem, 'private key', e)}`);
  }
  if (!x509.checkPrivateKey(key)) {
    throw new ValidationError(`${keyIs} does not match the public key of CA certificate '${subject}'${files ? ` (${files.cert})` : ''}`);
  }
  return { certPem: x509.toString(), keyPem };
}

function newCert(publicKeyPem: string, subject: Forge.pki.CertificateField[], years: number, now = new Date()): Forge.pki.Certificate {
  const forge = loadForge();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  cert.validity.notAfter = notAfter;
  cert.setSubject(subject);
  return cert;
}

/**
 * Sign `cert` with sha256WithRSAEncryption using Node's crypto (forge's
 * `cert.sign` would default to SHA-1 and runs RSA in JavaScript). `issuerDn`,
 * if given, replaces the issuer: forge re-encodes parsed names (it
 * double-encodes UTF8String values), and verifiers match the issuer byte for
 * byte against the CA's subject.
 */
function signSha256(cert: Forge.pki.Certificate, signerKeyPem: string, issuerDn?: Forge.asn1.Asn1): string {
  const forge = loadForge();
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbs = (forge.pki as unknown as ForgeTbs).getTBSCertificate(cert);
  if (issuerDn) (tbs.value as Forge.asn1.Asn1[])[3] = issuerDn; // [version, serial, signature, issuer, ...]
  cert.tbsCertificate = tbs; // forge.pki.certificateToPem uses this cached TBS
  cert.signature = sign('sha256', Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary'), signerKeyPem).toString('binary');
  return forge.pki.certificateToPem(cert);
}

/** forge.pki.getTBSCertificate, missing from @types/node-forge. */
interface ForgeTbs {
  getTBSCertificate(cert: Forge.pki.Certificate): Forge.asn1.Asn1;
}

/** The subject Name of a certificate, as parsed ASN.1 (re-encodes to the same bytes). */
function rawSubject(certPem: string): Forge.asn1.Asn1 {
  const forge = loadForge();
  const tbs = (forge.asn1.fromDer(forge.pem.decode(certPem)[0].body).value as Forge.asn1.Asn1[])[0].value as Forge.asn1.Asn1[];
  const hasVersion = tbs[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC; // v1 certificates omit it
  return tbs[hasVersion ? 5 : 4];
}
