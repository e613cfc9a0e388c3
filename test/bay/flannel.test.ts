/**
 * flannel's manifest pinned by sha256 (issue 14): the pinned file, the first
 * master's check (its shell run here against the release's own manifest,
 * test/fixtures/flannel, with stub commands), `flannelManifest`, the
 * refusals, and the day-2 gate: the bay record says which bays check the
 * manifest; a bay recorded before keeps its first master's user data.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { KubernetesBayProps, PkiStore, synthesizeBay } from '../../lib';
import { FLANNEL_MANIFEST_SHA256, FLANNEL_MANIFEST_URL, FLANNEL_RELEASE_ASSET_URL, FLANNEL_VERSION } from '../../lib/bootstrap';
import { exportPki, importPki } from '../../lib/pki';
import { BASE_PROPS, hotBay, tfBay, tfResources } from '../helpers';
import { cli, BASE_CONFIG, writeConfig } from '../cli/run-cli';
import { asValidationError, thrownBy } from '../support/validation';
import { tmpDir } from '../tmp';
import { runManifestSection } from '../support/manifest-section';
import { hotCloudConfig, tfCloudConfig } from './userdata-files';

const SCRIPT = '/usr/local/sbin/kubebay-bootstrap';
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'flannel', `kube-flannel-${FLANNEL_VERSION}.yml`);
const MIRROR = '/work/.mirror/flannel-io+flannel/repo';
const MIRROR_URL = 'http://mirror.example.internal/flannel/kube-flannel.yml';
const fixtureSha = createHash('sha256').update(fs.readFileSync(FIXTURE)).digest('hex');

const hotScript = (docs: Map<string, any>, bay = 'demo', first = true) =>
  hotCloudConfig(docs.get('kubemaster.yaml').resources[`${bay}_master_server`].properties.user_data, first).files.get(SCRIPT)!;
const tfScript = (json: any, bay = 'demo') =>
  tfCloudConfig(tfResources(json).find(([t, n]) => t === 'openstack_compute_instance_v2' && n === `${bay}_master_server`)![2].user_data).files.get(SCRIPT)!;
const script = (props: Partial<KubernetesBayProps> = {}) => hotScript(hotBay(props).docs);
const refused = (props: object) => asValidationError(thrownBy(() => hotBay(props))).errors;

/** The flannel section of the first master's script, run by bash with stubs (test/support/manifest-section.ts). */
const runSection = (text: string, served: string) => runManifestSection(text, served, { start: 'flannel', end: 'apply -f "$f"', file: 'kube-flannel.yml' });

describe('the pinned release', () => {
  test(`${FLANNEL_VERSION}: the tag's Documentation/kube-flannel.yml from raw.githubusercontent.com, whose sha256 the fixture has`, () => {
    expect(FLANNEL_MANIFEST_URL).toBe(`https://raw.githubusercontent.com/flannel-io/flannel/${FLANNEL_VERSION}/Documentation/kube-flannel.yml`);
    expect(fixtureSha).toBe(FLANNEL_MANIFEST_SHA256);
    const images = [...fs.readFileSync(FIXTURE, 'utf8').matchAll(/image: (\S+)/g)].map((m) => m[1]);
    expect(new Set(images)).toEqual(new Set(['ghcr.io/flannel-io/flannel-cni-plugin:v1.6.2-flannel1', `ghcr.io/flannel-io/flannel:${FLANNEL_VERSION}`]));
  });

  // The sha256 against the tagged blob, where a clone of flannel-io/flannel is at hand (this machine's mirror).
  const clone = fs.existsSync(MIRROR) ? MIRROR : undefined;
  if (!clone) process.stderr.write(`\nflannel: sha256 check against the tag skipped: no clone of flannel-io/flannel at ${MIRROR}\n`);
  (clone ? test : test.skip)("the recorded sha256 is the tag's blob's, and the fixture is that blob", () => {
    const blob = spawnSync('git', ['-C', clone!, 'show', `${FLANNEL_VERSION}:Documentation/kube-flannel.yml`], { maxBuffer: 1 << 20 }).stdout;
    expect(createHash('sha256').update(blob).digest('hex')).toBe(FLANNEL_MANIFEST_SHA256);
    expect(blob.equals(fs.readFileSync(FIXTURE))).toBe(true);
  });
});

