/**
 * `kubebay token create`: the bay's bootstrap token is re-armed in the
 * cluster (through the API, as a kubeadm bootstrap-token Secret) for a
 * bounded time; with --rotate a new token is created and then recorded in
 * the PKI store, so the next synth gives it to new nodes.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { parse } from 'yaml';
import { tmpDir } from '../helpers';
import { BASE_CONFIG, cli, writeConfig } from './run-cli';

interface Api {
  readonly kubeconfig: string;
  readonly requests: { method?: string; url?: string; body: any }[];
  close(): Promise<void>;
}

/** A fake API server (plain HTTP, as through `kubectl proxy`) answering POSTs with `status`, PUTs with 200. */
async function fakeApi(status: number): Promise<Api> {
  const requests: Api['requests'] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, body: text ? JSON.parse(text) : undefined });
      const code = req.method === 'PUT' ? 200 : status;
      res.writeHead(code, { 'content-type': 'application/json' });
      const message = status === 409 ? 'secrets "bootstrap-token-x" already exists' : 'secrets is forbidden: User "x" cannot create resource';
      res.end(JSON.stringify(code < 300 ? {} : { kind: 'Status', message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = path.join(tmpDir('kubebay-token-'), 'admin.conf');
  fs.writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1', 'kind: Config', 'current-context: demo',
      `clusters: [{name: demo, cluster: {server: "http://127.0.0.1:${port}"}}]`,
      'users: [{name: admin, user: {token: test}}]',
      'contexts: [{name: demo, context: {cluster: demo, user: admin}}]', '',
    ].join('\n'),
  );
  return { kubeconfig, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A config with its own store (the command changes it), synthesized once for HOT into `out`. */
async function deployedBay(): Promise<{ config: string; token: () => string; out: string }> {
  const pkiDir = path.join(tmpDir('kubebay-pki-'), 'pki');
  const config = writeConfig(BASE_CONFIG.map((l) => (l.startsWith('pkiDir') ? `pkiDir: ${pkiDir}` : l)));
  const out = tmpDir('kubebay-token-out-');
  expect((await cli('synth', '-c', config, '-t', 'hot', '-o', out)).status).toBe(0);
  return { config, out, token: () => fs.readFileSync(path.join(pkiDir, 'demo', 'bootstrap-token'), 'utf8').trim() };
}

/** The bootstrap_token value of the HOT secrets file below `out`. */
function hotToken(out: string): string {
  const file = fs.readdirSync(out, { recursive: true }).map(String).find((f) => f.endsWith('secrets.env.yaml'))!;
  return parse(fs.readFileSync(path.join(out, file), 'utf8')).parameters.bootstrap_token;
}

test('GIVEN a deployed bay whose token Secret exists WHEN token create runs THEN the same token (the one in the user data) is re-armed for 24 h and the store is unchanged', async () => {
  const bay = await deployedBay();
  const old = bay.token();
  const api = await fakeApi(409);
  try {
    const r = await cli('token', 'create', '-c', bay.config, '-k', api.kubeconfig);

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(bay.token()).toBe(old);
    const [id, secret] = old.split('.');
    expect(api.requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      'POST /api/v1/namespaces/kube-system/secrets',
      `PUT /api/v1/namespaces/kube-system/secrets/bootstrap-token-${id}`,
    ]);
    expect(api.requests[1].body.stringData).toMatchObject({ 'token-id': id, 'token-secret': secret });
    const left = Date.parse(api.requests[1].body.stringData.expiration) - Date.now();
    expect(left).toBeGreaterThan(23.9 * 3600 * 1000);
    expect(left).toBeLessThanOrEqual(24 * 3600 * 1000);
    expect(r.stdout).toContain('nothing else changes');
    expect(r.stdout).not.toContain(secret);
  } finally {
    await api.close();
  }
});

test('GIVEN a deployed bay WHEN token create --rotate --ttl 2h runs THEN the cluster gets a bootstrap-token Secret expiring in 2 h, the store records the token and the next synth uses it', async () => {
  const bay = await deployedBay();
  const old = bay.token();
  const api = await fakeApi(201);
  try {
    const before = Date.now();
    const r = await cli('token', 'create', '-c', bay.config, '-k', api.kubeconfig, '--rotate', '--ttl', '2h');

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const token = bay.token();
    expect(token).not.toBe(old);
    expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const [id, secret] = token.split('.');
    expect(api.requests).toHaveLength(1);
    const { method, url, body } = api.requests[0];
    expect([method, url]).toEqual(['POST', '/api/v1/namespaces/kube-system/secrets']);
    expect(body).toMatchObject({
      kind: 'Secret',
      type: 'bootstrap.kubernetes.io/token',
      metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
      stringData: {
        'token-id': id, 'token-secret': secret, 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'true',
        'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
      },
    });
    const expires = Date.parse(body.stringData.expiration);
    expect(expires - before).toBeGreaterThanOrEqual(2 * 3600 * 1000 - 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(2 * 3600 * 1000 + 1000);
    expect(r.stdout).toContain(`created bootstrap token ${id} of bay "demo"`);
    expect(r.stdout).not.toContain(secret);

    const out = tmpDir('kubebay-token-out-');
    expect((await cli('synth', '-c', bay.config, '-t', 'hot', '-o', out)).status).toBe(0);
    expect(hotToken(bay.out)).toBe(old);
    expect(hotToken(out)).toBe(token);
  } finally {
    await api.close();
  }
});

test('GIVEN an API that refuses the Secret WHEN token create runs THEN it fails with the API’s answer and the store keeps its token', async () => {
  const bay = await deployedBay();
  const old = bay.token();
  const api = await fakeApi(403);
  try {
    const r = await cli('token', 'create', '-c', bay.config, '-k', api.kubeconfig, '--rotate');

    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/HTTP 403: secrets is forbidden.*the store keeps its token/);
    expect(bay.token()).toBe(old);
  } finally {
    await api.close();
  }
});

test.each(['0s', '1d', ''])('GIVEN --ttl %j WHEN token create runs THEN it fails naming --ttl and the fix, before calling the API', async (ttl) => {
  const bay = await deployedBay();
  const api = await fakeApi(201);
  try {
    const r = await cli('token', 'create', '-c', bay.config, '-k', api.kubeconfig, '--ttl', ttl);

    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--ttl: ".*" is not a positive duration; write it as hours, minutes and seconds, e\.g\. 24h/);
    expect(api.requests).toHaveLength(0);
  } finally {
    await api.close();
  }
});
