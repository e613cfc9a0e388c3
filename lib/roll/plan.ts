/**
 * The order in which `kubebay roll` replaces a bay's servers: masters one at
 * a time (highest key first, master 0 last, as Heat's rolling update), then
 * minions in batches.
 */
import { ValidationError } from '../core/errors';

export type RollRole = 'master' | 'minion';

/** One `terraform apply -replace=...` and the nodes it must bring back Ready. */
export interface RollStep {
  readonly role: RollRole;
  /** Node keys replaced together. */
  readonly keys: readonly string[];
  /** Terraform addresses of the servers, e.g. `openstack_compute_instance_v2.prod_master_server["1"]`. */
  readonly addresses: readonly string[];
  /** Kubernetes node names (`<bay>-<role>-<key>`, the servers' hostnames). */
  readonly nodeNames: readonly string[];
}

export interface RollPlanOptions {
  /** The bay's name (prefix of the Terraform names). */
  readonly bay: string;
  /** Minions replaced per step. @default 1 */
  readonly batchSize?: number;
  /** Roll only these roles. @default both */
  readonly roles?: readonly RollRole[];
  /** Roll only these nodes (`master/1`, `minion/0`). @default every node in the state */
  readonly nodes?: readonly string[];
}

/** Terraform address of a node's server. */
export function serverAddress(bay: string, role: RollRole, key: string): string {
  return `openstack_compute_instance_v2.${bay}_${role}_server["${key}"]`;
}

/** The server keys of each role found in `terraform state list` output. */
export function serversInState(stateList: string, bay: string): Record<RollRole, string[]> {
  const found: Record<RollRole, string[]> = { master: [], minion: [] };
  const re = /^openstack_compute_instance_v2\.([A-Za-z0-9_-]+)_(master|minion)_server\["([^"]+)"\]$/;
  for (const line of stateList.split('\n')) {
    const m = re.exec(line.trim());
    if (m && m[1] === bay) found[m[2] as RollRole].push(m[3]);
  }
  const byKey = (a: string, b: string) => Number(b) - Number(a) || b.localeCompare(a);
  found.master.sort(byKey);
  found.minion.sort((a, b) => -byKey(a, b));
  return found;
}

/** The steps of a roll over the servers found in the state. */
export function rollPlan(state: Record<RollRole, string[]>, opts: RollPlanOptions): RollStep[] {
  const batch = opts.batchSize ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new ValidationError(`--batch: ${batch} is not a batch size; use an integer of at least 1`);
  const roles = opts.roles ?? ['master', 'minion'];
  const wanted = opts.nodes && new Set(opts.nodes);
  for (const n of opts.nodes ?? []) {
    const [role, key] = n.split('/');
    if (!(role === 'master' || role === 'minion') || !state[role].includes(key)) {
      throw new ValidationError(`--node ${n}: no such server in the Terraform state; name one of ${[...state.master.map((k) => `master/${k}`), ...state.minion.map((k) => `minion/${k}`)].join(', ') || '(none: apply the bay first)'}`);
    }
  }
  const pick = (role: RollRole) => (roles.includes(role) ? state[role].filter((k) => !wanted || wanted.has(`${role}/${k}`)) : []);
  const step = (role: RollRole, keys: string[]): RollStep => ({
    role,
    keys,
    addresses: keys.map((k) => serverAddress(opts.bay, role, k)),
    nodeNames: keys.map((k) => `${opts.bay}-${role}-${k}`),
  });
  const steps = pick('master').map((k) => step('master', [k]));
  const minions = pick('minion');
  for (let i = 0; i < minions.length; i += batch) steps.push(step('minion', minions.slice(i, i + batch)));
  return steps;
}
