/**
 * Sample values of every placeholder (throwaway keys, realistic lengths), to
 * render complete user data outside a deployment. Test and CI support, not
 * public API (lib/bootstrap is not a package export): it stays in lib/
 * because scripts/check-userdata.mjs runs it compiled, from dist/.
 */
import { generateKeyPairSync, randomBytes } from 'crypto';
import { b64 } from '../core/encoding';
import { Placeholder } from './placeholders';

/** Options of {@link sampleValues}. */
export interface SampleValueOptions {
  /** RSA key size of the throwaway keys. @default 4096 */
  readonly keySize?: 2048 | 4096;
  /** Value of WC_NOTIFY. @default a Heat `curl_cli` of realistic length (the larger of the two targets) */
  readonly wcNotify?: string;
  /** Value of KUBERNETES_VERSION. @default 'v1.31.2' */
  readonly kubernetesVersion?: string;
  /** Value of KUBERNETES_PORT. @default 6443 */
  readonly kubernetesPort?: number;
  /** Value of WAIT_CONDITION_TIMEOUT (seconds). @default 3600 */
  readonly waitConditionTimeout?: number;
}


function pemBlock(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** DER size of a CA certificate: public key + signature of the key size, plus names and extensions. */
function certificateDerSize(keySize: number): number {
  return keySize === 4096 ? 1400 : 880;
}

const keyCache = new Map<number, { privateKey: string; publicKey: string }[]>();

/** Four throwaway RSA key pairs (CA, front-proxy CA, etcd CA, service accounts), generated once per size. */
function keys(keySize: number): { privateKey: string; publicKey: string }[] {
  let pairs = keyCache.get(keySize);
  if (!pairs) {
    pairs = [0, 1, 2, 3].map(() =>
      generateKeyPairSync('rsa', {
        modulusLength: keySize,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      }),
    );
    keyCache.set(keySize, pairs);
  }
  return pairs;
}

/**
 * Realistic values for every placeholder, for tests and the CI check: real
 * throwaway RSA keys of `keySize` (PKCS#1 PEM, as kubeadm writes them),
 * certificate-sized random PEM blocks for the certificates, a well-formed
 * bootstrap token and CA hash, and a Heat `curl_cli` for WC_NOTIFY. PEM
 * values are base64-encoded, as the user data expects them.
 */
export function sampleValues(options: SampleValueOptions = {}): Record<Placeholder, string> {
  const keySize = options.keySize ?? 4096;
  const [ca, frontProxy, etcd, sa] = keys(keySize);
  const cert = () => b64(pemBlock('CERTIFICATE', randomBytes(certificateDerSize(keySize))));
  const alnum = (n: number) =>
    Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
  const heatToken = `gAAAAAB${randomBytes(180).toString('base64url')}`;
  return {
    API_VIP: '10.0.0.10',
    API_PUBLIC_ADDRESS: '203.0.113.10',
    KUBERNETES_PORT: String(options.kubernetesPort ?? 6443),
    KUBERNETES_VERSION: options.kubernetesVersion ?? 'v1.31.2',
    VOLUME_ID: '3f0c2a4e-8d1b-4c6f-9a7e-5b2d1c0e9f8a',
    BOOTSTRAP_TOKEN: `${alnum(6)}.${alnum(16)}`,
    CA_CERT_HASH: `sha256:${randomBytes(32).toString('hex')}`,
    CA_CRT: cert(),
    CA_KEY: b64(ca.privateKey),
    FRONT_PROXY_CA_CRT: cert(),
    FRONT_PROXY_CA_KEY: b64(frontProxy.privateKey),
    ETCD_CA_CRT: cert(),
    ETCD_CA_KEY: b64(etcd.privateKey),
    SA_KEY: b64(sa.privateKey),
    SA_PUB: b64(sa.publicKey),
    WC_NOTIFY:
      options.wcNotify ??
      `curl -i -X POST -H 'X-Auth-Token: ${heatToken}' -H 'Content-Type: application/json' -H 'Accept: application/json' ` +
        'https://orchestration.example.com:8004/v1/0123456789abcdef0123456789abcdef/stacks/kubebay-bay-master-0-abcdefghijkl/' +
        '01234567-89ab-cdef-0123-456789abcdef/resources/wait_handle/signal',
    WAIT_CONDITION_TIMEOUT: String(options.waitConditionTimeout ?? 3600),
    // An enterprise bundle: root and intermediate CA, RSA-4096 sized.
    OPENSTACK_CA: b64(pemBlock('CERTIFICATE', randomBytes(1400)) + pemBlock('CERTIFICATE', randomBytes(1400))),
    OPENSTACK_AUTH_URL: 'https://identity.example.com:5000/v3',
    OPENSTACK_REGION: 'RegionOne',
    APPLICATION_CREDENTIAL_ID: randomBytes(16).toString('hex'),
    APPLICATION_CREDENTIAL_SECRET: randomBytes(64).toString('base64url'),
    CLOUD_SUBNET_ID: '5d2c7e1a-0b3f-4a8e-9c6d-7f1e2a3b4c5d',
    HTTP_PROXY: 'http://egress-proxy.infra.example.internal:3128',
    HTTPS_PROXY: 'http://egress-proxy.infra.example.internal:3128',
    FIXED_NETWORK_CIDR: '10.0.0.0/24',
    NO_PROXY: ',.example.internal,identity.example.com,orchestration.example.com,192.0.2.0/24',
    DNS_CLUSTER_DOMAIN: 'k8s.example.internal',
    // The image prefix and insecure registry of test/fixtures/userdata-all-options.json (deploy-time sizes compare with render-time ones).
    CONTAINER_INFRA_PREFIX: 'registry.example.internal:5000/k8s/',
    INSECURE_REGISTRY_URL: 'registry.example.internal:5000',
  };
}
