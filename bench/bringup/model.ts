/**
 * Deploy-time (bring-up) model: a dependency graph of resources with assumed
 * durations (./durations.ts), scheduled as Heat and Terraform schedule them —
 * a resource starts when everything it depends on is complete, with no limit
 * on parallelism — plus the one ordering that happens at run time, not in the
 * orchestrator: a node that joins (a minion, a further master) cannot finish
 * its bootstrap before the first master's API answers, and the first master
 * cannot finish `kubeadm init` (whose clients use the controlPlaneEndpoint,
 * the load balancer's VIP) before its load-balancer members exist.
 *
 * Pure functions; the graphs come from ./hot-graph.ts, ./tf-graph.ts and
 * ./mitaka.ts.
 */
import { NODE_BOOTSTRAP, secondsOf, WAIT_TYPES } from './durations';

/** Role of a node whose bootstrap a task stands for. */
export type BootRole = 'first-master' | 'master' | 'minion';

/** One schedulable unit: a resource (or a resource group's start/end marker, or a node's bootstrap). */
export interface Task {
  readonly id: string;
  readonly seconds: number;
  readonly deps: readonly string[];
  /** The task is a node's bootstrap: `seconds` is ignored, NODE_BOOTSTRAP applies, joins wait for the API. */
  readonly bootstrap?: BootRole;
  /** The task creates a load-balancer member: the first master's `kubeadm init` needs it (the VIP routes to the master). */
  readonly lbMember?: boolean;
}

export interface Bootstrap {
  readonly prepare: number;
  readonly finish: number;
}

export interface Schedule {
  readonly start: ReadonlyMap<string, number>;
  readonly finish: ReadonlyMap<string, number>;
  /** Time until every task is complete (HOT: CREATE_COMPLETE). */
  readonly total: number;
  /** The critical path, first task first. */
  readonly path: readonly string[];
  /** When the first master's bootstrap is complete (its API answers); undefined without one. */
  readonly apiReady?: number;
}

/** A resource of a template: its type, what it depends on, and for a resource group what it repeats. */
export interface SpecResource {
  readonly type: string;
  /** Names in the same template; `../name` is a resource of the parent template. */
  readonly deps: readonly string[];
  readonly group?: { readonly template: string; readonly count: number; readonly role: 'master' | 'minion' };
}

/** A HOT-like template set: the root template's name and every template's resources. */
export interface StackSpec {
  readonly root: string;
  readonly templates: Readonly<Record<string, Readonly<Record<string, SpecResource>>>>;
}

/**
 * Flattens a template set into tasks. A resource group `G` becomes `G:start`
 * (after G's dependencies), `count` members `G/<i>/<name>` (each after
 * `G:start`) and `G` itself (after every member), so that whatever depends
 * on the group waits for all of it, as in Heat.
 */
export function expand(spec: StackSpec): Task[] {
  const tasks: Task[] = [];
  const root = spec.templates[spec.root];
  if (!root) throw new Error(`no template ${spec.root}`);
  for (const [name, r] of Object.entries(root)) {
    if (!r.group) {
      tasks.push(resourceTask(name, r, r.deps));
      continue;
    }
    const nested = spec.templates[r.group.template];
    if (!nested) throw new Error(`${name}: no template ${r.group.template}`);
    tasks.push({ id: `${name}:start`, seconds: 0, deps: r.deps });
    const members: string[] = [];
    for (let i = 0; i < r.group.count; i++) {
      const role: BootRole = r.group.role === 'minion' ? 'minion' : i === 0 ? 'first-master' : 'master';
      for (const [inner, nr] of Object.entries(nested)) {
        const id = `${name}/${i}/${inner}`;
        const deps = [`${name}:start`, ...nr.deps.map((d) => (d.startsWith('../') ? d.slice(3) : `${name}/${i}/${d}`))];
        // A wait condition after the node's first one (the re-armed `<role>_wait_server`) is met by the same signal.
        const afterWait = nr.deps.some((d) => WAIT_TYPES.includes(nested[d]?.type ?? ''));
        tasks.push(resourceTask(id, nr, deps, afterWait ? undefined : role));
        members.push(id);
      }
    }
    tasks.push({ id: name, seconds: 0, deps: members.length ? members : [`${name}:start`] });
  }
  return tasks;
}

/** Types of load-balancer members (HOT and Terraform). */
export const MEMBER_TYPES: readonly string[] = ['OS::Octavia::PoolMember', 'OS::Neutron::PoolMember', 'openstack_lb_member_v2'];

