import { parse } from 'yaml';
import { renderKubeconfig } from '../../lib/pki';
import { FAKE_RSA_PRIVATE_KEY } from '../fixtures/pem';

const CA = '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n';
const KEY = FAKE_RSA_PRIVATE_KEY;
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('renderKubeconfig', () => {
  test('renders a kubeconfig with the server, base64 data and the <user>@<cluster> context', () => {
    // GIVEN the admin material of a bay
    // WHEN a kubeconfig is rendered and parsed as YAML
    const cfg = parse(renderKubeconfig({ clusterName: 'b1', server: 'https://203.0.113.10:6443', caCertPem: CA, clientCertPem: CERT, clientKeyPem: KEY }));
    // THEN it names the server and embeds the PEMs as base64
    expect(cfg).toMatchObject({ apiVersion: 'v1', kind: 'Config', 'current-context': 'kubernetes-admin@b1' });
    expect(cfg.clusters).toEqual([{ name: 'b1', cluster: { server: 'https://203.0.113.10:6443', 'certificate-authority-data': b64(CA) } }]);
    expect(cfg.users).toEqual([{ name: 'kubernetes-admin', user: { 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY) } }]);
    expect(cfg.contexts).toEqual([{ name: 'kubernetes-admin@b1', context: { cluster: 'b1', user: 'kubernetes-admin' } }]);
    expect(Buffer.from(cfg.users[0].user['client-key-data'], 'base64').toString()).toBe(KEY);
  });

  test('uses the given user name', () => {
    // WHEN rendered for user 'ops'
    const cfg = parse(renderKubeconfig({ clusterName: 'b1', server: 'https://x:6443', caCertPem: CA, clientCertPem: CERT, clientKeyPem: KEY, user: 'ops' }));
    // THEN the user and context carry that name
    expect(cfg['current-context']).toBe('ops@b1');
    expect(cfg.users[0].name).toBe('ops');
  });
});
