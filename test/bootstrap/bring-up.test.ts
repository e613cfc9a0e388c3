/**
 * Bring-up defects of real clouds (issue 11), checked by running the pieces
 * of the generated bootstrap script under bash with stub commands (the whole
 * script runs in a chroot in test/bootstrap/simulation.test.ts, CI only).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  BOOTSTRAP_SCRIPT_PATH,
  CONTAINERD_CONFIG_MARKER,
  NODE_ROLES,
  OPENSTACK_CA_PATH,
  SIGNAL_ATTEMPTS,
  UserDataOptions,
  renderUserData,
} from '../../lib/bootstrap';
import { tmpDir } from '../tmp';

const BASE: UserDataOptions = {
  role: 'minion',
  preinstalledPackages: false,
  podNetworkCidr: '10.100.0.0/16',
  serviceCidr: '10.254.0.0/16',
  clusterName: 'kubebay',
  dockerVolume: true,
};

interface WriteFile {
  path: string;
  content: string;
  encoding?: string;
  permissions?: string;
}
const files = (o: Partial<UserDataOptions> = {}) => (parse(renderUserData({ ...BASE, ...o }).text) as { write_files: WriteFile[] }).write_files;
const script = (o: Partial<UserDataOptions> = {}) => files(o).find((f) => f.path === BOOTSTRAP_SCRIPT_PATH)!.content;

/** The text of `name() {` ... `}` (a top-level shell function) in the script. */
function shellFunction(text: string, name: string): string {
  const m = new RegExp(`^${name}\\(\\) \\{\\n[\\s\\S]*?^\\}\\n`, 'm').exec(text);
  if (!m) throw new Error(`no function ${name} in the script`);
  return m[0];
}
/** From the line starting with `from` up to (not including) the line starting with `to`. */
function section(text: string, from: string, to: string): string {
  const a = text.indexOf(from);
  const b = text.indexOf(to, a);
  if (a < 0 || b < 0) throw new Error(`no section ${from} .. ${to}`);
  return text.slice(a, b);
}

/**
 * Runs bash with strict mode, `log`, `die` and a `sleep` that only advances
 * a fake clock (NOW: the fragments' SECONDS are replaced by it), stub executables on PATH (`name -> body`; each logs
 * its arguments to $CALLS), and `body`.
 */
