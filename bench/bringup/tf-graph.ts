/**
 * The dependency graph of a cdk.tf.json, as Terraform builds it: a resource
 * instance depends on what its `depends_on` names and on the resources its
 * expressions reference. `for_each` resources over a node group's keys local
 * become one instance per key (the count from the variable's default, or
 * `counts`); between two resources over the same keys a reference is per key
 * (`port[each.key]`), otherwise to every instance. Data sources are read at
 * plan time (0 s). Terraform has no wait condition: each server gets a
 * `<server>[key]:bootstrap` task (the node's bootstrap, after the server is
 * ACTIVE), which `terraform apply` does not wait for.
 */
import { secondsOf } from './durations';
import { MEMBER_TYPES } from './model';
import type { Task } from './model';

type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, unknown>>;
  locals?: Record<string, string>;
  variable?: Record<string, { default?: unknown }>;
};

interface TfNode {
  readonly address: string;
  readonly type: string;
  readonly body: Record<string, unknown>;
  /** The keys local of a for_each resource. */
  readonly keysLocal?: string;
}

const SERVER = 'openstack_compute_instance_v2';

function nodesOf(json: TfJson): TfNode[] {
  const out: TfNode[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const fe = typeof body.for_each === 'string' ? /local\.(\w+)/.exec(body.for_each)?.[1] : undefined;
      out.push({ address: `${type}.${name}`, type, body, keysLocal: fe });
    }
  }
  return out;
}

/** Number of keys of a node group's keys local: the `range(var.X ...)` variable's value. */
function keyCount(json: TfJson, local: string, counts: Readonly<Record<string, number>>): number {
  const expr = json.locals?.[local];
  const v = expr && /range\(var\.(\w+)/.exec(expr)?.[1];
  if (!v) throw new Error(`local.${local}: no range(var.…) to count the keys`);
  const n = counts[v] ?? Number(json.variable?.[v]?.default);
  if (!Number.isInteger(n)) throw new Error(`var.${v}: no count`);
  return n;
}

/** Addresses `type.name` referenced by the resource (expressions and depends_on). */
function referenced(n: TfNode, known: ReadonlySet<string>): string[] {
  const { depends_on: declared, ...rest } = n.body as { depends_on?: string[] };
  const refs = new Set<string>(declared ?? []);
  for (const m of JSON.stringify(rest).matchAll(/\b(openstack_\w+)\.(\w+)/g)) {
    const a = `${m[1]}.${m[2]}`;
    if (known.has(a)) refs.add(a);
  }
  refs.delete(n.address);
  return [...refs];
}

/** Tasks of every resource instance (and every node's bootstrap) of `json`. */
export function tfTasks(json: TfJson, counts: Readonly<Record<string, number>> = {}): Task[] {
  const nodes = nodesOf(json);
  const byAddress = new Map(nodes.map((n) => [n.address, n]));
  const keysOf = (n: TfNode) => (n.keysLocal ? Array.from({ length: keyCount(json, n.keysLocal, counts) }, (_, i) => String(i)) : [undefined]);
  const idOf = (a: string, k?: string) => (k === undefined ? a : `${a}[${k}]`);
  const tasks: Task[] = [];
  for (const n of nodes) {
    const refs = referenced(n, new Set(byAddress.keys()));
    for (const key of keysOf(n)) {
      const deps = refs.flatMap((a) => {
        const dep = byAddress.get(a)!;
        if (dep.keysLocal && dep.keysLocal === n.keysLocal) return [idOf(a, key)];
        return keysOf(dep).map((k) => idOf(a, k));
      });
      const id = idOf(n.address, key);
      tasks.push({ id, seconds: secondsOf(n.type), deps, ...(MEMBER_TYPES.includes(n.type) ? { lbMember: true } : {}) });
      if (n.type === SERVER) {
        const role = /minion/.test(n.address) ? 'minion' : key === '0' || key === undefined ? 'first-master' : 'master';
        tasks.push({ id: `${id}:bootstrap`, seconds: 0, deps: [id], bootstrap: role });
      }
    }
  }
  return tasks;
}

/** Whether a task is a node's bootstrap (not waited for by `terraform apply`). */
export const isBootstrapTask = (t: Task): boolean => t.bootstrap !== undefined;
