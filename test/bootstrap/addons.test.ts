/** The cloud add-on manifests (OpenStack CCM, Cinder CSI): pinned, rendered, carried in the first master's user data. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { parse, parseAllDocuments } from 'yaml';
import { ADDONS_PATH, addons, renderUserData, UserDataOptions } from '../../lib/bootstrap';

const { addonManifest, ADDON_IMAGES, CLOUD_PROVIDER_OPENSTACK_VERSION, CLOUD_CONFIG_SECRET } = addons;
const objects = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
const ALL = { clusterName: 'prod', cloudControllerManager: true, cinderCsi: true };

function containers(o: any): any[] {
  return o.spec?.template?.spec?.containers ?? [];
}

describe('add-on manifests', () => {
  test('every image is pinned to a version tag, the provider images to the pinned cloud-provider-openstack release', () => {
    const images = objects(addonManifest(ALL)).flatMap(containers).map((c) => c.image as string);
    expect(new Set(images)).toEqual(new Set(Object.values(ADDON_IMAGES)));
    for (const image of images) expect(image).toMatch(/^registry\.k8s\.io\/[a-z-/]+:v\d+\.\d+\.\d+$/);
    expect(ADDON_IMAGES.cloudControllerManager).toBe(`registry.k8s.io/provider-os/openstack-cloud-controller-manager:${CLOUD_PROVIDER_OPENSTACK_VERSION}`);
    expect(ADDON_IMAGES.cinderCsiPlugin).toBe(`registry.k8s.io/provider-os/cinder-csi-plugin:${CLOUD_PROVIDER_OPENSTACK_VERSION}`);
  });

  test('the controllers name cloud resources after the bay and read cloud.conf from the cloud-config Secret', () => {
    const all = objects(addonManifest(ALL));
    const ccm = all.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'openstack-cloud-controller-manager');
    expect(containers(ccm)[0].env).toEqual(expect.arrayContaining([{ name: 'CLUSTER_NAME', value: 'prod' }, { name: 'CLOUD_CONFIG', value: '/etc/config/cloud.conf' }]));
    expect(ccm.spec.template.spec.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    for (const o of all.filter((x) => ['DaemonSet', 'Deployment'].includes(x.kind))) {
      expect(o.spec.template.spec.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ secret: { secretName: CLOUD_CONFIG_SECRET } })]));
    }
  });

  test('Cinder CSI brings a default StorageClass, so claims without a class are provisioned', () => {
    const sc = objects(addonManifest({ clusterName: 'prod', cinderCsi: true })).find((o) => o.kind === 'StorageClass');
    expect(sc).toMatchObject({
      provisioner: 'cinder.csi.openstack.org',
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  });

  test('each option adds only its own objects', () => {
    const kinds = (o: object) => objects(addonManifest({ clusterName: 'p', ...o })).map((x) => `${x.kind}/${x.metadata.name}`);
    expect(kinds({ cloudControllerManager: true })).not.toContain('StorageClass/csi-cinder');
    expect(kinds({ cinderCsi: true })).not.toContain('DaemonSet/openstack-cloud-controller-manager');
    expect(addonManifest({ clusterName: 'p' })).toBe('');
  });

  test('the rendered objects validate against the Kubernetes OpenAPI schemas (scripts/check-addons.mjs)', () => {
    const script = path.join(__dirname, '..', '..', 'scripts', 'check-addons.mjs');
    const r = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      env: { ...process.env, KUBEBAY_BOOTSTRAP_MODULE: path.join(__dirname, '..', '..', 'dist', 'lib', 'bootstrap', 'index.js') },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/add-on manifests OK: 20 objects/);
  });

  test("the first master's user data carries exactly the rendered manifest, gzipped, and applies it after the cloud-config Secret", () => {
    const opts: UserDataOptions = {
      role: 'first-master', preinstalledPackages: false, podNetworkCidr: '10.100.0.0/16', serviceCidr: '10.254.0.0/16',
      clusterName: 'prod', dockerVolume: false, cloudControllerManager: true, cinderCsi: true,
    };
    const files = parse(renderUserData(opts).text).write_files as any[];
    const f = files.find((x) => x.path === ADDONS_PATH);
    expect(f.encoding).toBe('gz+b64');
    expect(gunzipSync(Buffer.from(f.content, 'base64')).toString('utf8')).toBe(addonManifest(ALL));
    const script = gunzipSync(Buffer.from(files.find((x) => x.path.endsWith('kubebay-bootstrap')).content, 'base64')).toString('utf8');
    expect(script.indexOf('retry 20 15 cloud_secret')).toBeGreaterThan(script.indexOf('kube-flannel.yml'));
    expect(script.indexOf(`apply -f ${ADDONS_PATH}`)).toBeGreaterThan(script.indexOf('retry 20 15 cloud_secret'));
  });
});
