/**
 * The cloud integration of a bay (issue 11): the CA bundle, the application
 * credential (never in a template), cloud-controller-manager and Cinder CSI,
 * in both formats.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakePkcs8Key } from '../fixtures/pem';
import { parse } from 'yaml';
import { BASE_PROPS, hotBay, tfBay, tmpDir } from '../helpers';
import { formatIssue, KubernetesBayProps, validateProps } from '../../lib';
import { resolveProps } from '../../lib/bay/defaults';
import { hotUserData as serverUserData } from './userdata-files';

const dir = tmpDir('kubebay-cloud-');
const SECRET = 'aPp-CrEd-SeCrEt-0123456789abcdef';
const secretFile = path.join(dir, 'appcred.secret');
fs.writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
// Any PEM certificate will do: the cluster CA of a throwaway bay store would need a synth; use a fixed test CA.
const caFile = path.join(dir, 'cloud-ca.pem');
const CA_PEM = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'cloud-ca.pem'), 'utf8');
fs.writeFileSync(caFile, CA_PEM);

const CLOUD: Partial<KubernetesBayProps> = {
  openstackCaFile: caFile,
  openstackAuthUrl: 'https://keystone.example.com:5000/v3',
  openstackRegion: 'RegionTwo',
  applicationCredential: { id: 'a1b2c3d4e5f6', secretFile },
};

/** The str_replace of a HOT user data (rendered with the props): first master (`then` of the if) or the only one. */
function hotUserData(doc: any, server: string, firstMaster = true): { template: string; params: Record<string, unknown> } {
  return serverUserData(doc.resources[server].properties.user_data, firstMaster);
}
function writeFile(userData: string, file: string): { content: string; encoding?: string } | undefined {
  return (parse(userData).write_files as any[]).find((f) => f.path === file);
}

describe('a bay with an application credential (HOT)', () => {
  const hot = hotBay({ name: 'cloudy', ...CLOUD });
  const root = hot.docs.get('kubecluster.yaml');
  const master = hot.docs.get('kubemaster.yaml');
  const minion = hot.docs.get('kubeminion.yaml');

  test('the secret is a hidden parameter whose value is only in secrets.env.yaml, never in a template', () => {
    expect(root.parameters.application_credential_secret).toMatchObject({ type: 'string', hidden: true });
    expect(hot.set.secretParameters.application_credential_secret).toBe(SECRET);
    for (const [, doc] of hot.docs) expect(JSON.stringify(doc)).not.toContain(SECRET);
  });

  test("the first master writes cloud.conf (0600) from the credential, region and subnet, with the CA as ca-file", () => {
    const { template, params } = hotUserData(master, 'cloudy_master_server');
    const conf = writeFile(template, '/etc/kubernetes/cloud-config/cloud.conf') as any;
    expect(conf.permissions).toBe('0600');
    // Public values are written into the text; the secret and the subnet id are str_replace params.
    expect(conf.content).toContain('application-credential-secret="@@APPLICATION_CREDENTIAL_SECRET@@"');
    expect(conf.content).toContain('application-credential-id="a1b2c3d4e5f6"');
    expect(conf.content).toContain('auth-url="https://keystone.example.com:5000/v3"');
    expect(conf.content).toContain('region="RegionTwo"');
    expect(conf.content).toContain('subnet-id="@@CLOUD_SUBNET_ID@@"');
    expect(conf.content).toContain('ca-file="/etc/config/ca.crt"');
    expect(params['@@APPLICATION_CREDENTIAL_SECRET@@']).toEqual({ get_param: 'application_credential_secret' });
    expect(params['@@CLOUD_SUBNET_ID@@']).toEqual({ get_param: 'cloudy_fixed_subnet' });
    expect(writeFile(template, '/etc/kubernetes/addons/cloud-addons.yaml')).toMatchObject({ encoding: 'gz+b64' });
  });

  test('only the first master gets the credential; every node gets the CA bundle and kubelets run with cloud-provider=external', () => {
    const other = hotUserData(master, 'cloudy_master_server', false);
    const worker = serverUserData(minion.resources.cloudy_minion_server.properties.user_data);
    for (const ud of [other, worker]) {
      expect(ud.template).not.toContain('APPLICATION_CREDENTIAL');
      expect(writeFile(ud.template, '/usr/local/share/ca-certificates/kubebay-openstack-ca.crt')).toEqual(
        expect.objectContaining({ encoding: 'b64', content: Buffer.from(CA_PEM).toString('base64') }),
      );
      const join = parse(writeFile(ud.template, '/etc/kubernetes/kubeadm/join.yaml')!.content.replace(/@@KUBERNETES_PORT@@/g, '6443'));
      expect(join.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'cloud-provider', value: 'external' }]);
    }
  });
});