function resourceTask(id: string, r: SpecResource, deps: readonly string[], role?: BootRole): Task {
  if (role && WAIT_TYPES.includes(r.type)) return { id, seconds: 0, deps, bootstrap: role };
  return { id, seconds: secondsOf(r.type), deps, ...(MEMBER_TYPES.includes(r.type) ? { lbMember: true } : {}) };
}

/**
 * Schedules the tasks: earliest start = latest finish of the dependencies;
 * a bootstrap takes `prepare + finish`, a joining node's `finish` starts
 * no earlier than the first master's bootstrap is complete, and the first
 * master's `finish` no earlier than every load-balancer member exists.
 */
export function schedule(tasks: readonly Task[], boot: Bootstrap = NODE_BOOTSTRAP): Schedule {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const start = new Map<string, number>();
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  let apiReady: number | undefined;
  const members = tasks.filter((t) => t.lbMember).map((t) => t.id);
  for (const t of order(tasks, byId)) {
    let s = 0;
    let from: string | undefined;
    for (const d of t.deps) {
      const f = finish.get(d)!;
      if (from === undefined || f > s) [s, from] = [f, d];
    }
    let f = s + t.seconds;
    if (t.bootstrap) {
      const prepared = s + boot.prepare;
      const vip = latest(members, finish);
      const gate = t.bootstrap === 'first-master' ? Math.max(prepared, vip?.[1] ?? prepared) : Math.max(prepared, apiReady ?? prepared);
      if (gate > prepared) from = t.bootstrap === 'first-master' ? vip![0] : firstMasterOf(tasks, finish);
      f = gate + boot.finish;
      if (t.bootstrap === 'first-master') apiReady = Math.max(apiReady ?? 0, f);
    }
    start.set(t.id, s);
    finish.set(t.id, f);
    via.set(t.id, from);
  }
  return { start, finish, total: Math.max(0, ...finish.values()), path: criticalPath(finish, via), apiReady };
}

/** The task of `ids` that finishes last, and when. */
function latest(ids: readonly string[], finish: ReadonlyMap<string, number>): [string, number] | undefined {
  let out: [string, number] | undefined;
  for (const id of ids) if (finish.has(id) && (!out || finish.get(id)! > out[1])) out = [id, finish.get(id)!];
  return out;
}

function firstMasterOf(tasks: readonly Task[], finish: ReadonlyMap<string, number>): string | undefined {
  return tasks.filter((t) => t.bootstrap === 'first-master' && finish.has(t.id)).sort((a, b) => finish.get(b.id)! - finish.get(a.id)!)[0]?.id;
}

/** Topological order; first-master bootstraps come before any joining bootstrap (the run-time gate). */
function order(tasks: readonly Task[], byId: ReadonlyMap<string, Task>): Task[] {
  const firstMasters = tasks.filter((t) => t.bootstrap === 'first-master').map((t) => t.id);
  const members = tasks.filter((t) => t.lbMember).map((t) => t.id);
  const depsOf = (t: Task) => (!t.bootstrap ? t.deps : t.bootstrap === 'first-master' ? [...t.deps, ...members] : [...t.deps, ...firstMasters]);
  const out: Task[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: Task, trail: string[]) => {
    const st = state.get(t.id);
    if (st === 'done') return;
    if (st === 'visiting') throw new Error(`dependency cycle: ${[...trail, t.id].join(' -> ')}`);
    state.set(t.id, 'visiting');
    for (const d of depsOf(t)) {
      const dep = byId.get(d);
      if (!dep) throw new Error(`${t.id} depends on unknown ${d}`);
      visit(dep, [...trail, t.id]);
    }
    state.set(t.id, 'done');
    out.push(t);
  };
  for (const t of tasks) visit(t, []);
  return out;
}

function criticalPath(finish: ReadonlyMap<string, number>, via: ReadonlyMap<string, string | undefined>): string[] {
  let last: string | undefined;
  for (const [id, f] of finish) if (last === undefined || f > finish.get(last)!) last = id;
  const path: string[] = [];
  for (let id = last; id !== undefined; id = via.get(id)) path.unshift(id);
  return path;
}

/** A copy of `spec` with `edit` applied to one template's resources (what-if variants). */
export function editSpec(spec: StackSpec, template: string, edit: (name: string, r: SpecResource) => SpecResource): StackSpec {
  const t = spec.templates[template];
  if (!t) throw new Error(`no template ${template}`);
  const edited = Object.fromEntries(Object.entries(t).map(([n, r]) => [n, edit(n, r)]));
  return { ...spec, templates: { ...spec.templates, [template]: edited } };
}
