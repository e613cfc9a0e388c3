import { gunzipSync } from 'zlib';
/**
 * A replaced master forgets its predecessor's etcd member before joining,
 * and the first master joins a running control plane instead of `kubeadm
 * init`: the shell functions run in bash with stub curl/openssl/hostname.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BOOTSTRAP_SCRIPT_PATH, KUBEADM_JOIN_CONFIG, renderUserData, UserDataOptions } from '../../lib/bootstrap';
import { rejoinFunctions } from '../../lib/bootstrap/etcd-reconcile';
import { tmpDir } from '../helpers';
import { parse } from 'yaml';

const BASE: UserDataOptions = {
  role: 'master',
  preinstalledPackages: false,
  podNetworkCidr: '10.100.0.0/16',
  serviceCidr: '10.254.0.0/16',
  clusterName: 'kubebay',
  dockerVolume: false,
};
const script = (role: UserDataOptions['role']) => {
  const f = (parse(renderUserData({ ...BASE, role }).text).write_files as { path: string; content: string }[]).find((w) => w.path === BOOTSTRAP_SCRIPT_PATH)!;
  return gunzipSync(Buffer.from(f.content, 'base64')).toString('utf8');
};

const PODS = JSON.stringify({
  items: ['life-master-0', 'life-master-1', 'life-master-2'].map((n, i) => ({
    spec: { nodeName: n },
    metadata: { annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://10.0.0.${5 + i}:2379` } },
  })),
});
const MEMBERS = JSON.stringify({
  members: [
    { ID: '10276657743932975437', name: 'life-master-0' },
    { ID: '10501334649042878790', name: 'life-master-1' },
    { ID: '11600629785412237588', name: 'life-master-2' },
  ],
});

/** Runs etcd_forget_self as node `me`; the calls curl received, one per line. */
function forget(me: string, opts: { etcdData?: boolean } = {}) {
  const dir = tmpDir('kubebay-etcd-');
  const data = path.join(dir, 'var-lib-etcd');
  if (opts.etcdData) fs.mkdirSync(path.join(data, 'member'), { recursive: true });
  const calls = path.join(dir, 'calls');
  const fns = rejoinFunctions('10.0.0.3:6443').replace('/var/lib/etcd/member', path.join(data, 'member'));
  const stubs = `
K=${dir}
log() { echo "$*" >&2; }
hostname() { echo ${me}; }
openssl() { :; }
curl() {
  echo "$*" >>${calls}
  case "$*" in
    *kube-system/pods*) echo '${PODS}' ;;
    */member/list*) echo '${MEMBERS}' ;;
    */member/remove*) echo '{}' ;;
  esac
}
`;
  const r = spawnSync('bash', ['-c', `set -euo pipefail\n${stubs}\n${fns}\netcd_forget_self`], { encoding: 'utf8' });
  const lines = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : [];
  return { status: r.status, stderr: r.stderr, calls: lines };
}

test('a replacement master removes only its own predecessor, through another master\'s etcd', () => {
  const r = forget('life-master-1');
  expect(r.stderr).toMatch(/removing the etcd member 10501334649042878790 of this node's predecessor \(life-master-1\) through https:\/\/10.0.0.5:2379/);
  expect(r.status).toBe(0);
  const removes = r.calls.filter((c) => c.includes('/member/remove'));
  expect(removes).toHaveLength(1);
  expect(removes[0]).toContain('https://10.0.0.5:2379/v3/cluster/member/remove -d {"ID": "10501334649042878790"}');
  // it never asks its own (dead) etcd
  expect(r.calls.some((c) => c.includes('10.0.0.6:2379'))).toBe(false);
});

test('a master with etcd data of its own (a reboot, a retry) removes nothing', () => {
  const r = forget('life-master-1', { etcdData: true });
  expect(r.status).toBe(0);
  expect(r.calls).toEqual([]);
});

test('a new master that etcd does not know yet removes nothing', () => {
  const r = forget('life-master-7');
  expect(r.status).toBe(0);
  expect(r.calls.filter((c) => c.includes('/member/remove'))).toEqual([]);
});

test('masters call etcd_forget_self right before their control-plane join; the first master only in its join branch, never before init', () => {
  const master = script('master');
  expect(master.indexOf('etcd_forget_self\n  kubeadm_retry join')).toBeGreaterThan(master.indexOf('etcd_forget_self() {'));
  const first = script('first-master');
  const branch = first.slice(first.indexOf('elif api_answers; then'), first.indexOf('kubeadm_retry init'));
  expect(branch).toContain(`etcd_forget_self\n  kubeadm_retry join --config ${KUBEADM_JOIN_CONFIG}`);
  expect(first.slice(first.indexOf('kubeadm_retry init'))).not.toContain('etcd_forget_self\n');
  expect(script('minion')).not.toContain('etcd_forget_self');
});