describe('the first master of a new bay checks the manifest', () => {
  test('the pinned manifest, checked against its sha256 after kubeadm init and before any edit or apply', () => {
    const text = script();
    expect(text).toContain(`retry 10 15 curl -fsSL --max-time 60 -o "$f" ${FLANNEL_MANIFEST_URL}\n  sha=$(sha256sum "$f" | cut -d ' ' -f 1)\n`);
    expect(text).toContain(`[[ $sha == ${FLANNEL_MANIFEST_SHA256} ]] || die "flannel manifest ${FLANNEL_MANIFEST_URL}: sha256 $sha, expected ${FLANNEL_MANIFEST_SHA256}; nothing applied"`);
    const at = (s: string) => text.indexOf(s);
    expect(at('kubeadm_retry init')).toBeLessThan(at('sha256sum "$f"'));
    expect(at('sha256sum "$f"')).toBeLessThan(at(`sed -i 's#"Network"`));
    expect(at('sha256sum "$f"')).toBeLessThan(at('apply -f "$f"'));
    expect(text).not.toContain(FLANNEL_RELEASE_ASSET_URL);
  });

  test("the release's manifest passes; the pod network, host-gw and the image prefix are edited in after the check, then it is applied", () => {
    const run = runSection(script({ podNetworkCidr: '172.20.0.0/16', flannelBackend: 'host-gw', containerInfraPrefix: 'registry.example.internal:5000/k8s/' }), FIXTURE);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.manifest).toContain('"Network": "172.20.0.0/16"');
    expect(run.manifest).toContain('"Type": "host-gw"');
    expect([...new Set([...run.manifest.matchAll(/image: (\S+)/g)].map((m) => m[1]))].sort()).toEqual(
      ['flannel-cni-plugin:v1.6.2-flannel1', `flannel:${FLANNEL_VERSION}`].map((i) => `registry.example.internal:5000/k8s/${i}`),
    );
    expect(run.kubectl).toMatch(/^--kubeconfig \S+\/admin\.conf apply -f \S+\/kubeadm\/kube-flannel\.yml\n$/);
  });

  test('another manifest fails the bootstrap naming the expected and the actual sha256, and nothing is edited or applied', () => {
    const other = path.join(tmpDir(), 'other.yml');
    fs.writeFileSync(other, fs.readFileSync(FIXTURE, 'utf8').replace(`flannel:${FLANNEL_VERSION}`, 'flannel:v0.26.6'));
    const actual = createHash('sha256').update(fs.readFileSync(other)).digest('hex');
    const run = runSection(script(), other);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`DIE: flannel manifest ${FLANNEL_MANIFEST_URL}: sha256 ${actual}, expected ${FLANNEL_MANIFEST_SHA256}; nothing applied\n`);
    expect(run.manifest).toContain('"Network": "10.244.0.0/16"');
    expect(run.kubectl).toBe('');
  });

  test('flannelManifest: the mirror and its sha256 instead of the release; edits still applied after the check', () => {
    const text = script({ flannelManifest: { url: MIRROR_URL, sha256: fixtureSha } });
    expect(text).toContain(`retry 10 15 curl -fsSL --max-time 60 -o "$f" ${MIRROR_URL}\n`);
    expect(text).not.toContain(FLANNEL_MANIFEST_URL);
    const run = runSection(text, FIXTURE);
    expect(run.status).toBe(0);
    expect(run.manifest).toContain('"Network": "10.100.0.0/16"');
    const bad = runSection(script({ flannelManifest: { url: MIRROR_URL, sha256: 'f'.repeat(64) } }), FIXTURE);
    expect(bad.stderr).toContain(`sha256 ${fixtureSha}, expected ${'f'.repeat(64)}; nothing applied`);
    expect(bad.kubectl).toBe('');
  });

  test('the other masters and the minions do not change', () => {
    const plain = hotBay();
    const mirrored = hotBay({ flannelManifest: { url: MIRROR_URL, sha256: fixtureSha } });
    expect(hotScript(mirrored.docs, 'demo', false)).toBe(hotScript(plain.docs, 'demo', false));
    expect(mirrored.docs.get('kubeminion.yaml')).toEqual(plain.docs.get('kubeminion.yaml'));
  });
});