function run(body: string, stubs: Record<string, string> = {}) {
  const dir = tmpDir('kubebay-bring-up-');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const calls = path.join(dir, 'calls');
  fs.writeFileSync(calls, '');
  for (const [name, stub] of Object.entries(stubs)) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >>"$CALLS"\n${stub}\n`, { mode: 0o755 });
  }
  const prelude = String.raw`set -euo pipefail
reason=
log() { echo "$*" >&2; }
die() { reason=$*; log "$reason"; return 1; }
NOW=0
sleep() { NOW=$((NOW + $1)); }
`;
  const r = spawnSync('bash', ['-c', prelude + body.replace(/\bSECONDS\b/g, 'NOW')], {
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, CALLS: calls, DIR: dir },
  });
  const log = fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: log, dir };
}

/** A stub that fails its first `n` calls (counting in $DIR/<name>.count), then runs `then`. */
const failFirst = (name: string, n: number, then = 'exit 0') =>
  `c=$(cat "$DIR/${name}.count" 2>/dev/null || echo 0); echo $((c + 1)) >"$DIR/${name}.count"\nif ((c < ${n})); then exit 22; fi\n${then}`;

describe('wait-condition signal (defect 3: one attempt, HTTP errors ignored)', () => {
  const signal = (role: UserDataOptions['role']) => shellFunction(script({ role }), 'signal').replace('@@WC_NOTIFY@@', 'notify');

  it.each(NODE_ROLES)('GIVEN a %s whose signal fails twice WHEN it signals THEN it retries with back-off and passes --fail', (role) => {
    const r = run(`${signal(role)}\nsignal '{"status": "SUCCESS"}'\necho "elapsed $SECONDS"`, { notify: failFirst('notify', 2) });

    expect(r.status).toBe(0);
    expect(r.calls).toHaveLength(3);
    for (const call of r.calls) expect(call).toBe('notify --fail --silent --show-error --max-time 60 --data-binary {"status": "SUCCESS"}');
    expect(r.stdout).toContain('elapsed 15'); // 5 s then 10 s
  });

  it('GIVEN a signal that always fails (e.g. HTTP 500 with --fail) WHEN it signals THEN it gives up after SIGNAL_ATTEMPTS with an error', () => {
    const r = run(`${signal('minion')}\nif signal '{}'; then echo sent; else echo "gave up after $SECONDS s"; fi`, { notify: 'exit 22' });

    expect(r.calls).toHaveLength(SIGNAL_ATTEMPTS);
    expect(r.stdout).toMatch(/^gave up after \d+ s$/m);
    // Back-off 5, 10, 20, 40, then 60 s: about 8 minutes before giving up.
    expect(Number(/after (\d+)/.exec(r.stdout)![1])).toBe(5 + 10 + 20 + 40 + 60 * 5);
  });

  it('GIVEN a bootstrap that fails WHEN the ERR trap runs THEN the FAILURE signal carries the reason set by die', () => {
    const text = script({ role: 'minion' });
    const body = `${section(text, 'reason=\n', 'wait_timeout=').replace(/@@WC_NOTIFY@@/g, 'notify')}\ndie "volume x did not appear"\n`;
    const r = run(body.replace(/^log\(\) \{.*\n/m, ''), { notify: 'exit 0', hostname: 'echo node-1' });
    const notified = r.calls.filter((c) => c.startsWith('notify'));

    expect(r.status).toBe(1);
    expect(notified).toHaveLength(1);
    expect(notified[0]).toContain('"status": "FAILURE", "reason": "volume x did not appear on node-1, see /var/log/kubebay-bootstrap.log"');
  });
});

describe('container storage volume (defect 2: virtio-scsi disks; defect 4: mount ordering)', () => {
  const volume = section(script(), 'find_volume() {', 'log "kernel prerequisites"').replace("'@@VOLUME_ID@@'", "'3f0c2a4e-8d1b-4c6f-9a7e-5b2d1c0e9f8a'");

  it('GIVEN a volume that never appears on any bus WHEN the volume step runs THEN it fails with the reason, without guessing /dev/vdb', () => {
    const r = run(volume, { lsblk: 'echo "/dev/vda 0123"', blkid: 'exit 2', mkfs_ext4: 'exit 0' });

    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('volume 3f0c2a4e-8d1b-4c6f-9a7e-5b2d1c0e9f8a did not appear within 300 s');
    expect(r.calls.filter((c) => c.startsWith('lsblk'))).toHaveLength(60);
    expect(r.calls.join('\n')).not.toContain('vdb');
  });

  it('GIVEN lsblk lists a disk whose SERIAL is the whole volume id (virtio-scsi) WHEN find_volume runs THEN it picks that disk', () => {
    const fn = shellFunction(script(), 'find_volume');
    // /dev/null stands in for a block device: the test of -b is stubbed.
    const body = `${fn.replace('[[ -n $d && -b $d ]]', '[[ -n $d ]]')}\nfind_volume 3f0c2a4e-8d1b-4c6f-9a7e-5b2d1c0e9f8a`;
    const r = run(body, { lsblk: 'printf "/dev/sda \\n/dev/sdb 3f0c2a4e-8d1b-4c6f-9a7e-5b2d1c0e9f8a\\n"' });

    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('/dev/sdb');
    expect(r.calls[0]).toBe('lsblk -d -n -p -o NAME,SERIAL');
  });

  it('GIVEN the volume WHEN its fstab entry is written THEN the mount is ordered before containerd, which requires it', () => {
    const text = script();
    expect(text).toContain('defaults,nofail,x-systemd.before=containerd.service 0 2');
    expect(text).toContain("printf '[Unit]\\nRequiresMountsFor=/var/lib/containerd\\n' >/etc/systemd/system/containerd.service.d/kubebay-storage.conf");
    expect(text.indexOf('RequiresMountsFor')).toBeLessThan(text.indexOf('systemctl daemon-reload'));
  });
});

describe('kubeadm retry budget (defect 5: 20 attempts outlast the wait condition)', () => {
  const header = (t: number) => section(script(), 'wait_timeout=', 'find_volume() {').replace('@@WAIT_CONDITION_TIMEOUT@@', String(t));

  it.each([
    [3600, 3000],
    [900, 450],
    [60, 30],
  ])('GIVEN a wait-condition timeout of %i s WHEN the header runs THEN the retry budget is %i s', (timeout, budget) => {
    const r = run(`${header(timeout)}\necho "budget $budget deadline $deadline"`);
    expect(r.stdout.trim()).toBe(`budget ${budget} deadline ${budget}`);
  });

  it('GIVEN kubeadm that always fails and a 300 s budget WHEN kubeadm_retry runs THEN it stops at the deadline with the reason, before 20 attempts', () => {
    const fn = shellFunction(script(), 'kubeadm_retry');
    const r = run(`budget=300\ndeadline=300\n${fn}\nkubeadm_retry join --config x`, {
      kubeadm: '[[ $1 == reset ]] && exit 0; exit 1',
      timeout: 'shift; exec "$@"',
    });

    expect(r.status).not.toBe(0);
    const joins = r.calls.filter((c) => c.startsWith('kubeadm join'));
    expect(joins).toHaveLength(10); // one attempt per 30 s pause
    expect(r.stderr).toContain('kubeadm join did not succeed within the retry budget (300 s, attempt 11)');
    // Every attempt is bounded by the time left.
    const timeouts = r.calls.filter((c) => c.startsWith('timeout'));
    expect(timeouts[0]).toBe('timeout 300 kubeadm join --config x');
    expect(timeouts[9]).toBe('timeout 30 kubeadm join --config x');
  });
});

describe('containerd configuration (defect 6: sandbox image, re-runs)', () => {
  const fragment = (dir: string) =>
    section(script({ dockerVolume: false }), 'cfg=/etc/containerd/config.toml', 'systemctl enable containerd kubelet')
      .replace('cfg=/etc/containerd/config.toml', `cfg=${dir}/config.toml`)
      .replace('mkdir -p /etc/containerd', `mkdir -p ${dir}`);
  const stubs = {
    kubeadm: String.raw`if [[ $1 == version ]]; then echo v1.31.5; else printf 'registry.k8s.io/kube-apiserver:%s\nregistry.k8s.io/pause:3.10\nregistry.k8s.io/etcd:3.5.15-0\n' "$4"; fi`,
    containerd: String.raw`printf '[plugins."io.containerd.grpc.v1.cri"]\n    sandbox_image = "registry.k8s.io/pause:3.6"\n    SystemdCgroup = false\n'`,
    systemctl: 'exit 0',
  };

  it('GIVEN a fresh node WHEN containerd is configured THEN the sandbox image is the one kubeadm lists and containerd restarts once; a re-run keeps the file', () => {
    const dir = tmpDir('kubebay-containerd-');
    const first = run(`kpatch=\n${fragment(dir)}`, stubs);
    const config = fs.readFileSync(path.join(dir, 'config.toml'), 'utf8');

    expect(first.status).toBe(0);
    expect(config.split('\n')[0]).toBe(CONTAINERD_CONFIG_MARKER);
    expect(config).toContain('sandbox_image = "registry.k8s.io/pause:3.10"');
    expect(config).toContain('SystemdCgroup = true');
    expect(first.calls).toContain('kubeadm config images list --kubernetes-version v1.31.5');
    expect(first.calls.filter((c) => c === 'systemctl restart containerd')).toHaveLength(1);

    fs.appendFileSync(path.join(dir, 'config.toml'), '# edited by the operator\n');
    const again = run(`kpatch=\n${fragment(dir)}`, stubs);
    expect(again.status).toBe(0);
    expect(again.calls.filter((c) => c.startsWith('systemctl'))).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'config.toml'), 'utf8')).toContain('# edited by the operator');
  });

  it('GIVEN a full Kubernetes version WHEN containerd is configured THEN kubeadm lists the images of that version', () => {
    const dir = tmpDir('kubebay-containerd-');
    const r = run(`kpatch=1.31.2\n${fragment(dir)}`, stubs);
    expect(r.calls).toContain('kubeadm config images list --kubernetes-version v1.31.2');
  });
});

describe('the cloud CA bundle (defect 1: private-CA clouds)', () => {
  it.each(NODE_ROLES)('GIVEN openstackCa for a %s WHEN rendered THEN the bundle is written and trusted before anything calls the cloud', (role) => {
    const written = files({ role, openstackCa: true });
    const text = script({ role, openstackCa: true });

    expect(written.find((f) => f.path === OPENSTACK_CA_PATH)).toMatchObject({ encoding: 'b64', content: '@@OPENSTACK_CA@@', permissions: '0644' });
    const install = text.indexOf('update-ca-certificates');
    expect(install).toBeGreaterThan(0);
    for (const later of ['find_volume', 'apt_get update', 'curl', 'kubeadm_retry', 'signal "{\\"status\\": \\"SUCCESS']) {
      const at = text.indexOf(later, text.indexOf('deadline=$((SECONDS'));
      if (at >= 0) expect(install).toBeLessThan(at);
    }
  });

  it('GIVEN no openstackCa WHEN rendered THEN nothing about it is written', () => {
    expect(files({ role: 'first-master', cloudControllerManager: true }).map((f) => f.path)).not.toContain(OPENSTACK_CA_PATH);
    expect(script()).not.toContain('update-ca-certificates');
  });
});
