/**
 * Bootstrap simulation (CI: scripts/ci-bootstrap-sim.sh). Each role's user
 * data is written into a Debian root filesystem (debootstrap minbase +
 * ca-certificates) by cloud-init's own write_files, and its runcmd runs in a
 * chroot with stub commands (test/bootstrap/sim/stub.sh: kubeadm, kubectl,
 * systemctl, apt-get, curl, mount, blkid, lsblk, ...) that log their
 * arguments. The assertions read that log and the files left behind.
 *
 * Needs root, chroot, /usr/bin/python3 with cloud-init and the root
 * filesystem tarball of scripts/bootstrap-rootfs.sh: it only runs with
 * KUBEBAY_BOOTSTRAP_SIM=1 and is skipped (saying why) otherwise.
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import {
  ADDONS_PATH,
  BOOTSTRAP_ENV_PATH,
  BOOTSTRAP_SCRIPT_PATH,
  CLOUD_CONF_PATH,
  CONTAINERD_CONFIG_MARKER,
  FLANNEL_MANIFEST_SHA256,
  FLANNEL_MANIFEST_URL,
  FLANNEL_RELEASE_ASSET_URL,
  OPENSTACK_CA_PATH,
  UserDataOptions,
  addons,
  renderUserData,
  sampleValues,
  substitute,
} from '../../lib/bootstrap';

const TARBALL = process.env.KUBEBAY_ROOTFS_TAR ?? '/var/cache/kubebay-rootfs-bookworm.tar';
const SIM = path.join(__dirname, 'sim');
const STUBS = [
  'curl', 'kubeadm', 'kubectl', 'kubelet', 'containerd', 'blkid', 'mkfs.ext4', 'lsblk', 'mountpoint', 'mount', 'umount',
  'systemctl', 'hostname', 'sleep', 'apt-get', 'apt-mark', 'modprobe', 'sysctl', 'swapoff', 'iptables',
];
const VOLUME_ID = '3f0c2a4e-8d1b-4c6f-9a7e-5b2d1c0e9f8a';
const INSTANCE_ID = '5d7c1b0a-2e3f-4a5b-8c9d-0e1f2a3b4c5d';
const APP_SECRET = 'sim-app-cred-secret-0123456789';
const CA_PEM = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'cloud-ca.pem'), 'utf8');
const FLANNEL_FIXTURE = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'flannel', 'kube-flannel-v0.26.7.yml'), 'utf8');

function whyNot(): string | undefined {
  if (process.env.KUBEBAY_BOOTSTRAP_SIM !== '1') return 'KUBEBAY_BOOTSTRAP_SIM is not 1 (CI runs it: scripts/ci-bootstrap-sim.sh)';
  if (process.getuid?.() !== 0) return 'not root (chroot and mknod need root)';
  if (!fs.existsSync(TARBALL)) return `no root filesystem at ${TARBALL} (scripts/bootstrap-rootfs.sh builds it)`;
  if (spawnSync('/usr/bin/python3', ['-c', 'import cloudinit']).status !== 0) return 'no cloud-init for /usr/bin/python3';
  return undefined;
}
const skip = whyNot();
// process.stderr: jest shows no console output of a file whose tests are all skipped.
if (skip) process.stderr.write(`\nbootstrap simulation skipped: ${skip}\n`);
const describeSim = skip ? describe.skip : describe;

interface Scenario {
  readonly options: Partial<UserDataOptions> & Pick<UserDataOptions, 'role'>;
  /** Failures of the stubs: signal, kubeadm-init, kubeadm-join, kubectl-apply. */
  readonly failures?: Record<string, number>;
  /** How the volume shows: a SCSI by-id link, only lsblk's SERIAL, or not at all. */
  readonly disk?: 'scsi-by-id' | 'lsblk-serial' | 'missing';
  /** Answers of the API's /version, one per call (the last repeats; "down": none). @default v1.31.2 */
  readonly apiVersions?: string[];
  /** `kubelet --version` of the node. @default Kubernetes v1.31.2 */
  readonly kubelet?: string;
  /** What curl serves for a `calico.yaml` URL. @default - nothing */
  readonly calicoManifest?: string;
  /** What curl serves for a `kube-flannel.yml` URL. @default - the pinned release's manifest (test/fixtures/flannel) */
  readonly flannelManifest?: string;
}
interface Run {
  readonly root: string;
  readonly status: number | null;
  readonly calls: string[];
  readonly log: string;
  readonly signals: string[];
  readonly failedSignals: string[];
  file(p: string): string;
  mode(p: string): string;
}

