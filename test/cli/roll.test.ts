/**
 * `kubebay roll` end to end with a stub `terraform` and `kubectl` (scripts
 * that record their calls) and a stub Kubernetes API on 127.0.0.1 whose
 * nodes come back with a new boot id once their server was replaced.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { tmpDir } from '../helpers';
import { BASE_CONFIG, cli, writeConfig } from './run-cli';

const STATE = ['0', '1', '2'].map((k) => `openstack_compute_instance_v2.demo_master_server["${k}"]`)
  .concat(['0', '1'].map((k) => `openstack_compute_instance_v2.demo_minion_server["${k}"]`));

function stub(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/usr/bin/env node\nconst fs = require('fs'), path = require('path');\nconst dir = ${JSON.stringify(dir)};\nconst args = process.argv.slice(2);\nfs.appendFileSync(path.join(dir, 'calls.log'), ${JSON.stringify(name)} + ' ' + args.join(' ') + '\\n');\n${body}\n`, { mode: 0o755 });
  return file;
}

/** Stub binaries and API in a temp dir; `boots/<node>` counts the replacements of a node's server. */
function fixture() {
  const dir = tmpDir('kubebay-roll-');
  fs.mkdirSync(path.join(dir, 'boots'));
  const terraform = stub(dir, 'terraform', `
if (args[0] === 'state') { process.stdout.write(${JSON.stringify(STATE.join('\n'))} + '\\n'); process.exit(0); }
for (const a of args.filter((x) => x.startsWith('-replace='))) {
  const m = /demo_(master|minion)_server\\["(\\d+)"\\]/.exec(a);
  const f = path.join(dir, 'boots', 'demo-' + m[1] + '-' + m[2]);
  fs.writeFileSync(f, String(Number(fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : 0) + 1));
}
console.log('Apply complete!');`);
  const kubectl = stub(dir, 'kubectl', `
if (args.includes('list')) { console.log('8e9e05c52164694d, started, demo-master-0, https://10.0.0.5:2380, https://10.0.0.5:2379, false'); console.log('91bc3c398fb3c146, started, demo-master-1, https://10.0.0.6:2380, https://10.0.0.6:2379, false'); console.log('a1b2c3d4e5f60718, started, demo-master-2, https://10.0.0.7:2380, https://10.0.0.7:2379, false'); }
else console.log('Member removed');`);
  const secrets: { method?: string; status: number; body: any }[] = [];
  let secretStatus = 201;
  const server = http.createServer((req, res) => {
    if ((req.url ?? '').includes('/secrets')) {
      // The bootstrap-token Secret roll re-arms first (recorded; answered with secretStatus).
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        secrets.push({ method: req.method, status: secretStatus, body: text ? JSON.parse(text) : undefined });
        res.writeHead(secretStatus, { 'content-type': 'application/json' });
        res.end(JSON.stringify(secretStatus < 300 ? {} : { kind: 'Status', message: 'secrets is forbidden' }));
      });
      return;
    }
    const name = decodeURIComponent((req.url ?? '').replace('/api/v1/nodes/', ''));
    const f = path.join(dir, 'boots', name);
    const boot = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '0';
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { bootID: `boot-${boot}` } } }));
  });
  return {
    dir, terraform, kubectl, server, secrets,
    refuseSecrets: (refuse: boolean) => (secretStatus = refuse ? 403 : 201),
    calls: () => (fs.existsSync(path.join(dir, 'calls.log')) ? fs.readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n') : []),
  };
}

