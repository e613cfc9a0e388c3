/**
 * `kubebay roll`: brings a Terraform-deployed bay's servers to their current
 * user data one at a time. Servers ignore `user_data` drift (a plan never
 * replaces them all); this replaces them with `terraform apply -replace=...`:
 * masters one by one (each only while every master is Ready, its etcd member
 * removed first), then minions in batches, each step waiting until the
 * replaced nodes are Ready with a new boot id, within a timeout.
 */
import { KubebayError } from '../core/errors';
import { CommandRunner, EtcdMemberRemover } from './etcd';
import { NodeReader, NodeState } from './kube-api';
import { RollRole, RollStep, rollPlan, serversInState } from './plan';

export interface RollOptions {
  /** Directory Terraform runs in (the synthesized stack, initialised). */
  readonly dir: string;
  readonly bay: string;
  /** Minions per step. @default 1 */
  readonly batchSize?: number;
  /** @default both roles */
  readonly roles?: readonly RollRole[];
  /** Only these nodes (`master/1`). @default all */
  readonly nodes?: readonly string[];
  /** Seconds a step may take to bring its nodes back Ready. @default 1800 */
  readonly timeoutSeconds?: number;
  /** Seconds between readiness checks. @default 10 */
  readonly pollSeconds?: number;
  /** Extra arguments of `terraform apply` (e.g. `-var-file=prod.tfvars`). @default [] */
  readonly applyArgs?: readonly string[];
  /** Print the steps, change nothing. @default false */
  readonly dryRun?: boolean;
}

export interface RollDeps {
  readonly run: CommandRunner;
  /** Terraform binary. @default 'terraform' */
  readonly terraform?: string;
  readonly readNode: NodeReader;
  /** Removes a master's etcd member before its replacement. */
  readonly removeEtcdMember: EtcdMemberRemover;
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** A roll that stopped: the message says what to fix and how to resume. */
export class RollError extends KubebayError {}

/** Runs the roll; resolves to the steps done. */
export async function roll(opts: RollOptions, deps: RollDeps): Promise<RollStep[]> {
  const tf = deps.terraform ?? 'terraform';
  const list = await deps.run(tf, ['state', 'list'], opts.dir);
  if (list.code !== 0) throw new RollError(`terraform state list failed in ${opts.dir} (exit ${list.code}): ${list.stderr.trim()}; run \`terraform init\` there first`);
  const state = serversInState(list.stdout, opts.bay);
  if (!state.master.length) throw new RollError(`no master server of bay "${opts.bay}" in the Terraform state of ${opts.dir}; apply the bay first`);
  let steps: RollStep[];
  try {
    steps = rollPlan(state, { bay: opts.bay, batchSize: opts.batchSize, roles: opts.roles, nodes: opts.nodes });
  } catch (e) {
    throw new RollError((e as Error).message);
  }
  if (state.master.length === 1 && steps.some((s) => s.role === 'master')) {
    deps.log(`skipping master ${state.master[0]}: it is the only master and holds etcd's data; a replacement would start a new cluster (upgrade it in place with kubeadm, README "Day 2")`);
    steps = steps.filter((s) => s.role !== 'master');
  }
  for (const [i, s] of steps.entries()) deps.log(`step ${i + 1}/${steps.length}: replace ${s.role} ${s.keys.join(', ')} (${s.nodeNames.join(', ')})`);
  if (opts.dryRun) return steps;
  const masterNames = state.master.map((k) => `${opts.bay}-master-${k}`);
  for (const [i, s] of steps.entries()) {
    await rollStep(s, `${i + 1}/${steps.length}`, { opts, deps, tf, masterNames });
  }
  deps.log(`rolled ${steps.length} step(s): every replaced node is Ready`);
  return steps;
}

interface StepContext {
  readonly opts: RollOptions;
  readonly deps: RollDeps;
  readonly tf: string;
  readonly masterNames: readonly string[];
}

async function rollStep(s: RollStep, label: string, c: StepContext): Promise<void> {
  const { deps } = c;
  const resume = `resume with \`kubebay roll --node ${s.role}/${s.keys[0]} ...\` once fixed`;
  if (s.role === 'master') await mastersHealthy(c, s.nodeNames[0]);
  const before = new Map<string, NodeState | undefined>();
  for (const n of s.nodeNames) before.set(n, await deps.readNode(n).catch(() => undefined));
  if (s.role === 'master') {
    const survivor = c.masterNames.find((n) => n !== s.nodeNames[0])!;
    try {
      const id = await deps.removeEtcdMember(s.nodeNames[0], survivor);
      deps.log(id ? `removed etcd member ${id} (${s.nodeNames[0]}) through ${survivor}` : `${s.nodeNames[0]} had no etcd member`);
    } catch (e) {
      // The replacement removes its predecessor's member itself before joining (lib/bootstrap/etcd-reconcile.ts).
      deps.log(`could not remove the etcd member of ${s.nodeNames[0]} now (${(e as Error).message}); its replacement removes it at boot`);
    }
  }
  deps.log(`step ${label}: terraform apply ${s.addresses.map((a) => `-replace=${a}`).join(' ')}`);
  const args = ['apply', '-input=false', '-auto-approve', ...s.addresses.map((a) => `-replace=${a}`), ...(c.opts.applyArgs ?? [])];
  const r = await deps.run(c.tf, args, c.opts.dir);
  if (r.code !== 0) throw new RollError(`step ${label}: terraform apply failed (exit ${r.code}): ${lastLines(r.stderr || r.stdout)}; ${resume}`);
  await waitReady(s, before, c, resume);
  deps.log(`step ${label}: ${s.nodeNames.join(', ')} Ready`);
}

/** Replacing a master is safe only while every other master is Ready: one member down keeps quorum. */
async function mastersHealthy(c: StepContext, target: string): Promise<void> {
  for (const n of c.masterNames.filter((m) => m !== target)) {
    const st = await c.deps.readNode(n).catch((e: Error) => {
      throw new RollError(`cannot read node ${n} through the Kubernetes API (${e.message}); check --kubeconfig and that the API answers`);
    });
    if (!st?.ready) {
      throw new RollError(`master ${n} is not Ready: replacing ${target} now could leave etcd without quorum; bring ${n} back (or replace it first with --node) and run kubebay roll again`);
    }
  }
}

async function waitReady(s: RollStep, before: Map<string, NodeState | undefined>, c: StepContext, resume: string): Promise<void> {
  const sleep = c.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = c.deps.now ?? Date.now;
  const timeout = (c.opts.timeoutSeconds ?? 1800) * 1000;
  const deadline = now() + timeout;
  const pending = new Set(s.nodeNames);
  for (;;) {
    for (const n of [...pending]) {
      const st = await c.deps.readNode(n).catch(() => undefined);
      if (st?.ready && st.bootId && st.bootId !== before.get(n)?.bootId) pending.delete(n);
    }
    if (!pending.size) return;
    if (now() >= deadline) {
      throw new RollError(`${[...pending].join(', ')} not Ready with a new boot within ${timeout / 1000} s after the replacement; the roll stopped (look at /var/log/kubebay-bootstrap.log on the node); ${resume}`);
    }
    await sleep((c.opts.pollSeconds ?? 10) * 1000);
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ');
}