function prepare(s: Scenario): { root: string; userData: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `kubebay-sim-${s.options.role}-`));
  execFileSync('tar', ['-C', root, '-xf', TARBALL]);
  const opts: UserDataOptions = {
    preinstalledPackages: false, podNetworkCidr: '10.100.0.0/16', serviceCidr: '10.254.0.0/16', clusterName: 'sim',
    dockerVolume: s.disk !== undefined, ...s.options,
  };
  const values = {
    ...sampleValues({ keySize: 2048, wcNotify: "curl -i -X POST -H 'X-Auth-Token: tok' https://heat.example.com:8004/v1/p/stacks/s/resources/h/signal" }),
    VOLUME_ID,
    OPENSTACK_CA: Buffer.from(CA_PEM).toString('base64'),
    APPLICATION_CREDENTIAL_SECRET: APP_SECRET,
  };
  const userData = substitute(renderUserData(opts).text, values);
  const udFile = path.join(root, 'sim-user-data.yaml');
  fs.writeFileSync(udFile, userData);
  execFileSync('/usr/bin/python3', [path.join(SIM, 'write-files.py'), udFile, root]);
  const stubs = path.join(root, 'usr/local/kubebay-stubs');
  fs.mkdirSync(stubs, { recursive: true });
  fs.copyFileSync(path.join(SIM, 'stub.sh'), path.join(stubs, 'stub'));
  fs.chmodSync(path.join(stubs, 'stub'), 0o755);
  for (const name of STUBS) fs.symlinkSync('stub', path.join(stubs, name));
  fs.mkdirSync(path.join(root, 'sim/fail'), { recursive: true });
  for (const [k, n] of Object.entries(s.failures ?? {})) fs.writeFileSync(path.join(root, 'sim/fail', k), String(n));
  if (s.apiVersions) fs.writeFileSync(path.join(root, 'sim/api-versions'), s.apiVersions.join('\n') + '\n');
  if (s.kubelet) fs.writeFileSync(path.join(root, 'sim/kubelet-version'), `Kubernetes ${s.kubelet}\n`);
  if (s.calicoManifest) fs.writeFileSync(path.join(root, 'sim/calico.yaml'), s.calicoManifest);
  fs.writeFileSync(path.join(root, 'sim/kube-flannel.yml'), s.flannelManifest ?? FLANNEL_FIXTURE);
  // cloud-init's instance id (Nova's server UUID): the id of the node's signals.
  fs.mkdirSync(path.join(root, 'run/cloud-init'), { recursive: true });
  fs.writeFileSync(path.join(root, 'run/cloud-init/.instance-id'), `${INSTANCE_ID}\n`);
  if (s.disk === 'scsi-by-id' || s.disk === 'lsblk-serial') {
    const dev = s.disk === 'scsi-by-id' ? 'sdb' : 'sdc';
    execFileSync('mknod', [path.join(root, 'dev', dev), 'b', '7', '200']);
    if (s.disk === 'scsi-by-id') {
      fs.mkdirSync(path.join(root, 'dev/disk/by-id'), { recursive: true });
      fs.symlinkSync(`../../${dev}`, path.join(root, `dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_${VOLUME_ID}`));
    } else {
      fs.writeFileSync(path.join(root, 'sim/lsblk'), `/dev/sda\n/dev/${dev} ${VOLUME_ID}\n`);
    }
  }
  return { root, userData };
}

