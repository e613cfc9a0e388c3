/**
 * The worker's version-skew wait (lib/bootstrap/version-skew.ts) run by bash
 * with stub `curl` (the API's /version answers, one per poll, from a file),
 * `kubelet --version` and `sleep`. Offline: needs only bash.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderUserData, SKEW_JOIN_RESERVE_SECONDS, SKEW_POLL_SECONDS } from '../../lib/bootstrap';
import { versionSkewFunctions } from '../../lib/bootstrap/version-skew';
import { tmpDir } from '../tmp';

const API = '192.0.2.10:6443';

const STUB = String.raw`#!/bin/bash
name=$(basename "$0")
echo "$name $*" >>"$SIM/calls"
case $name in
  kubelet) cat "$SIM/kubelet" ;;
  sleep) ;;
  curl)
    # one answer per call: a version (JSON like the API's), or "down" (connection refused)
    v=$(sed -n 1p "$SIM/api")
    if [[ $(wc -l <"$SIM/api") -gt 1 ]]; then sed -i 1d "$SIM/api"; fi
    if [[ $v == down ]]; then exit 7; fi
    printf '{\n  "major": "1",\n  "minor": "%s",\n  "gitVersion": "%s",\n  "platform": "linux/amd64"\n}\n' "$(cut -d. -f2 <<<"$v")" "$v"
    ;;
esac
`;

interface Result {
  readonly status: number | null;
  readonly out: string;
  readonly curls: number;
}

/** Runs `wait_api_version` with `budget` seconds left before the deadline. */
function run(kubelet: string, answers: string[], budget = SKEW_JOIN_RESERVE_SECONDS + 5 * SKEW_POLL_SECONDS + 15): Result {
  const dir = tmpDir('kubebay-skew-');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'stub'), STUB, { mode: 0o755 });
  for (const n of ['curl', 'kubelet', 'sleep']) fs.symlinkSync('stub', path.join(bin, n));
  fs.writeFileSync(path.join(dir, 'kubelet'), kubelet ? `Kubernetes ${kubelet}\n` : '');
  fs.writeFileSync(path.join(dir, 'api'), answers.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'calls'), '');
  const script = [
    'set -euo pipefail',
    'set -o errtrace',
    'log() { echo "LOG $*"; }',
    'die() { reason=$*; log "$reason"; return 1; }',
    "trap 'echo \"FAILED: $reason\"; exit 3' ERR",
    `deadline=$((SECONDS + ${budget}))`,
    versionSkewFunctions(API),
    'wait_api_version',
    'echo JOIN',
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: `${bin}:/usr/bin:/bin`, SIM: dir } });
  const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8');
  return { status: r.status, out: r.stdout + r.stderr, curls: calls.split('\n').filter((l) => l.startsWith('curl')).length };
}

describe('worker bootstrap: wait for the API version before kubeadm join', () => {
  test('an API already at the kubelet minor (or newer) joins at once', () => {
    for (const api of ['v1.31.0', 'v1.32.1']) {
      const r = run('v1.31.2', [api]);
      expect(r.status).toBe(0);
      expect(r.out).toContain(`the API at ${API} runs v1.${api.split('.')[1]}, this kubelet v1.31: joining`);
      expect(r.out).toMatch(/JOIN\n$/);
      expect(r.curls).toBe(1);
    }
  });

  test('an older API makes the new kubelet wait, poll by poll, until the masters are upgraded', () => {
    const r = run('v1.32.0', ['v1.31.4', 'down', 'v1.31.4', 'v1.32.0']);
    expect(r.status).toBe(0);
    expect(r.curls).toBe(4);
    expect(r.out).toContain('runs v1.31, older than this kubelet v1.32: waiting for the masters\' upgrade (poll 1/5)');
    expect(r.out).toContain(`no version from https://${API}/version yet (poll 2/5)`);
    expect(r.out).toContain('runs v1.32, this kubelet v1.32: joining');
    expect(r.out.indexOf('joining')).toBeLessThan(r.out.indexOf('JOIN'));
  });

  test('the wait is bounded by the retry budget: an API still older at the end fails the bootstrap naming both versions', () => {
    const r = run('v1.32.0', ['v1.31.4']);
    expect(r.status).toBe(3);
    expect(r.curls).toBe(5); // (budget - join reserve) / poll interval
    expect(r.out).toContain(`FAILED: the API at ${API} still runs v1.31, older than this kubelet v1.32 (unsupported version skew) after 5 polls ${SKEW_POLL_SECONDS} s apart; upgrade the masters first`);
    expect(r.out).not.toContain('JOIN');
  });

  test('an API that never answers does not block the join (kubeadm join retries on its own)', () => {
    const r = run('v1.32.0', ['down']);
    expect(r.status).toBe(0);
    expect(r.curls).toBe(5);
    expect(r.out).toContain('gave no version after 5 polls; joining');
  });

  test('at least one poll when the budget is already spent; no wait when the kubelet version is unreadable', () => {
    expect(run('v1.32.0', ['v1.31.0', 'v1.32.0'], 10).status).toBe(3);
    const r = run('', ['v1.30.0']);
    expect(r.status).toBe(0);
    expect(r.curls).toBe(0);
    expect(r.out).toContain("cannot read this kubelet's version, not waiting");
  });

  test('only workers wait: the minion script runs it right before kubeadm join, the masters not at all', () => {
    const minion = renderUserData({ role: 'minion', podNetworkCidr: '10.100.0.0/16', serviceCidr: '10.254.0.0/16', clusterName: 'c' }).script;
    expect(minion).toMatch(/\n\s+wait_api_version\n\s+log "joining the cluster"\n\s+kubeadm_retry join/);
    for (const role of ['master', 'first-master'] as const) {
      const text = renderUserData({ role, podNetworkCidr: '10.100.0.0/16', serviceCidr: '10.254.0.0/16', clusterName: 'c' }).script;
      expect(text).not.toContain('wait_api_version');
    }
  });
});
