/**
 * Readable reasons why PEM material cannot be used, naming what is wrong
 * with the file (truncated, encrypted, another kind of PEM) instead of
 * OpenSSL's `error:1E08010C:DECODER routines::unsupported`; and warnings
 * about CA validity windows.
 */
import { X509Certificate } from 'node:crypto';

/** What a PEM file should hold. */
export type PemKind = 'certificate' | 'private key';

/** Why `text` is not a whole PEM `kind`, judged from its structure; undefined when it looks whole. */
export function pemStructureProblem(text: string, kind: PemKind): string | undefined {
  if (text.trim() === '') return 'is empty';
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (!begin) return `is not a PEM file (no "-----BEGIN ..." line)`;
  const label = begin[1];
  const endAt = text.indexOf(`-----END ${label}-----`, begin.index);
  if (endAt < 0) return `is truncated (no "-----END ${label}-----" line)`;
  if (kind === 'private key' && (/ENCRYPTED/.test(label) || /Proc-Type: *4,ENCRYPTED/.test(text))) {
    return 'is encrypted: give the unencrypted key (e.g. openssl pkey -in key.pem -out plain.pem)';
  }
  if (kind === 'private key' && !/PRIVATE KEY$/.test(label)) return `holds a ${label}, not a private key`;
  if (kind === 'certificate' && !/CERTIFICATE$/.test(label)) return `holds a ${label}, not a certificate`;
  const body = text
    .slice(begin.index + begin[0].length, endAt)
    .replace(/^[A-Za-z-]+:.*$/gm, '')
    .replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) return 'is damaged (its base64 body is not valid)';
  return undefined;
}

/**
 * Why a PEM `kind` could not be loaded: the structural problem if there is
 * one, else the decoder's error in words (OpenSSL's codes kept in brackets).
 */
export function pemProblem(text: string, kind: PemKind, error: unknown): string {
  const structural = pemStructureProblem(text, kind);
  if (structural) return structural;
  const msg = error instanceof Error ? error.message : String(error);
  if (/DECODER routines|unsupported|bad decrypt|asn1|too long|header too long|not enough data/i.test(msg)) {
    return `cannot be decoded as ${kind === 'certificate' ? 'an X.509 certificate' : 'an unencrypted RSA private key'}: it is damaged or of an unsupported kind (${msg})`;
  }
  return `is not ${kind === 'certificate' ? 'a PEM X.509 certificate' : 'an unencrypted RSA private key'} (${msg})`;
}

/** Days before a CA's expiry from which synthesis warns. */
const CA_EXPIRY_WARNING_DAYS = 30;

/**
 * Warnings about a CA certificate's validity window: it starts in the
 * future (nodes and clients reject it until then) or ends within
 * {@link CA_EXPIRY_WARNING_DAYS} days. Empty when neither.
 */
export function caValidityWarnings(certPem: string, label: string, now: Date = new Date()): { readonly id: 'ca-not-yet-valid' | 'ca-expiring'; readonly message: string }[] {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return []; // validation reports unreadable certificates
  }
  const out: { id: 'ca-not-yet-valid' | 'ca-expiring'; message: string }[] = [];
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (from > now.getTime()) {
    out.push({ id: 'ca-not-yet-valid', message: `${label} is not valid before ${cert.validFrom}: until then nodes and clients reject it; check the clock of the machine that made it, or use a CA valid now` });
  }
  const days = Math.floor((to - now.getTime()) / 86_400_000);
  if (to > now.getTime() && days < CA_EXPIRY_WARNING_DAYS) {
    out.push({ id: 'ca-expiring', message: `${label} expires on ${cert.validTo} (in ${days} day${days === 1 ? '' : 's'}): the cluster stops working then; renew it, or run \`kubebay pki rotate\` (which replaces every server)` });
  }
  return out;
}