/** Runs the user data's runcmd in the chroot, as cloud-init would (sh -c). */
function boot(root: string, userData: string): Run {
  const [cmd] = parse(userData).runcmd as string[];
  const r = spawnSync('chroot', [root, '/usr/bin/env', '-i', 'PATH=/usr/local/kubebay-stubs:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', '/bin/sh', '-c', cmd], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const read = (p: string) => (fs.existsSync(path.join(root, p)) ? fs.readFileSync(path.join(root, p), 'utf8') : '');
  const lines = (p: string) => read(p).split('\n').filter(Boolean);
  return {
    root,
    status: r.status,
    calls: lines('sim/calls.log'),
    log: read('var/log/kubebay-bootstrap.log'),
    signals: lines('sim/signals'),
    failedSignals: lines('sim/signals-failed'),
    file: read,
    mode: (p) => (fs.statSync(path.join(root, p)).mode & 0o777).toString(8),
  };
}

/** Index of the first call starting with `prefix` (fails the test when there is none). */
function at(run: Run, prefix: string): number {
  const i = run.calls.findIndex((c) => c.startsWith(prefix));
  if (i < 0) throw new Error(`no call '${prefix}' in:\n${run.calls.join('\n')}\n--- log:\n${run.log}`);
  return i;
}

describeSim(`bootstrap simulation in a Debian chroot${skip ? ` (skipped: ${skip})` : ''}`, () => {
  jest.setTimeout(300_000);
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });
  const simulate = (s: Scenario): Run => {
    const { root, userData } = prepare(s);
    roots.push(root);
    return boot(root, userData);
  };

  describe('first master with every cloud option, a virtio-scsi volume and flaky services', () => {
    let run: Run;
    beforeAll(() => {
      run = simulate({
        options: { role: 'first-master', openstackCa: true, cloudControllerManager: true, cinderCsi: true },
        disk: 'scsi-by-id',
        failures: { signal: 2, 'kubeadm-init': 2, 'kubectl-apply': 1 },
      });
    });

    test('it completes and signals SUCCESS once, after two failed attempts (--fail on every attempt)', () => {
      expect(run.status).toBe(0);
      expect(run.log).toContain('done');
      expect(run.failedSignals).toHaveLength(2);
      expect(run.signals).toEqual([`{"status": "SUCCESS", "reason": "kubelet up on sim-node", "id": "${INSTANCE_ID}"}`]);
      for (const c of run.calls.filter((x) => x.includes('/signal'))) expect(c).toContain('--fail');
    });

    test('the CA bundle is in the system trust store before the first call to the cloud', () => {
      expect(run.file(OPENSTACK_CA_PATH)).toBe(CA_PEM);
      expect(run.file('etc/ssl/certs/ca-certificates.crt')).toContain(CA_PEM.trim().split('\n')[1]);
      expect(run.log).toMatch(/OpenStack CA bundle[\s\S]*1 added/);
      expect(run.log.indexOf('1 added')).toBeLessThan(run.log.indexOf('packages from'));
      expect(at(run, 'curl')).toBeGreaterThan(-1);
    });

    test('the volume is found by its serial on the SCSI bus, formatted, and mounted before containerd', () => {
      expect(run.log).toContain(`volume ${VOLUME_ID} is /dev/sdb`);
      expect(run.calls).toContain('mkfs.ext4 -q /dev/sdb');
      expect(run.file('etc/fstab')).toContain('UUID=0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0 /var/lib/containerd ext4 defaults,nofail,x-systemd.before=containerd.service 0 2');
      expect(run.file('etc/systemd/system/containerd.service.d/kubebay-storage.conf')).toBe('[Unit]\nRequiresMountsFor=/var/lib/containerd\n');
      expect(at(run, 'mount /var/lib/containerd')).toBeLessThan(at(run, 'apt-get'));
    });

    test('order: packages, containerd (sandbox image of kubeadm), kubeadm init (retried), flannel, cloud-config Secret, add-ons, signal', () => {
      const order = [
        'apt-get -q -y -o DPkg::Lock::Timeout=600 update',
        'kubeadm config images list --kubernetes-version v1.31.2',
        'systemctl restart containerd',
        'kubeadm init',
        'curl -fsSL --max-time 60 -o /etc/kubernetes/kubeadm/kube-flannel.yml',
        'kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system create secret generic cloud-config',
        `kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f ${ADDONS_PATH}`,
        'curl -i -X POST',
      ].map((p) => at(run, p));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(run.calls.filter((c) => c.startsWith('kubeadm init'))).toHaveLength(3);
      expect(run.calls.filter((c) => c === 'kubeadm reset -f')).toHaveLength(2);
      const config = run.file('etc/containerd/config.toml');
      expect(config.split('\n')[0]).toBe(CONTAINERD_CONFIG_MARKER);
      expect(config).toContain('sandbox_image = "registry.k8s.io/pause:3.10"');
      expect(config).toContain('SystemdCgroup = true');
    });

    test('files: CA keys 0600 (restored after each reset), cloud.conf 0600, kubeadm init with the external cloud provider', () => {
      expect(run.mode('etc/kubernetes/pki/ca.key')).toBe('600');
      expect(run.mode(CLOUD_CONF_PATH)).toBe('600');
      const init = run.file('sim/kubeadm-init.yaml');
      expect(init).toContain('kubernetesVersion: v1.31.2');
      expect(init).toMatch(/kubeletExtraArgs:\n\s+- name: cloud-provider\n\s+value: external/);
    });

    test('cloud-init wrote the gzipped script as the plain script (0700) and its environment file with the deploy-time values (0600)', () => {
      expect(run.mode(BOOTSTRAP_SCRIPT_PATH)).toBe('700');
      expect(run.file(BOOTSTRAP_SCRIPT_PATH).startsWith('#!/bin/bash\n')).toBe(true);
      expect(run.mode(BOOTSTRAP_ENV_PATH)).toBe('600');
      expect(run.file(BOOTSTRAP_ENV_PATH)).toContain("KUBEBAY_API_VIP='10.0.0.10'\n");
      expect(run.file(BOOTSTRAP_ENV_PATH)).toContain(`KUBEBAY_VOLUME_ID='${VOLUME_ID}'\n`);
      expect(run.file(BOOTSTRAP_ENV_PATH)).not.toContain('@@');
    });

    test('the cloud-config Secret carries cloud.conf (with the credential) and the CA bundle; the add-on manifest is the rendered one', () => {
      const applied = run.file('sim/applied-stdin');
      const data = Object.fromEntries([...applied.matchAll(/^ {2}([a-z.]+): (\S+)$/gm)].map((m) => [m[1], Buffer.from(m[2], 'base64').toString('utf8')]));
      expect(data['cloud.conf']).toContain(`application-credential-secret="${APP_SECRET}"`);
      expect(data['cloud.conf']).toContain('ca-file="/etc/config/ca.crt"');
      expect(data['ca.crt']).toBe(CA_PEM);
      expect(run.file(ADDONS_PATH)).toBe(addons.addonManifest({ clusterName: 'sim', cloudControllerManager: true, cinderCsi: true }));
    });
  });

  test('a minion whose volume shows only in lsblk SERIAL (no by-id link) joins once and signals', () => {
    const run = simulate({ options: { role: 'minion' }, disk: 'lsblk-serial' });
    expect(run.status).toBe(0);
    expect(run.calls).toContain('mkfs.ext4 -q /dev/sdc');
    expect(run.calls.filter((c) => c.startsWith('kubeadm join'))).toHaveLength(1);
    expect(run.calls).not.toContain('update-ca-certificates');
    expect(run.signals).toHaveLength(1);
  });

  test('a minion with a newer kubelet than the API (rolling upgrade) waits for the masters before kubeadm join', () => {
    const run = simulate({ options: { role: 'minion' }, kubelet: 'v1.32.0', apiVersions: ['v1.31.4', 'down', 'v1.31.4', 'v1.32.0'] });
    expect(run.status).toBe(0);
    const versions = run.calls.map((c, i) => [c, i] as const).filter(([c]) => c.startsWith('curl') && c.endsWith('/version'));
    expect(versions).toHaveLength(4);
    expect(versions[3][1]).toBeLessThan(at(run, 'kubeadm join'));
    expect(run.log).toContain("older than this kubelet v1.32: waiting for the masters' upgrade (poll 1/");
    expect(run.log).toContain('runs v1.32, this kubelet v1.32: joining');
    expect(run.calls.filter((c) => c.startsWith('kubeadm join'))).toHaveLength(1);
    expect(run.signals).toEqual([`{"status": "SUCCESS", "reason": "kubelet up on sim-node", "id": "${INSTANCE_ID}"}`]);
  });

  test('a minion whose API stays older fails, bounded, with both versions in the FAILURE signal and no join', () => {
    const run = simulate({ options: { role: 'minion' }, kubelet: 'v1.32.0', apiVersions: ['v1.31.4'] });
    expect(run.status).not.toBe(0);
    expect(run.calls.some((c) => c.startsWith('kubeadm join'))).toBe(false);
    expect(run.signals).toHaveLength(1);
    expect(run.signals[0]).toMatch(/"status": "FAILURE", "reason": "the API at [^ ]+ still runs v1\.31, older than this kubelet v1\.32 \(unsupported version skew\) after \d+ polls 30 s apart/);
  });

  test('a minion whose volume never appears fails with the reason in the FAILURE signal, before installing anything', () => {
    const run = simulate({ options: { role: 'minion' }, disk: 'missing' });
    expect(run.status).not.toBe(0);
    expect(run.signals).toEqual([
      `{"status": "FAILURE", "reason": "volume ${VOLUME_ID} did not appear within 300 s (no disk by-id or lsblk SERIAL) on sim-node, see /var/log/kubebay-bootstrap.log", "id": "${INSTANCE_ID}"}`,
    ]);
    expect(run.calls.some((c) => c.startsWith('apt-get'))).toBe(false);
    expect(run.calls.filter((c) => c.startsWith('lsblk'))).toHaveLength(60);
  });

  test('a master run twice keeps its containerd configuration and does not restart containerd or re-join', () => {
    const { root, userData } = prepare({ options: { role: 'master' }, disk: 'scsi-by-id' });
    roots.push(root);
    const first = boot(root, userData);
    expect(first.status).toBe(0);
    fs.writeFileSync(path.join(root, 'sim/calls.log'), '');
    const again = boot(root, userData);
    expect(again.status).toBe(0);
    expect(again.log).toContain('containerd configuration already written, kept');
    expect(again.calls).not.toContain('systemctl restart containerd');
    expect(again.calls.some((c) => c.startsWith('kubeadm join'))).toBe(false);
    expect(again.calls.some((c) => c.startsWith('mkfs'))).toBe(false);
    expect(again.file('etc/fstab').match(/x-systemd\.before=containerd/g)).toHaveLength(1);
  });
  describe('first master behind a proxy, with an image prefix, registries, its own DNS address and flannel host-gw (issue 14)', () => {
    const PROXY = 'http://proxy.example.internal:3128';
    const PREFIX = 'registry.example.internal:5000/k8s/';
    let run: Run;
    beforeAll(() => {
      run = simulate({
        options: {
          role: 'first-master',
          proxy: { http: PROXY, https: PROXY, noProxy: ['localhost', '10.0.0.0/24', '@@API_VIP@@', '.svc'] },
          imagePrefix: PREFIX,
          registries: { mirrors: { 'docker.io': 'https://mirror.example.internal' }, insecure: ['registry.example.internal:5000'] },
          dnsServiceIp: '10.254.0.53',
          flannelBackend: 'host-gw',
          flannelSubnetLen: 25,
        },
      });
    });

    test('it completes and signals SUCCESS', () => {
      expect(run.status).toBe(0);
      expect(run.signals).toEqual([`{"status": "SUCCESS", "reason": "kubelet up on sim-node", "id": "${INSTANCE_ID}"}`]);
    });

    test('apt-get, curl and kubeadm run with the proxy environment, no_proxy with the API VIP substituted', () => {
      const proxied = run.file('sim/proxied.log').split('\n').filter(Boolean);
      for (const cmd of ['apt-get', 'curl', 'kubeadm']) expect(proxied.some((l) => l.startsWith(`${cmd} https_proxy=${PROXY} `))).toBe(true);
      expect(proxied[0]).toMatch(/no_proxy=localhost,10\.0\.0\.0\/24,\d+\.\d+\.\d+\.\d+,\.svc$/);
      expect(run.file('etc/systemd/system/containerd.service.d/kubebay-proxy.conf')).toBe('[Service]\nEnvironmentFile=/etc/kubebay/proxy.env\n');
    });

    test('containerd: sandbox image from the prefix, registry hosts from certs.d', () => {
      const config = run.file('etc/containerd/config.toml');
      expect(config).toContain(`sandbox_image = "${PREFIX}pause:3.10"`);
      expect(config).toContain('config_path = "/etc/containerd/certs.d"');
      expect(run.file('etc/containerd/certs.d/docker.io/hosts.toml')).toContain('[host."https://mirror.example.internal"]');
      expect(run.file('etc/containerd/certs.d/registry.example.internal:5000/hosts.toml')).toContain('skip_verify = true');
    });

    test('kubeadm init gets the image repository, the DNS address and the node subnet length; kube-dns is re-created before flannel', () => {
      const init = run.file('sim/kubeadm-init.yaml');
      expect(init).toContain('imageRepository: registry.example.internal:5000/k8s\n');
      expect(init).toContain('clusterDNS:\n  - 10.254.0.53\n');
      expect(init).toMatch(/- name: node-cidr-mask-size\n\s+value: "25"/);
      const order = [
        'kubeadm init',
        'kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system delete service kube-dns --ignore-not-found',
        'kubectl --kubeconfig /etc/kubernetes/admin.conf create -f /etc/kubernetes/addons/kube-dns-service.yaml',
        'curl -fsSL --max-time 60 -o /etc/kubernetes/kubeadm/kube-flannel.yml',
      ].map((p) => at(run, p));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    });

    test('the pinned flannel manifest, checked, runs host-gw with every image from the prefix', () => {
      const flannel = run.file('etc/kubernetes/kubeadm/kube-flannel.yml');
      expect(flannel).toContain('"Type": "host-gw"');
      expect(flannel).toContain('"Network": "10.100.0.0/16"');
      expect([...flannel.matchAll(/image: (\S+)/g)].map((m) => m[1])).toEqual([`${PREFIX}flannel-cni-plugin:v1.6.2-flannel1`, `${PREFIX}flannel:v0.26.7`, `${PREFIX}flannel:v0.26.7`]);
    });
  });
  describe('first master: the flannel manifest checked by sha256 (issue 14)', () => {
    const served = FLANNEL_FIXTURE.replace('"Type": "vxlan"', '"Type": "udp"');
    const actual = createHash('sha256').update(served).digest('hex');

    test('another manifest than the pinned one: FAILURE naming both sums, nothing applied', () => {
      const bad = simulate({ options: { role: 'first-master' }, flannelManifest: served });
      expect(bad.status).not.toBe(0);
      expect(bad.signals).toEqual([expect.stringContaining(
        `"status": "FAILURE", "reason": "flannel manifest ${FLANNEL_MANIFEST_URL}: sha256 ${actual}, expected ${FLANNEL_MANIFEST_SHA256}; nothing applied`,
      )]);
      expect(bad.calls.some((c) => c.startsWith('kubectl') && c.includes('kube-flannel.yml'))).toBe(false);
    });

    test('a mirror (flannelManifest) with its own sha256: downloaded from there, edited and applied', () => {
      const run = simulate({ options: { role: 'first-master', flannelManifest: { url: 'http://mirror.example.internal/kube-flannel.yml', sha256: actual } }, flannelManifest: served });
      expect(run.status).toBe(0);
      expect(run.calls).toContain('curl -fsSL --max-time 60 -o /etc/kubernetes/kubeadm/kube-flannel.yml http://mirror.example.internal/kube-flannel.yml');
      expect(run.file('etc/kubernetes/kubeadm/kube-flannel.yml')).toContain('"Network": "10.100.0.0/16"');
      expect(run.calls).toContain('kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f /etc/kubernetes/kubeadm/kube-flannel.yml');
    });

    test('a bay created before the check (release asset, unchecked) applies whatever it downloads, as before', () => {
      const run = simulate({ options: { role: 'first-master', flannelManifest: 'release-asset-unchecked' }, flannelManifest: served });
      expect(run.status).toBe(0);
      expect(run.calls).toContain(`curl -fsSL --max-time 60 -o /etc/kubernetes/kubeadm/kube-flannel.yml ${FLANNEL_RELEASE_ASSET_URL}`);
      expect(run.calls).toContain('kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f /etc/kubernetes/kubeadm/kube-flannel.yml');
    });
  });
  describe('first master, deploy-time registries (container_infra_prefix, insecure_registry_url from bootstrap.env; issue 14)', () => {
    // sampleValues: CONTAINER_INFRA_PREFIX registry.example.internal:5000/k8s/, INSECURE_REGISTRY_URL registry.example.internal:5000.
    const PREFIX = 'registry.example.internal:5000/k8s/';
    const common = { role: 'first-master' as const, cloudControllerManager: true, cinderCsi: true };
    const mirrors = { 'docker.io': 'https://mirror.example.internal', 'registry.example.internal:5000': 'https://mirror2.example.internal' };
    let props: Run;
    let deploy: Run;
    beforeAll(() => {
      props = simulate({ options: { ...common, imagePrefix: PREFIX, registries: { mirrors, insecure: ['registry.example.internal:5000'] } } });
      deploy = simulate({ options: { ...common, deployTimeRegistries: true, registries: { mirrors } } });
    });

    test('both complete and signal SUCCESS', () => {
      expect([props.status, deploy.status]).toEqual([0, 0]);
      expect(deploy.signals).toEqual([`{"status": "SUCCESS", "reason": "kubelet up on sim-node", "id": "${INSTANCE_ID}"}`]);
    });

    test('the node ends with the files the props give: containerd config (sandbox image, certs.d), hosts.toml, flannel and add-on manifests', () => {
      for (const f of [
        'etc/containerd/config.toml',
        'etc/containerd/certs.d/docker.io/hosts.toml',
        'etc/containerd/certs.d/registry.example.internal:5000/hosts.toml',
        'etc/kubernetes/kubeadm/kube-flannel.yml',
        ADDONS_PATH.slice(1),
      ]) {
        expect([f, deploy.file(f)]).toEqual([f, props.file(f)]);
      }
      expect(deploy.file('etc/containerd/config.toml')).toContain(`sandbox_image = "${PREFIX}pause:3.10"`);
      expect(deploy.file(ADDONS_PATH.slice(1))).toContain(`image: ${PREFIX}openstack-cloud-controller-manager:`);
    });

    test('kubeadm init reads the same configuration (imageRepository added at boot)', () => {
      // Each run's sample values draw their own bootstrap token.
      const docs = (r: Run) => parseAllDocuments(r.file('sim/kubeadm-init.yaml').replace(/token: \S+/, 'token: x')).map((d) => d.toJS());
      expect(docs(deploy)).toEqual(docs(props));
      expect(deploy.file('sim/kubeadm-init.yaml')).toContain('imageRepository: registry.example.internal:5000/k8s\n');
    });
  });
  describe('first master with Calico (VXLAN, a mirror of the manifest, an image prefix; issue 14)', () => {
    const PREFIX = 'registry.example.internal:5000/k8s/';
    const manifest = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'calico', 'calico-v3.30.7-workloads.yaml'), 'utf8');
    const options = (sha256: string) => ({
      role: 'first-master' as const,
      imagePrefix: PREFIX,
      networkDriver: 'calico' as const,
      calicoEncapsulation: 'vxlan' as const,
      calicoManifest: { url: 'http://mirror.example.internal/calico/calico.yaml', sha256 },
    });
    let run: Run;
    beforeAll(() => {
      run = simulate({ options: options(createHash('sha256').update(manifest).digest('hex')), calicoManifest: manifest });
    });

    test('it completes and signals SUCCESS; no flannel', () => {
      expect(run.status).toBe(0);
      expect(run.signals).toEqual([`{"status": "SUCCESS", "reason": "kubelet up on sim-node", "id": "${INSTANCE_ID}"}`]);
      expect(run.calls.some((c) => c.includes('flannel'))).toBe(false);
    });

    test('after kubeadm init: the mirror downloaded, then applied server-side', () => {
      const order = [
        'kubeadm init',
        'curl -fsSL --max-time 60 -o /etc/kubernetes/kubeadm/calico.yaml http://mirror.example.internal/calico/calico.yaml',
        'kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side --force-conflicts -f /etc/kubernetes/kubeadm/calico.yaml',
      ].map((p) => at(run, p));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    });

    test("calico-node: the pod network as its pool, VXLAN instead of IP-in-IP, Felix appending; every image from the prefix", () => {
      const edited = run.file('etc/kubernetes/kubeadm/calico.yaml');
      const ds = parseAllDocuments(edited).map((d) => d.toJS()).find((d) => d?.kind === 'DaemonSet');
      const env = Object.fromEntries(ds.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
      expect(env).toMatchObject({ CALICO_IPV4POOL_CIDR: '10.100.0.0/16', CALICO_IPV4POOL_IPIP: 'Never', CALICO_IPV4POOL_VXLAN: 'Always', FELIX_CHAININSERTMODE: 'Append' });
      expect([...new Set([...edited.matchAll(/image: (\S+)/g)].map((m) => m[1]))].sort()).toEqual(['cni', 'kube-controllers', 'node'].map((n) => `${PREFIX}${n}:v3.30.7`));
    });

    test('a manifest with another sha256: FAILURE signal with the reason, nothing applied', () => {
      const bad = simulate({ options: options('0'.repeat(64)), calicoManifest: manifest });
      expect(bad.status).not.toBe(0);
      expect(bad.signals).toEqual([expect.stringContaining('"status": "FAILURE", "reason": "calico manifest: sha256 mismatch, nothing applied')]);
      expect(bad.calls.some((c) => c.startsWith('kubectl') && c.includes('calico.yaml'))).toBe(false);
    });
  });
});
