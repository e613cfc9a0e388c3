/**
 * PEM problems name the file and what is wrong with it (issue 12), and CA
 * validity windows that start in the future or end within 30 days warn.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeEncryptedKey, fakePkcs8Key } from '../fixtures/pem';
import { Construct } from 'constructs';
import { collectWarnings, KubernetesBay } from '../../lib';
import { PkiStore, generateCa, validateCa } from '../../lib/pki';
import { caValidityWarnings, pemProblem, pemStructureProblem } from '../../lib/pki/pem-errors';
import { BASE_PROPS } from '../helpers';
import { freshDir, removeFreshDirs } from './helpers';

afterAll(removeFreshDirs);

const DAY = 86_400_000;
/** One CA for the whole file (key generation takes a moment). */
const CA = generateCa({ commonName: 'pem-test' });

describe('PEM structure', () => {
  const key = CA.keyPem;
  test.each([
    ['empty', '', /^is empty$/],
    ['no BEGIN line', 'hello\n', /^is not a PEM file/],
    ['truncated', key.slice(0, 400), /^is truncated \(no "-----END RSA PRIVATE KEY-----" line\)$/],
    ['encrypted', fakeEncryptedKey('AAAA'), /^is encrypted: give the unencrypted key/],
    ['a certificate where a key belongs', CA.certPem, /^holds a CERTIFICATE, not a private key$/],
    ['damaged base64', key.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!'), /^is damaged/],
  ])('a private key file that is %s', (_what, text, expected) => {
    expect(pemStructureProblem(text, 'private key')).toMatch(expected);
  });

  test('a whole key has no structural problem', () => {
    expect(pemStructureProblem(CA.keyPem, 'private key')).toBeUndefined();
    expect(pemStructureProblem(CA.certPem, 'certificate')).toBeUndefined();
  });

  test("OpenSSL's DECODER error becomes words (its code kept)", () => {
    // GIVEN a whole PEM block whose DER is not a key
    const notAKey = fakePkcs8Key('S0VZS0VZS0VZ');
    // WHEN
    const msg = (() => {
      try {
        validateCa({ certPem: CA.certPem, keyPem: notAKey }, 'clusterCa', undefined, { cert: '/x/ca.crt', key: '/x/ca.key' });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    // THEN the key file is named, with what is wrong
    expect(msg).toMatch(/^\/x\/ca\.key: cannot be decoded as an unencrypted RSA private key: it is damaged or of an unsupported kind \(.*DECODER/);
    expect(pemProblem('x', 'certificate', new Error('e'))).toMatch(/^is not a PEM file/);
  });
});

describe('the PKI store and clusterCa name the file a problem is in', () => {
  test('a truncated ca.key in the store is reported as ca.key (not ca.crt), with the fix', () => {
    // GIVEN a bay whose ca.key was cut short
    const root = freshDir();
    const store = new PkiStore(root);
    const dir = path.join(root, 'b1');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'ca.crt'), CA.certPem);
    fs.writeFileSync(path.join(dir, 'ca.key'), CA.keyPem.slice(0, 300));
    // WHEN / THEN
    expect(() => store.loadOrCreate('b1')).toThrow(
      new RegExp(`^${dir}/ca\\.key: is truncated \\(no "-----END RSA PRIVATE KEY-----" line\\)\\. Restore the pair from a backup, or run \`kubebay pki rotate b1\``),
    );
  });

  test('clusterCa with a truncated key file: clusterCa.keyFile is named, with the file', () => {
    // GIVEN
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, 'ca.crt'), CA.certPem);
    fs.writeFileSync(path.join(dir, 'ca.key'), CA.keyPem.slice(0, 300));
    // WHEN
    const root = new Construct(undefined as any, 'root');
    const build = () =>
      new KubernetesBay(root, 'byo', { ...BASE_PROPS, name: 'byo', pkiDir: freshDir(), clusterCa: { certFile: path.join(dir, 'ca.crt'), keyFile: path.join(dir, 'ca.key') } });
    // THEN
    expect(build).toThrow(/clusterCa\.keyFile: ".*\/ca\.key" is not usable \(is truncated \(no "-----END RSA PRIVATE KEY-----" line\)\); give the CA certificate/);
  });
});

describe('CA validity windows', () => {
  test('a CA valid for years: no warning', () => {
    expect(caValidityWarnings(CA.certPem, 'ca')).toEqual([]);
  });

  test('a CA that expires within 30 days: ca-expiring, with the date and the fix', () => {
    const now = new Date(Date.parse(new X509Certificate(CA.certPem).validTo) - 10 * DAY);
    expect(caValidityWarnings(CA.certPem, 'cluster CA', now)).toEqual([
      { id: 'ca-expiring', message: expect.stringMatching(/^cluster CA expires on .* \(in (9|10) days\): the cluster stops working then; renew it, or run `kubebay pki rotate`/) },
    ]);
    // 31 days before: none
    expect(caValidityWarnings(CA.certPem, 'cluster CA', new Date(now.getTime() - 21 * DAY))).toEqual([]);
  });

  test('a CA whose validity starts in the future: ca-not-yet-valid', () => {
    const now = new Date(Date.now() - 3 * DAY); // seen from three days ago, the CA made now is not valid yet
    expect(caValidityWarnings(CA.certPem, 'cluster CA', now)).toEqual([{ id: 'ca-not-yet-valid', message: expect.stringMatching(/^cluster CA is not valid before .*; check the clock/) }]);
  });

  test('a bay with a supplied clusterCa that is not valid yet warns on the bay (and still synthesizes)', () => {
    // GIVEN a CA whose notBefore is two days ahead
    const future = generateCa({ commonName: 'future', now: new Date(Date.now() + 2 * DAY) });
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, 'ca.crt'), future.certPem);
    fs.writeFileSync(path.join(dir, 'ca.key'), future.keyPem);
    // WHEN
    const root = new Construct(undefined as any, 'root');
    const bay = new KubernetesBay(root, 'fut', {
      ...BASE_PROPS, name: 'fut', apiAllowedCidrs: ['203.0.113.0/24'], pkiDir: freshDir(),
      clusterCa: { certFile: path.join(dir, 'ca.crt'), keyFile: path.join(dir, 'ca.key') },
    });
    // THEN
    expect(collectWarnings(bay).map((w) => w.message)).toEqual([expect.stringMatching(/^\[kubebay:ca-not-yet-valid\] cluster CA \(ca\.crt\) of bay fut is not valid before/)]);
  });
});