describe('refusals', () => {
  test.each([
    [{ flannelManifest: { url: 'http://m/k.yml?x=1', sha256: 'a'.repeat(64) } }, /flannelManifest\.url: "http:\/\/m\/k\.yml\?x=1" is not an http\(s\) URL the bootstrap can fetch safely; give e\.g\. 'http:\/\/mirror\.example\.internal\/flannel\/v0\.26\.7\/kube-flannel\.yml'/],
    [{ flannelManifest: { url: 'ftp://m/k.yml', sha256: 'a'.repeat(64) } }, /flannelManifest\.url: "ftp:\/\/m\/k\.yml" is not an http\(s\) URL/],
    [{ flannelManifest: { url: 'http://m/k.yml', sha256: 'ABC' } }, /flannelManifest\.sha256: "ABC" is not a sha256; give the 64 lowercase hex digits of `sha256sum kube-flannel\.yml`/],
    [{ flannelManifest: { url: 'http://m/k.yml' } }, /flannelManifest\.sha256: undefined is not a sha256/],
    [{ networkDriver: 'calico', flannelManifest: { url: 'http://m/k.yml', sha256: 'a'.repeat(64) } }, /flannelManifest: "http:\/\/m\/k\.yml" is a flannel option, and networkDriver is calico; leave flannelManifest out \(calicoManifest is the Calico one\)/],
  ])('%j', (props, message) => {
    const errors = refused(props);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });
});

describe('the config file', () => {
  test('flannelManifest: a mapping of url and sha256 strings; the bay\'s refusals name its line', async () => {
    const typed = await cli('synth', '-c', writeConfig([...BASE_CONFIG, 'flannelManifest:', '  url: http://m/k.yml', '  sha256: 1234']), '-o', tmpDir());
    expect(typed.status).not.toBe(0);
    expect(typed.stderr).toMatch(new RegExp(`bay\\.yaml:${BASE_CONFIG.length + 3}: flannelManifest\\.sha256: expected a string, got number 1234`));
    const bad = await cli('synth', '-c', writeConfig([...BASE_CONFIG, 'flannelManifest:', '  url: http://m/k.yml', '  sha256: abc']), '-o', tmpDir());
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(new RegExp(`bay\\.yaml:${BASE_CONFIG.length + 3}: flannelManifest\\.sha256: "abc" is not a sha256; give the 64 lowercase hex digits of \`sha256sum kube-flannel\\.yml\``));
  });

  test('a mirror in the config reaches the first master', async () => {
    const out = tmpDir('kubebay-flannelpin-cli-');
    const cfg = writeConfig([...BASE_CONFIG, 'flannelManifest:', `  url: ${MIRROR_URL}`, `  sha256: ${fixtureSha}`]);
    expect((await cli('synth', '-c', cfg, '-o', out, '--target', 'hot')).status).toBe(0);
    const text = hotScript(new Map([['kubemaster.yaml', parse(fs.readFileSync(path.join(out, 'hot', 'demo', 'kubemaster.yaml'), 'utf8'))]]));
    expect(text).toContain(`retry 10 15 curl -fsSL --max-time 60 -o "$f" ${MIRROR_URL}\n`);
    expect(text).toContain(`[[ $sha == ${fixtureSha} ]]`);
  });
});

