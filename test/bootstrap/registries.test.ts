/**
 * The deploy-time rendering of the registry options (issue 14:
 * container_infra_prefix, insecure_registry_url as parameters): what its
 * script does at boot with the values of bootstrap.env must give what the
 * rendering with the props writes at synth time — the same hosts.toml
 * files, add-on and network manifests, kubeadm imageRepository and sandbox
 * image. The boot-time sections run here in bash on temporary files (bash,
 * sed and grep only; the whole script runs in the bootstrap simulation).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ADDONS_PATH } from '../../lib/bootstrap/cloud';
import { addonManifest } from '../../lib/bootstrap/addons';
import {
  CONTAINERD_CERTS_D,
  addonImagesSection,
  egressFiles,
  flannelImagesSection,
  imageRepository,
  initImageRepositorySection,
  prefixManifestImages,
  registriesSection,
  sandboxImageSection,
} from '../../lib/bootstrap/egress';
import { initConfig } from '../../lib/bootstrap/kubeadm';
import { UserDataOptions, renderUserData, validateOptions } from '../../lib/bootstrap';
import { tmpDir } from '../tmp';

const PREFIX = 'registry.example.internal:5000/k8s/';
const MIRRORS = { 'docker.io': 'https://mirror.example.internal', 'registry.example.internal:5000': 'https://mirror2.example.internal' };
const BASE: UserDataOptions = {
  role: 'first-master',
  preinstalledPackages: false,
  podNetworkCidr: '10.100.0.0/16',
  serviceCidr: '10.254.0.0/16',
  clusterName: 'demo',
  dockerVolume: false,
  cloudControllerManager: true,
  cinderCsi: true,
};
const DEPLOY: UserDataOptions = { ...BASE, deployTimeRegistries: true };

/** Runs a script section in bash (with the header's `log` and `die`) in `dir`, with the environment file's variables. */
function bash(section: string, env: Record<string, string>, dir: string): { status: number | null; stderr: string } {
  const script = `set -euo pipefail\nlog() { :; }\ndie() { echo "$*" >&2; return 1; }\n${section}`;
  const r = spawnSync('bash', ['-c', script], { cwd: dir, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

/** Every file under `dir`, relative path → content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) out[path.relative(dir, path.join(f.parentPath, f.name))] = fs.readFileSync(path.join(f.parentPath, f.name), 'utf8');
  }
  return out;
}

describe('insecure_registry_url at boot: the hosts.toml files the props write', () => {
  test.each([
    ['one registry, no mirror', ['registry.example.internal:5000'], {}],
    ['two registries, one with a mirror (appended after it), a mirror alone', ['registry.example.internal:5000', '10.0.0.5:5000'], MIRRORS],
    ['none', [], MIRRORS],
  ])('%s', (_name, insecure, mirrors) => {
    const dir = tmpDir('kubebay-registries-');
    const certs = path.join(dir, 'certs.d');
    const write = (files: { path: string; content: string }[], root: string) => {
      for (const f of files) {
        const p = path.join(root, path.relative(CONTAINERD_CERTS_D, f.path));
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, f.content);
      }
    };
    // What the props write (render time), and what cloud-init writes in the deploy-time rendering (the mirrors).
    const expected = path.join(dir, 'expected');
    write(egressFiles({ ...BASE, registries: { mirrors, insecure } }), expected);
    write(egressFiles({ ...DEPLOY, registries: { mirrors } }), certs);
    const section = registriesSection(DEPLOY).split(CONTAINERD_CERTS_D).join(certs);
    const env = { KUBEBAY_CONTAINER_INFRA_PREFIX: '', KUBEBAY_INSECURE_REGISTRY_URL: insecure.join(',') };
    expect(bash(section, env, dir)).toMatchObject({ status: 0 });
    // Run twice (a bootstrap re-run): nothing appended again.
    expect(bash(section, env, dir)).toMatchObject({ status: 0 });
    expect(tree(fs.existsSync(certs) ? certs : dir + '/none')).toEqual(fs.existsSync(expected) ? tree(expected) : {});
  });
});

describe('container_infra_prefix at boot: the images the props give', () => {
  const manifest = addonManifest(BASE);

  test('the add-on manifests: every image rewritten exactly as prefixManifestImages does at render time', () => {
    const dir = tmpDir('kubebay-prefix-');
    const file = path.join(dir, 'addons.yaml');
    fs.writeFileSync(file, manifest);
    expect(bash(addonImagesSection(DEPLOY, file), { img_prefix: PREFIX }, dir)).toMatchObject({ status: 0 });
    const prefixed = fs.readFileSync(file, 'utf8');
    expect(prefixed).toBe(prefixManifestImages(manifest, PREFIX));
    expect(prefixed).not.toBe(manifest);
  });

  test('an empty prefix leaves the manifest as it is (the upstream registries)', () => {
    const dir = tmpDir('kubebay-prefix-');
    const file = path.join(dir, 'addons.yaml');
    fs.writeFileSync(file, manifest);
    expect(bash(addonImagesSection(DEPLOY, file), { img_prefix: '' }, dir)).toMatchObject({ status: 0 });
    expect(fs.readFileSync(file, 'utf8')).toBe(manifest);
  });

  test('the network manifest: the deploy-time section edits as the render-time one; an image the rule misses fails the bootstrap', () => {
    const dir = tmpDir('kubebay-prefix-');
    const text = '        image: ghcr.io/flannel-io/flannel:v0.26.7\n        image: ghcr.io/flannel-io/flannel-cni-plugin:v1.6.2-flannel1\n';
    for (const [name, section, env] of [
      ['render', flannelImagesSection({ ...BASE, imagePrefix: PREFIX }), {}],
      ['deploy', flannelImagesSection(DEPLOY), { img_prefix: PREFIX }],
    ] as const) {
      fs.writeFileSync(path.join(dir, name), text);
      expect(bash(`f=${name}\n${section}`, env, dir)).toMatchObject({ status: 0 });
    }
    expect(fs.readFileSync(path.join(dir, 'deploy'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'render'), 'utf8'));
    expect(fs.readFileSync(path.join(dir, 'deploy'), 'utf8')).toContain(`image: ${PREFIX}flannel:v0.26.7`);
    fs.writeFileSync(path.join(dir, 'plain'), '        image: busybox:1.36\n');
    const escaped = bash(`f=plain\n${flannelImagesSection(DEPLOY)}`, { img_prefix: PREFIX }, dir);
    expect(escaped.status).not.toBe(0);
    expect(escaped.stderr).toContain(`flannel manifest: an image escaped the prefix ${PREFIX}`);
  });

  test("kubeadm init: imageRepository added to the deploy-time init.yaml gives the props' ClusterConfiguration (once)", () => {
    const dir = tmpDir('kubebay-prefix-');
    const file = path.join(dir, 'init.yaml');
    fs.writeFileSync(file, initConfig(DEPLOY));
    const section = initImageRepositorySection(DEPLOY, file);
    expect(bash(section, { img_prefix: PREFIX }, dir)).toMatchObject({ status: 0 });
    expect(bash(section, { img_prefix: PREFIX }, dir)).toMatchObject({ status: 0 });
    const docs = (t: string) => parseAllDocuments(t.replace(/@@[A-Z_]+@@/g, '1')).map((d) => d.toJS());
    expect(docs(fs.readFileSync(file, 'utf8'))).toEqual(docs(initConfig({ ...BASE, imagePrefix: PREFIX })));
    fs.writeFileSync(file, initConfig(DEPLOY));
    expect(bash(section, { img_prefix: '' }, dir)).toMatchObject({ status: 0 });
    expect(fs.readFileSync(file, 'utf8')).toBe(initConfig(DEPLOY));
  });

  test("containerd's sandbox image: the image kubeadm names, from the prefix (what --image-repository gives)", () => {
    const dir = tmpDir('kubebay-prefix-');
    const r = spawnSync('bash', ['-c', `set -eu\npause=registry.k8s.io/pause:3.10\n${sandboxImageSection(DEPLOY)}echo "$pause"`], { cwd: dir, env: { PATH: process.env.PATH, img_prefix: PREFIX }, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(`${imageRepository(PREFIX)}/pause:3.10`);
  });
});

describe('the deploy-time rendering', () => {
  const env = (o: UserDataOptions) => renderUserData(o).text.match(/bootstrap\.env\n {4}content: \|\n((?: {6}.*\n)+)/)![1];

  test('its environment file carries both values; the rendering with the props carries neither', () => {
    expect(env(DEPLOY)).toContain("KUBEBAY_CONTAINER_INFRA_PREFIX='@@CONTAINER_INFRA_PREFIX@@'\n");
    expect(env(DEPLOY)).toContain("KUBEBAY_INSECURE_REGISTRY_URL='@@INSECURE_REGISTRY_URL@@'\n");
    expect(env({ ...BASE, imagePrefix: PREFIX, registries: { insecure: ['registry.example.internal:5000'] } })).not.toMatch(/CONTAINER_INFRA_PREFIX|INSECURE_REGISTRY_URL/);
  });

  test('a node that pulls no image itself (preinstalled minion) reads only the registries', () => {
    const minion = { ...DEPLOY, role: 'minion' as const, preinstalledPackages: true };
    expect(env(minion)).toContain('KUBEBAY_INSECURE_REGISTRY_URL=');
    expect(env(minion)).not.toContain('CONTAINER_INFRA_PREFIX');
  });

  test('no literal prefix or insecure registry anywhere; containerd always pointed at certs.d; the add-ons gzipped unprefixed', () => {
    const r = renderUserData(DEPLOY);
    expect(r.script).toContain('img_prefix=$KUBEBAY_CONTAINER_INFRA_PREFIX\n');
    expect(r.script).toContain(`#\\1"${CONTAINERD_CERTS_D}"#'`);
    expect(r.script).toContain(`f=${ADDONS_PATH}\n`);
    expect(r.script.indexOf(`f=${ADDONS_PATH}\n`)).toBeLessThan(r.script.indexOf(`apply -f ${ADDONS_PATH}`));
  });

  test('refused with a render-time prefix or insecure registries (the script reads them from bootstrap.env)', () => {
    expect(() => validateOptions({ ...DEPLOY, imagePrefix: PREFIX })).toThrow(/deployTimeRegistries: .*leave imagePrefix and registries.insecure unset/);
    expect(() => validateOptions({ ...DEPLOY, registries: { insecure: [] } })).toThrow(/deployTimeRegistries/);
  });
});
