import { KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { ValidationError } from '../../core/errors';

/** RSA modulus sizes kubebay generates. */
export type RsaKeySize = 2048 | 4096;

/** Every supported RSA modulus size. */
export const RSA_KEY_SIZES: readonly RsaKeySize[] = [2048, 4096];

/** Key size of generated material when none is requested. */
export const DEFAULT_KEY_SIZE: RsaKeySize = 2048;

/** An RSA key pair as PEM strings. */
export interface RsaKeyPair {
  /** Private key, PKCS#1 PEM (an `RSA PRIVATE KEY` block). */
  readonly privateKeyPem: string;
  /** Public key, SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKeyPem: string;
}

/**
 * Generate an RSA key pair with Node's native crypto (never forge's pure
 * JavaScript generator). Private keys are always PKCS#1 PEM.
 */
export function generateRsaKeyPair(bits: RsaKeySize): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/**
 * Re-encode an RSA private key (PKCS#1 or PKCS#8 PEM, or already parsed) as
 * PKCS#1 PEM. Throws if the key is not an unencrypted RSA private key.
 */
export function toPkcs1Pem(keyPem: string | KeyObject): string {
  const key = typeof keyPem === 'string' ? createPrivateKey(keyPem) : keyPem;
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ValidationError(`expected an RSA private key, got ${key.asymmetricKeyType}`);
  }
  return key.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** SubjectPublicKeyInfo PEM of a private key (PEM). */
export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}

/** Modulus length in bits of an RSA key (private or public, PEM). */
export function rsaKeyBits(keyPem: string): number | undefined {
  const key = keyPem.includes('PRIVATE KEY') ? createPrivateKey(keyPem) : createPublicKey(keyPem);
  return key.asymmetricKeyDetails?.modulusLength;
}
