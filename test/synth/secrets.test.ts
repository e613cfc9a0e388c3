import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_BAY } from '../../stacks/example';
import { synthesizeBay } from '../../stacks/main';
import { inTempCwd } from '../helpers';

const synth = () => synthesizeBay(EXAMPLE_BAY, { tfOutdir: 'tf', hotOutdir: 'hot' });
const SECRET_ONLY_FILES = new Set(['secrets.env.yaml', 'kubeconfig']);
const PKI = '.kubebay/pki/example';

test('no private key, no key material and no bootstrap token in any synthesized template or config file', () =>
  inTempCwd(() => {
    // GIVEN the example synthesized to both formats
    synth();
    const token = fs.readFileSync(path.join(PKI, 'bootstrap-token'), 'utf8').trim();
    const keys = ['ca.key', 'front-proxy-ca.key', 'etcd-ca.key', 'sa.key', 'admin.key'].map((f) => fs.readFileSync(path.join(PKI, f), 'utf8'));
    const needles = [token, ...keys.flatMap((k) => [k.split('\n')[1], Buffer.from(k).toString('base64').slice(0, 60)])];
    const files = [...fs.readdirSync('hot/example').map((f) => path.join('hot/example', f)), 'tf/stacks/example/cdk.tf.json'];
    // WHEN every file but the two secret-holding ones is scanned
    const scanned = files.filter((f) => !SECRET_ONLY_FILES.has(path.basename(f)));
    expect(scanned.length).toBeGreaterThanOrEqual(5);
    for (const f of scanned) {
      const text = fs.readFileSync(f, 'utf8');
      // THEN
      expect({ f, privateKey: /PRIVATE KEY/.test(text) }).toEqual({ f, privateKey: false });
      for (const n of needles) expect({ f, leaks: text.includes(n) }).toEqual({ f, leaks: false });
    }
    // and the files that do hold secrets are 0600
    for (const f of ['hot/example/secrets.env.yaml', 'hot/example/kubeconfig']) {
      expect((fs.statSync(f).mode & 0o777).toString(8)).toBe('600');
    }
    expect(fs.readFileSync('hot/example/secrets.env.yaml', 'utf8')).toContain(token);
  }));

test('Terraform reads secrets at apply time and marks the kubeconfig output sensitive', () =>
  inTempCwd(() => {
    synth();
    const json = JSON.parse(fs.readFileSync('tf/stacks/example/cdk.tf.json', 'utf8'));
    const ud = json.resource.openstack_compute_instance_v2.example_master_server.user_data as string;
    expect(ud).toContain('sensitive(filebase64("${path.module}/../../../.kubebay/pki/example/ca.key"))');
    expect(json.output.example_kubeconfig.sensitive).toBe(true);
    // the relative path resolves to the store from the stack directory
    expect(fs.existsSync(path.resolve('tf/stacks/example', '../../../.kubebay/pki/example/ca.key'))).toBe(true);
  }));
