import { execSync } from 'node:child_process';
import { discoveryHash, generateCa } from '../../lib/pki';

describe('discoveryHash', () => {
  test('equals the sha256 of the DER public key computed by openssl, as kubeadm documents it', () => {
    // GIVEN a CA certificate
    const { certPem } = generateCa({ commonName: 'kubernetes' });
    // WHEN hashed by kubebay and by the openssl pipeline of the kubeadm docs
    const expected = execSync('openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum', { input: certPem, encoding: 'utf8' }).split(' ')[0];
    // THEN both agree
    expect(discoveryHash(certPem)).toBe(`sha256:${expected}`);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });
});
