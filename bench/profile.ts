/**
 * Top functions of a V8 .cpuprofile, by self and by inclusive time:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/case.js bay --out /tmp/o --pki /tmp/p
 *   node dist/bench/profile.js /tmp/prof/CPU.*.cpuprofile [--top 25] [--under functionName] [--callers-in dist/lib]
 *
 * `--under NAME` keeps only samples whose stack contains a function NAME
 * (e.g. `replaceDir`, or `KubernetesBay`), to leave module loading out;
 * with `--callers-in PATH` the time below NAME is attributed to NAME's nearest
 * caller in a file whose path contains PATH (who causes it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

export interface FunctionTime {
  readonly name: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

function label(f: CallFrame): string {
  const file = f.url ? path.relative(process.cwd(), f.url.replace(/^file:\/\//, '')) : '';
  return `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
}

/**
 * Self and inclusive time per function (µs → ms), optionally only below frames named `under`.
 * With `callersIn`, only samples inside a frame named `under` count, and they are
 * attributed to the nearest caller of that frame whose file path contains `callersIn`.
 */
export function topFunctions(profile: CpuProfile, under?: string, callersIn?: string): FunctionTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const stack: CallFrame[] = [];
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) stack.push(byId.get(n)!.callFrame);
    if (under && !stack.some((f) => f.functionName === under)) return;
    if (callersIn) {
      const at = stack.findIndex((f) => f.functionName === under);
      const caller = stack.slice(at + 1).find((f) => f.url.includes(callersIn));
      const l = caller ? label(caller) : '(none)';
      self.set(l, (self.get(l) ?? 0) + dt);
      total.set(l, (total.get(l) ?? 0) + dt);
      return;
    }
    const leaf = label(stack[0]);
    self.set(leaf, (self.get(leaf) ?? 0) + dt);
    for (const l of new Set(stack.map(label))) total.set(l, (total.get(l) ?? 0) + dt);
  });
  return [...total].map(([name, t]) => ({ name, selfMs: self.get(name) ?? 0, totalMs: t }));
}

function main(): void {
  const argv = process.argv.slice(2);
  const opt = (k: string) => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? argv.splice(i, 2)[1] : undefined;
  };
  const top = Number(opt('top') ?? 25);
  const under = opt('under');
  const callersIn = opt('callers-in');
  for (const file of argv) {
    const fns = topFunctions(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, under, callersIn);
    const fmt = (f: FunctionTime) => `${f.selfMs.toFixed(1).padStart(8)} ${f.totalMs.toFixed(1).padStart(8)}  ${f.name}`;
    console.log(`${file}${under ? ` (below ${under})` : ''}\n    self    total  function (ms)`);
    console.log('-- by self time');
    for (const f of [...fns].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) console.log(fmt(f));
    console.log('-- by inclusive time');
    for (const f of [...fns].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) console.log(fmt(f));
  }
}

if (require.main === module) main();
