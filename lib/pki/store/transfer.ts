/**
 * Sharing a bay's PKI store within a team: `exportPki` seals every material
 * file of the bay into one passphrase-encrypted file, `importPki` restores a
 * store from it.
 *
 * Format (JSON, version 1): a header `{format, version, bay, kdf, cipher}`,
 * the AES-256-GCM nonce, tag and ciphertext (base64). The key is derived
 * from the passphrase with scrypt (N=2^17, r=8, p=1, 16-byte random salt);
 * the header is authenticated as additional data, so a changed bay name or
 * parameter fails like a wrong passphrase. Node's crypto (OpenSSL) only: no
 * dependency, works offline. (age would be the established format, but its
 * maintained npm implementation is ESM-only and this package is CommonJS.)
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { FileError, ValidationError } from '../../core/errors';
import { BayPki, PkiOptions, PkiStore } from './index';

const EXPORT_FORMAT = 'kubebay-pki-export';
/** Shortest passphrase accepted for an export. */
const MIN_PASSPHRASE_LENGTH = 12;

interface Header {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: 1;
  readonly bay: string;
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly cipher: 'aes-256-gcm';
}

const KDF = { N: 2 ** 17, r: 8, p: 1 };

function key(passphrase: string, kdf: Header['kdf']): Buffer {
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 });
}

/** The bay's store, sealed with `passphrase` (the text of an export file). */
export function exportPki(store: PkiStore, bay: string, passphrase: string): string {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new ValidationError(`the passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters`);
  const files = store.exportFiles(bay);
  const header: Header = {
    format: EXPORT_FORMAT,
    version: 1,
    bay,
    kdf: { name: 'scrypt', ...KDF, salt: randomBytes(16).toString('base64') },
    cipher: 'aes-256-gcm',
  };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(passphrase, header.kdf), iv);
  cipher.setAAD(Buffer.from(JSON.stringify(header)));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify({ files }), 'utf8'), cipher.final()]);
  const body = { ...header, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Restores the bay's store from an export's text; `source` names the file in messages; `opts.fixedApiVip` goes into a new record. */
export function importPki(store: PkiStore, bay: string, text: string, passphrase: string, source = 'the export', opts: Pick<PkiOptions, 'fixedApiVip'> = {}): BayPki {
  let body: Header & { iv: string; tag: string; ciphertext: string };
  try {
    body = JSON.parse(text);
  } catch {
    throw new FileError(`${source} is not a kubebay PKI export (not JSON)`);
  }
  if (body?.format !== EXPORT_FORMAT || body.version !== 1 || body.kdf?.name !== 'scrypt' || body.cipher !== 'aes-256-gcm') {
    throw new FileError(`${source} is not a kubebay PKI export of version 1 (format ${JSON.stringify(body?.format)}, version ${JSON.stringify(body?.version)})`);
  }
  if (body.bay !== bay) throw new FileError(`${source} holds the PKI of bay ${body.bay}, not of bay ${bay}; import it with that bay's config`);
  if (![body.kdf.N, body.kdf.r, body.kdf.p].every((n) => Number.isInteger(n) && n > 0) || body.kdf.N > 2 ** 20 || body.kdf.r > 32 || body.kdf.p > 16) {
    throw new FileError(`${source} has unsupported scrypt parameters`);
  }
  const header: Header = { format: body.format, version: body.version, bay: body.bay, kdf: body.kdf, cipher: body.cipher };
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key(passphrase, header.kdf), Buffer.from(body.iv, 'base64'));
    decipher.setAAD(Buffer.from(JSON.stringify(header)));
    decipher.setAuthTag(Buffer.from(body.tag, 'base64'));
    plain = Buffer.concat([decipher.update(Buffer.from(body.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new FileError(`cannot decrypt ${source}: wrong passphrase, or the file was changed`);
  }
  const { files } = JSON.parse(plain) as { files: Record<string, string> };
  return store.importFiles(bay, files, opts);
}