describe('a bay with an application credential (Terraform)', () => {
  const tf = tfBay({ name: 'cloudytf', ...CLOUD });
  const text = JSON.stringify(tf.json);

  test('the secret is read from its file at apply time as a sensitive value, never copied into the JSON', () => {
    expect(text).not.toContain(SECRET);
    const userData = tf.json.resource.openstack_compute_instance_v2.cloudytf_master_server.user_data as string;
    expect(userData).toMatch(/sensitive\(trimspace\(file\("\$\{path\.module\}\/[^"]*appcred\.secret"\)\)\)/);
  });
});

describe('without credentials', () => {
  test('the bay stays as before: no cloud.conf, no external cloud provider, no credential parameter', () => {
    const hot = hotBay({ name: 'plain' });
    const root = hot.docs.get('kubecluster.yaml');
    const { template } = hotUserData(hot.docs.get('kubemaster.yaml'), 'plain_master_server');
    expect(root.parameters.application_credential_secret).toBeUndefined();
    expect(template).not.toContain('cloud.conf');
    expect(template).not.toContain('cloud-provider');
    expect(template).not.toContain('update-ca-certificates');
  });

  test('the CA bundle alone is installed on every node, without the controllers', () => {
    const hot = hotBay({ name: 'caonly', openstackCaFile: caFile });
    const { template } = hotUserData(hot.docs.get('kubemaster.yaml'), 'caonly_master_server');
    expect(writeFile(template, '/usr/local/share/ca-certificates/kubebay-openstack-ca.crt')).toMatchObject({ encoding: 'b64' });
    expect(template).not.toContain('cloud-provider');
  });

  test('cloudControllerManager: false keeps Cinder CSI alone (kubelets keep the default cloud provider)', () => {
    const hot = hotBay({ name: 'csionly', ...CLOUD, cloudControllerManager: false });
    const { template } = hotUserData(hot.docs.get('kubemaster.yaml'), 'csionly_master_server');
    expect(template).toContain('cloud-addons.yaml');
    expect(template).not.toContain('cloud-provider');
  });
});

describe('validation of the cloud props', () => {
  const errors = (props: Partial<KubernetesBayProps>) => validateProps(resolveProps('v', { ...BASE_PROPS, ...props } as KubernetesBayProps)).map(formatIssue);

  test.each<[string, Partial<KubernetesBayProps>, RegExp]>([
    ['CCM without credentials', { cloudControllerManager: true }, /^cloudControllerManager: true needs OpenStack credentials; set applicationCredential/],
    ['Cinder CSI without credentials', { cinderCsi: true }, /^cinderCsi: true needs OpenStack credentials/],
    ['no auth URL', { applicationCredential: { id: 'x', secretFile } }, /^openstackAuthUrl: undefined is missing .*give the Keystone v3 URL/],
    ['an unreadable secret file', { ...CLOUD, applicationCredential: { id: 'x', secretFile: '/nonexistent/s' } }, /^applicationCredential\.secretFile: "\/nonexistent\/s" cannot be read \(ENOENT\)/],
    ['a CA file with a private key', { openstackCaFile: path.join(__dirname, '..', 'fixtures', 'cloud-ca.pem') + '.missing' }, /^openstackCaFile: .* cannot be read/],
  ])('%s is reported naming the prop and the fix', (_what, props, message) => {
    expect(errors(props).some((e) => message.test(e))).toBe(true);
  });

  test('a CA bundle holding a private key or no certificate is refused', () => {
    const withKey = path.join(dir, 'with-key.pem');
    fs.writeFileSync(withKey, `${CA_PEM}${fakePkcs8Key('AAAA')}`);
    const empty = path.join(dir, 'empty.pem');
    fs.writeFileSync(empty, 'nothing\n');
    expect(errors({ openstackCaFile: withKey })).toEqual([expect.stringMatching(/^openstackCaFile: .* holds a private key/)]);
    expect(errors({ openstackCaFile: empty })).toEqual([expect.stringMatching(/^openstackCaFile: .* holds no PEM certificate/)]);
  });

  test('valid cloud props give no error', () => {
    expect(errors(CLOUD)).toEqual([]);
  });
});

describe("Nova's user-data limit", () => {
  test('a CA bundle that would push the first master over 65,535 bytes of base64 is a validation error naming the fix', () => {
    const big = path.join(dir, 'big-bundle.pem');
    fs.writeFileSync(big, CA_PEM.repeat(40));
    expect(() => hotBay({ name: 'toobig', ...CLOUD, openstackCaFile: big })).toThrow(
      /the first-master user data would be about \d+ bytes of base64, above Nova's 65535-byte limit; use a smaller openstackCaFile/,
    );
  });

  test('every option on with an ordinary CA bundle fits', () => {
    expect(() => hotBay({ name: 'fits', ...CLOUD })).not.toThrow();
  });
});
