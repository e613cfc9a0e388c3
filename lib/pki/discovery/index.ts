import { X509Certificate, createHash } from 'node:crypto';

/**
 * kubeadm's `--discovery-token-ca-cert-hash` of a CA certificate:
 * `sha256:<hex>` of the DER SubjectPublicKeyInfo of its public key.
 */
export function discoveryHash(caCertPem: string): string {
  const spki = new X509Certificate(caCertPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}
