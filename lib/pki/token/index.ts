import { randomBytes } from 'node:crypto';

/** Format of a kubeadm bootstrap token: `<6-char id>.<16-char secret>`. */
export const BOOTSTRAP_TOKEN_PATTERN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Generate a kubeadm bootstrap token (`abcdef.0123456789abcdef`) from crypto random bytes. */
export function generateBootstrapToken(): string {
  return `${randomChars(6)}.${randomChars(16)}`;
}

/** `n` characters of [a-z0-9], unbiased: bytes >= 252 (7 * 36) are rejected. */
function randomChars(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 252 && out.length < n) out += ALPHABET[b % 36];
    }
  }
  return out;
}

export { DEFAULT_TOKEN_TTL, NODE_TOKEN_GROUP, bootstrapTokenSecret, parseTokenTtl } from './secret';
