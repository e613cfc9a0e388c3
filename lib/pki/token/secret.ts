/**
 * A new bootstrap token for a running bay (`kubebay token create`): the
 * kubeadm-format Secret that makes the API accept it, and its lifetime.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/bootstrap-tokens/
 */
import { ValidationError } from '../../core/errors';

/** Group kubeadm gives its node tokens (the same as the first master's token). */
export const NODE_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

/** Default lifetime of a token made by `kubebay token create`. */
export const DEFAULT_TOKEN_TTL = '24h';

/**
 * Seconds of a kubeadm-style duration: `24h`, `90m`, `1h30m`, `3600s`.
 * Throws (naming `what` and the fix) on anything else, and on zero: a token
 * that never expires is what a short-lived token replaces.
 */
export function parseTokenTtl(ttl: string, what = '--ttl'): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(ttl);
  const seconds = m && ttl !== '' ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ValidationError(`${what}: "${ttl}" is not a positive duration; write it as hours, minutes and seconds, e.g. 24h, 90m or 1h30m`);
  }
  return seconds;
}

/** The Secret (kube-system, `bootstrap.kubernetes.io/token`) of `token`, expiring at `expiresAt`. */
export function bootstrapTokenSecret(token: string, expiresAt: Date): Record<string, unknown> {
  const [id, secret] = token.split('.');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    stringData: {
      description: 'kubebay token create: joins nodes added or replaced later',
      'token-id': id,
      'token-secret': secret,
      expiration: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
      'auth-extra-groups': NODE_TOKEN_GROUP,
    },
  };
}