/** A new store (`<fresh>/pki`, records in `<fresh>/bays`). */
const freshStore = () => new PkiStore(path.join(tmpDir('kubebay-flannelpin-'), 'pki'));
const recordOf = (store: PkiStore) => JSON.parse(fs.readFileSync(store.recordFile('demo'), 'utf8'));
/** The record as kubebay wrote it before the check: without the field. */
function recordedBefore(store: PkiStore): void {
  const { flannelManifest, ...before } = recordOf(store);
  expect(flannelManifest).toBe('checked');
  fs.writeFileSync(store.recordFile('demo'), `${JSON.stringify(before, null, 2)}\n`);
}
const checks = (text: string) => text.includes('sha256sum "$f"');
describe('day 2: the bay record gates the check', () => {
  test('a new bay records "flannelManifest": "checked" and its first master checks', () => {
    const store = freshStore();
    expect(checks(script({ pkiDir: store.rootDir }))).toBe(true);
    expect(recordOf(store).flannelManifest).toBe('checked');
  });

  test('a bay recorded before keeps the release asset, unchecked, in both formats; flannelManifest opts it in', () => {
    const store = freshStore();
    const created = script({ pkiDir: store.rootDir });
    recordedBefore(store);
    const hot = script({ pkiDir: store.rootDir });
    const tf = tfScript(tfBay({ pkiDir: store.rootDir }).json);
    for (const text of [hot, tf]) {
      expect(checks(text)).toBe(false);
      expect(text).toContain(`retry 10 15 curl -fsSL --max-time 60 -o "$f" ${FLANNEL_RELEASE_ASSET_URL}\n  sed -i 's#"Network"`);
    }
    // only the download differs from a new bay's
    const download = (t: string) => t.replace(/  retry 10 15 curl -fsSL --max-time 60 -o "\$f" \S+\n(  sha=.*\n  \[\[ \$sha .*\n)?/, '');
    expect(download(hot)).toBe(download(created));
    // the record is not rewritten by a synth
    expect(recordOf(store).flannelManifest).toBeUndefined();
    expect(checks(script({ pkiDir: store.rootDir, flannelManifest: { url: MIRROR_URL, sha256: fixtureSha } }))).toBe(true);
  });

  test('a pki prop (no store, no record) keeps the release asset unless flannelManifest is set', () => {
    const pki = hotBay().bay.pki;
    expect(checks(script({ pki } as object))).toBe(false);
    expect(checks(script({ pki, flannelManifest: { url: FLANNEL_MANIFEST_URL, sha256: FLANNEL_MANIFEST_SHA256 } } as object))).toBe(true);
  });

  test('synthesizeBay and kubebay synth decide the same from the record', async () => {
    for (const before of [false, true]) {
      const store = freshStore();
      script({ pkiDir: store.rootDir });
      if (before) recordedBefore(store);
      const out = tmpDir('kubebay-flannelpin-out-');
      const r = synthesizeBay({ ...BASE_PROPS, pkiDir: store.rootDir }, { tfOutdir: path.join(out, 'tf'), hotOutdir: path.join(out, 'hot') });
      const lib = [hotScript(new Map([['kubemaster.yaml', parse(fs.readFileSync(path.join(r.hotDir, 'kubemaster.yaml'), 'utf8'))]])),
        tfScript(JSON.parse(fs.readFileSync(path.join(r.tfDir, 'cdk.tf.json'), 'utf8')))];
      const cfg = writeConfig(BASE_CONFIG.map((l) => (l.startsWith('pkiDir') ? `pkiDir: ${store.rootDir}` : l)));
      const cliOut = tmpDir('kubebay-flannelpin-cli-');
      expect((await cli('synth', '-c', cfg, '-o', cliOut)).status).toBe(0);
      const viaCli = [hotScript(new Map([['kubemaster.yaml', parse(fs.readFileSync(path.join(cliOut, 'hot', 'demo', 'kubemaster.yaml'), 'utf8'))]])),
        tfScript(JSON.parse(fs.readFileSync(path.join(cliOut, 'terraform', 'stacks', 'demo', 'cdk.tf.json'), 'utf8')))];
      expect([...lib, ...viaCli].map(checks)).toEqual([!before, !before, !before, !before]);
    }
  });
});

describe('the store keeps the field', () => {
  const PASS = 'correct horse battery staple';

  test('rotate keeps "checked", and adds none to a bay recorded before', () => {
    const checked = freshStore();
    checked.loadOrCreate('demo');
    checked.rotate('demo');
    expect(recordOf(checked)).toMatchObject({ flannelManifest: 'checked', rotatedAt: expect.any(String) });
    const before = freshStore();
    before.loadOrCreate('demo');
    recordedBefore(before);
    before.rotate('demo');
    expect(recordOf(before).flannelManifest).toBeUndefined();
    expect(recordOf(before).rotatedAt).toEqual(expect.any(String));
  });

  test('import keeps a committed record; a store imported or found without a record is no new bay', () => {
    const source = freshStore();
    source.loadOrCreate('demo');
    const sealed = exportPki(source, 'demo', PASS);
    const record = fs.readFileSync(source.recordFile('demo'), 'utf8');
    // a teammate's clone: the committed record, no store
    const clone = freshStore();
    fs.mkdirSync(clone.recordDir, { recursive: true });
    fs.writeFileSync(clone.recordFile('demo'), record);
    importPki(clone, 'demo', sealed, PASS, 'export');
    expect(fs.readFileSync(clone.recordFile('demo'), 'utf8')).toBe(record);
    // no record: the material is an existing bay's, its first master's user data as it was
    const bare = freshStore();
    importPki(bare, 'demo', sealed, PASS, 'export');
    expect(recordOf(bare).flannelManifest).toBeUndefined();
    // a store without its record (deleted): the same
    fs.rmSync(source.recordFile('demo'));
    source.loadOrCreate('demo');
    expect(recordOf(source).flannelManifest).toBeUndefined();
  });
});