describe('kubebay roll', () => {
  const f = fixture();
  let kubeconfig = '';
  beforeAll(async () => {
    await new Promise<void>((r) => f.server.listen(0, '127.0.0.1', r));
    const port = (f.server.address() as AddressInfo).port;
    kubeconfig = path.join(f.dir, 'admin.conf');
    fs.writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: admin@demo\nclusters:\n- name: demo\n  cluster: {server: "http://127.0.0.1:${port}"}\ncontexts:\n- name: admin@demo\n  context: {cluster: demo, user: admin}\nusers:\n- name: admin\n  user: {token: t}\n`);
  });
  afterAll(() => new Promise<void>((r) => f.server.close(() => r())));

  test('drives one terraform apply -replace per master, then per minion batch, and removes each master\'s etcd member first', async () => {
    // GIVEN a 3-master, 2-minion bay in the (stub) Terraform state
    const config = writeConfig([...BASE_CONFIG, 'updateMaxBatchSize: 2']);
    // WHEN
    const r = await cli('roll', '--config', config, '--dir', f.dir, '--kubeconfig', kubeconfig, '--terraform', f.terraform, '--kubectl', f.kubectl, '--timeout', '30');
    // THEN
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const applies = f.calls().filter((c) => c.startsWith('terraform apply'));
    expect(applies.map((c) => c.match(/-replace=\S+/g))).toEqual([
      ['-replace=openstack_compute_instance_v2.demo_master_server["2"]'],
      ['-replace=openstack_compute_instance_v2.demo_master_server["1"]'],
      ['-replace=openstack_compute_instance_v2.demo_master_server["0"]'],
      ['-replace=openstack_compute_instance_v2.demo_minion_server["0"]', '-replace=openstack_compute_instance_v2.demo_minion_server["1"]'],
    ]);
    const removes = f.calls().filter((c) => c.includes('member remove'));
    expect(removes.map((c) => c.split(' ').pop())).toEqual(['a1b2c3d4e5f60718', '91bc3c398fb3c146', '8e9e05c52164694d']);
    expect(removes[0]).toContain('exec etcd-demo-master-1 --');
    expect(r.stdout).toMatch(/demo-minion-0, demo-minion-1 Ready/);
  });

  test('with the bay\'s store here, the bootstrap token is re-armed before anything is replaced; a refusal stops the roll with nothing replaced', async () => {
    // GIVEN a bay synthesized here (its store holds the token in the nodes' user data)
    const pkiDir = path.join(tmpDir('kubebay-roll-pki-'), 'pki');
    const config = writeConfig(BASE_CONFIG.map((l) => (l.startsWith('pkiDir') ? `pkiDir: ${pkiDir}` : l)));
    expect((await cli('synth', '-c', config, '-t', 'hot', '-o', tmpDir('kubebay-roll-out-'))).status).toBe(0);
    const token = fs.readFileSync(path.join(pkiDir, 'demo', 'bootstrap-token'), 'utf8').trim();
    const args = ['roll', '--config', config, '--dir', f.dir, '--kubeconfig', kubeconfig, '--terraform', f.terraform, '--kubectl', f.kubectl, '--timeout', '30', '--only', 'minions'];
    // WHEN the API refuses the Secret THEN the roll stops first: no terraform apply, a reason and the way out
    f.refuseSecrets(true);
    const applies = () => f.calls().filter((c) => c.startsWith('terraform apply')).length;
    const before = applies();
    const refused = await cli(...args);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/the cluster did not take the token .*nothing was replaced.*kubebay token create/);
    expect(applies()).toBe(before);
    // WHEN the API takes it THEN the store's token (id and secret) is valid for 24 h, then the minions roll
    f.refuseSecrets(false);
    f.secrets.length = 0;
    const r = await cli(...args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [id, secret] = token.split('.');
    expect(f.secrets.map((x) => [x.method, x.body.metadata.name, x.body.stringData['token-id'], x.body.stringData['token-secret']])).toEqual([['POST', `bootstrap-token-${id}`, id, secret]]);
    expect(r.stdout).toMatch(/bootstrap token re-armed until \S+: replaced nodes can join/);
    expect(applies()).toBe(before + 2); // two minions, batches of one
  });

  test('without a kubeconfig it is a usage error naming --kubeconfig', async () => {
    const saved = process.env.KUBECONFIG;
    delete process.env.KUBECONFIG;
    try {
      const r = await cli('roll', '--config', writeConfig(BASE_CONFIG), '--dir', f.dir, '--terraform', f.terraform);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--kubeconfig FILE/);
    } finally {
      if (saved !== undefined) process.env.KUBECONFIG = saved;
    }
  });
});
