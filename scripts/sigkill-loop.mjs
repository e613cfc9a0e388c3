#!/usr/bin/env node
// SIGKILL loop (CI, bounded): start `kubebay synth` (compiled CLI), kill it
// with SIGKILL at a random moment, and check after every kill that
//   - each output directory is whole: the previous outputs or the new ones
//     (or, killed between the two renames of a swap, absent with its
//     `.old-<pid>` beside it, which the next run puts back);
//   - the PKI store is consistent: a bay loads (key matches certificate,
//     record matches store), or a new bay killed while being created has no
//     store at all;
// and that a later run cleans every piece of debris (`*.staging-*`,
// `*.old-*`, `.creating-*`, temp files, dead locks).
//
//   node scripts/sigkill-loop.mjs [RUNS]   (default 30; needs `npm run build`)
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CLI = path.join(repo, 'dist/lib/cli/main.js');
const { PkiStore } = require(path.join(repo, 'dist/lib/pki'));
const RUNS = Number(process.argv[2] ?? 30);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubebay-sigkill-'));
const out = path.join(root, 'out');
const store = new PkiStore(path.join(root, '.kubebay/pki'));
const base = ['image: ubuntu-24.04', 'keyName: ops', 'externalNetwork: public', 'masterCount: 1', 'apiAllowedCidrs: [203.0.113.0/24]'];
const config = (name, minions) => {
  const file = path.join(root, `${name}-${minions}.yaml`);
  fs.writeFileSync(file, [`name: ${name}`, `minionCount: ${minions}`, ...base].join('\n') + '\n');
  return file;
};

function synth(file, o = out) {
  const r = spawnSync(process.execPath, [CLI, 'synth', '-c', file, '-o', o], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synth ${file} failed: ${r.stderr}`);
}

/** Files of a directory (relative path -> bytes), without Terraform's kept files; undefined if absent. */
function snapshot(dir) {
  if (!fs.existsSync(dir)) return undefined;
  const files = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files[path.relative(dir, p)] = fs.readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return JSON.stringify(Object.entries(files).sort());
}

const dirs = (bay) => [path.join(out, 'terraform'), path.join(out, 'hot', bay)];
const debris = () => {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (/\.staging-\d+$|\.old-\d+$|\.creating-|\.tmp$|\.lock$|\.stale-/.test(e.name)) found.push(path.join(d, e.name));
      if (e.isDirectory()) walk(path.join(d, e.name));
    }
  };
  walk(root);
  return found;
};

// The two states the outputs alternate between, synthesized cleanly first.
const X = config('kill', 1);
const Y = config('kill', 2);
synth(Y);
const yDirs = dirs('kill').map(snapshot);
synth(X);
const xDirs = dirs('kill').map(snapshot);
// The shortest of three clean runs: kills land within a run, not after it.
const duration = Math.min(
  ...[0, 1, 2].map(() => {
    const t0 = Date.now();
    synth(X);
    return Date.now() - t0;
  }),
);
console.log(`sigkill: a synth takes ${duration} ms; ${RUNS} runs killed at a random moment within it`);

let killed = 0;
let failures = 0;
const fail = (msg) => {
  failures++;
  console.log(`FAIL: ${msg}`);
};

for (let i = 0; i < RUNS; i++) {
  const newBay = i % 5 === 4; // every fifth run creates a new bay (killed during key generation, mostly)
  const bay = newBay ? `new${i}` : 'kill';
  const file = newBay ? config(bay, 1) : i % 2 === 0 ? Y : X;
  const delay = Math.floor(Math.random() * duration * (newBay ? 1.5 : 1));
  // (a new bay gets its own --out: the CLI's <out>/terraform holds one bay)
  const child = spawn(process.execPath, [CLI, 'synth', '-c', file, '-o', newBay ? `${out}-${bay}` : out], { stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), delay);
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  if (signal === 'SIGKILL') killed++;
  else if (code !== 0) fail(`run ${i} exited ${code} without being killed`);

  // Outputs: whole old or whole new (or absent with .old-<pid> beside it).
  for (const [k, dir] of dirs('kill').entries()) {
    const s = snapshot(dir);
    const ok = s === xDirs[k] || s === yDirs[k] || (s === undefined && fs.readdirSync(path.dirname(dir)).some((n) => n.startsWith(`${path.basename(dir)}.old-`)));
    if (!ok) fail(`run ${i} (killed after ${delay} ms): ${dir} is neither the old nor the new outputs`);
  }
  // Store: the bay loads consistently, or a new bay killed early has no store.
  try {
    if (!newBay || fs.existsSync(store.dir(bay)) || fs.existsSync(store.recordFile(bay))) store.loadOrCreate(bay);
  } catch (e) {
    fail(`run ${i} (killed after ${delay} ms): store of ${bay} inconsistent: ${e.message}`);
  }
}

// A later run cleans the debris of every killed run.
synth(X);
for (const i of Array.from({ length: RUNS }, (_, k) => k).filter((k) => k % 5 === 4)) synth(config(`new${i}`, 1), `${out}-new${i}`);
const left = debris();
if (left.length) fail(`debris left after clean runs: ${left.join(', ')}`);
if (snapshot(dirs('kill')[0]) !== xDirs[0]) fail('the final synth did not produce the expected Terraform outputs');
fs.rmSync(root, { recursive: true, force: true });
console.log(`sigkill: ${RUNS} runs, ${killed} killed mid-way, ${failures} failures`);
console.log(`sigkill: ${RUNS - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
