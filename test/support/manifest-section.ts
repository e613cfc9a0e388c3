/**
 * Runs the first master's network-manifest section of a bootstrap script
 * (flannel's, Calico's) in bash with stubs: `curl` copies a served file,
 * `kubectl` logs its arguments; the manifest as edited and applied comes back.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from '../tmp';

export interface SectionRun {
  readonly status: number | null;
  readonly stderr: string;
  /** The manifest file after the section's edits ('' when never written). */
  readonly manifest: string;
  /** kubectl's arguments, a line per call. */
  readonly kubectl: string;
}

/** Where the section is: from its `log "<start>` line to the line holding `end`; the manifest's file name under $K/kubeadm. */
export interface SectionBounds {
  readonly start: string;
  readonly end: string;
  readonly file: string;
}

export function runManifestSection(text: string, served: string, bounds: SectionBounds): SectionRun {
  const dir = tmpDir('kubebay-section-');
  const start = text.indexOf(`  log "${bounds.start}`);
  const end = text.indexOf('\n', text.indexOf(bounds.end, start));
  const stubs = String.raw`set -euo pipefail
K=${dir}; mkdir -p "$K/kubeadm"
log() { :; }
die() { echo "DIE: $*" >&2; exit 1; }
retry() { shift 2; "$@"; }
curl() { cp ${served} "$5"; }
kubectl() { echo "$*" >>${dir}/kubectl.log; }
`;
  const run = spawnSync('bash', ['-c', stubs + text.slice(start, end + 1)], { encoding: 'utf8' });
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  return { status: run.status, stderr: run.stderr, manifest: read(path.join(dir, 'kubeadm', bounds.file)), kubectl: read(path.join(dir, 'kubectl.log')) };
}
