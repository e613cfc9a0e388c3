import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as forge from 'node-forge';
import { BayPki, CLOCK_SKEW_MS, PkiStore, generateCa, generateClientCert, randomSerial, validateCa } from '../../lib/pki';
import { YEAR_MS, ext, freshDir, openssl, opensslCa, removeFreshDirs } from './helpers';
import { RSA_PRIVATE_KEY_HEADER } from '../fixtures/pem';

afterAll(removeFreshDirs);

describe('certificates of a generated bay', () => {
  let pki: BayPki;
  let before: number;
  beforeAll(() => {
    // GIVEN the material of a new RSA-2048 bay
    before = Date.now();
    pki = new PkiStore(freshDir()).loadOrCreate('certs');
  });

  const cas = () => [
    { cert: pki.caCert, cn: 'kubernetes' },
    { cert: pki.frontProxyCaCert, cn: 'front-proxy-ca' },
    { cert: pki.etcdCaCert, cn: 'etcd-ca' },
  ];

  test('the CAs are self-signed CAs with the kubeadm common names, valid 10 years', () => {
    for (const { cert, cn } of cas()) {
      // WHEN a CA certificate is read back with Node's X509Certificate
      const x = new X509Certificate(cert);
      // THEN it is a self-signed CA with its CN, valid from 5 minutes ago for ~10 years
      expect(x.ca).toBe(true);
      expect(x.subject).toBe(`CN=${cn}`);
      expect(x.issuer).toBe(x.subject);
      expect(x.verify(x.publicKey)).toBe(true);
      const from = Date.parse(x.validFrom);
      expect(Math.abs(from - (before - CLOCK_SKEW_MS))).toBeLessThan(60_000);
      expect((Date.parse(x.validTo) - from) / YEAR_MS).toBeCloseTo(10, 1);
    }
  });

  test('the CAs have critical basicConstraints and keyUsage keyCertSign+cRLSign+digitalSignature, and an SKI', () => {
    for (const { cert } of cas()) {
      // WHEN the extensions are parsed with forge
      // THEN they are the kubeadm CA extensions
      expect(ext(cert, 'basicConstraints')).toMatchObject({ cA: true, critical: true });
      expect(ext(cert, 'keyUsage')).toMatchObject({ critical: true, keyCertSign: true, cRLSign: true, digitalSignature: true, keyEncipherment: false });
      expect(ext(cert, 'subjectKeyIdentifier')?.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
      // AND Node reports no extended key usage on a CA
      expect(new X509Certificate(cert).keyUsage).toBeUndefined();
    }
  });

  test('the admin certificate is a 1-year clientAuth certificate of kubeadm:cluster-admins signed by the cluster CA', () => {
    // WHEN the admin certificate is read back
    const admin = new X509Certificate(pki.adminCert);
    const ca = new X509Certificate(pki.caCert);
    // THEN its subject, usages and validity are kubeadm's admin.conf ones
    expect(admin.subject.split('\n').sort()).toEqual(['CN=kubernetes-admin', 'O=kubeadm:cluster-admins']);
    expect(admin.ca).toBe(false);
    expect(admin.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(ext(pki.adminCert, 'keyUsage')).toMatchObject({ critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: false });
    expect(ext(pki.adminCert, 'basicConstraints')).toMatchObject({ cA: false, critical: true });
    expect((Date.parse(admin.validTo) - Date.parse(admin.validFrom)) / YEAR_MS).toBeCloseTo(1, 1);
    // AND it is signed by the cluster CA only, with the CA's key identifier
    expect(admin.checkIssued(ca)).toBe(true);
    expect(admin.verify(ca.publicKey)).toBe(true);
    expect(admin.verify(new X509Certificate(pki.frontProxyCaCert).publicKey)).toBe(false);
    const aki = openssl(['x509', '-noout', '-ext', 'authorityKeyIdentifier'], pki.adminCert);
    const ski = ext(pki.caCert, 'subjectKeyIdentifier')!.subjectKeyIdentifier as string;
    expect(aki.replace(/[^0-9A-F]/gi, '').toLowerCase()).toContain(ski);
    expect(openssl(['verify', '-CAfile', path.join(pki.files['ca.crt'])], pki.adminCert).trim()).toBe('stdin: OK');
  });

  test('every certificate is signed with sha256WithRSAEncryption and has a positive 16-byte serial', () => {
    for (const cert of [pki.caCert, pki.frontProxyCaCert, pki.etcdCaCert, pki.adminCert]) {
      // WHEN the signature algorithm and serial are read back
      // THEN the signature is SHA-256 and the serial is 32 hex digits with the top bit clear
      expect(forge.pki.certificateFromPem(cert).siginfo.algorithmOid).toBe(forge.pki.oids.sha256WithRSAEncryption);
      const serial = new X509Certificate(cert).serialNumber;
      expect(serial).toMatch(/^[0-7][0-9A-F]{31}$/);
    }
    // AND the serials are distinct
    expect(new Set([pki.caCert, pki.frontProxyCaCert, pki.etcdCaCert, pki.adminCert].map((c) => new X509Certificate(c).serialNumber)).size).toBe(4);
  });

  test('private keys are PKCS#1 PEM and the service-account public key is SPKI PEM', () => {
    // WHEN the key PEM headers are read
    // THEN they are consistent
    for (const key of [pki.caKey, pki.frontProxyCaKey, pki.etcdCaKey, pki.saKey, pki.adminKey]) {
      expect(key.startsWith(`${RSA_PRIVATE_KEY_HEADER}\n`)).toBe(true);
    }
    expect(pki.saPub.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
  });
});

describe('randomSerial', () => {
  test('is 32 hex digits, positive and never zero', () => {
    // GIVEN many serials
    const serials = Array.from({ length: 2000 }, () => randomSerial());
    // THEN each has a first byte in 0x01..0x7f (positive, minimal DER) and all are distinct
    for (const s of serials) {
      expect(s).toMatch(/^[0-9a-f]{32}$/);
      const first = parseInt(s.slice(0, 2), 16);
      expect(first).toBeGreaterThanOrEqual(1);
      expect(first).toBeLessThanOrEqual(0x7f);
    }
    expect(new Set(serials).size).toBe(serials.length);
  });
});

describe('key generation', () => {
  test('uses Node crypto, never forge\'s key generator, and honours RSA-4096', () => {
    // GIVEN a spy on forge's RSA key generator
    const spy = jest.spyOn(forge.pki.rsa, 'generateKeyPair');
    // WHEN an RSA-4096 CA and a client certificate are generated
    const ca = generateCa({ commonName: 'big', keySize: 4096 });
    const client = generateClientCert({ commonName: 'u', ca, keySize: 4096 });
    // THEN forge generated nothing and both keys are 4096 bits
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    for (const c of [ca, client]) {
      expect(new X509Certificate(c.certPem).publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    }
    expect(new X509Certificate(client.certPem).verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });
});

describe('a user-supplied CA', () => {
  test('signs client certificates whose issuer matches its UTF-8 subject byte for byte', () => {
    // GIVEN a CA made by openssl with non-ASCII UTF8String subject attributes
    const dir = freshDir();
    const ca = validateCa(opensslCa(dir), 'clusterCa');
    // WHEN it signs a client certificate
    const client = generateClientCert({ commonName: 'u', ca });
    // THEN openssl verifies the chain and the issuer equals the CA subject
    fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
    expect(openssl(['verify', '-CAfile', path.join(dir, 'ca.pem')], client.certPem).trim()).toBe('stdin: OK');
    expect(new X509Certificate(client.certPem).issuer).toBe(new X509Certificate(ca.certPem).subject);
    // AND the client certificate does not outlive the 30-day CA
    expect(Date.parse(new X509Certificate(client.certPem).validTo)).toBeLessThanOrEqual(Date.parse(new X509Certificate(ca.certPem).validTo));
  });

  test('is normalized to a PKCS#1 key', () => {
    // GIVEN an openssl CA whose key is PKCS#8
    const supplied = opensslCa(freshDir());
    expect(supplied.keyPem).toContain('BEGIN PRIVATE KEY');
    // WHEN validated
    const ca = validateCa(supplied, 'clusterCa');
    // THEN the key is PKCS#1 and the certificate is unchanged
    expect(ca.keyPem).toContain('BEGIN RSA PRIVATE KEY');
    expect(new X509Certificate(ca.certPem).raw.equals(new X509Certificate(supplied.certPem).raw)).toBe(true);
  });
});
