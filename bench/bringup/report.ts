/**
 * The bring-up comparison (kubebay vs Magnum Mitaka) as markdown, from the
 * synthesized example bay's HOT documents and cdk.tf.json. Pure: the caller
 * reads the files.
 */
import { NODE_BOOTSTRAP, RESOURCE_SECONDS } from './durations';
import { hotSpec } from './hot-graph';
import { editSpec, expand, schedule, Schedule, StackSpec, Task } from './model';
import { mitakaSpec } from './mitaka';
import { isBootstrapTask, tfTasks } from './tf-graph';

/** Goal of issue 15: the example bay's time to CREATE_COMPLETE ≤ 0.7× Mitaka's. */
export const BRINGUP_GOAL = 0.7;

export interface BringupInput {
  /** Parsed HOT documents by file name (kubecluster.yaml, kubemaster.yaml, kubeminion.yaml). */
  readonly hot: ReadonlyMap<string, unknown>;
  /** Parsed cdk.tf.json of the same bay. */
  readonly tf: unknown;
  /** Bay name (prefix of the logical names). */
  readonly bay: string;
}

/** The minions' group ordered after the masters' again (kubebay before issue 15, and Mitaka). */
export function withMinionsAfterMasters(spec: StackSpec, bay: string): StackSpec {
  return editSpec(spec, spec.root, (n, r) => (n === `${bay}_kube_minions` ? { ...r, deps: [...r.deps, `${bay}_kube_masters`] } : r));
}

/** Whether the bay's API load balancer has a fixed VIP (`fixedApiVip`): read from its HOT template. */
function fixedVip(x: BringupInput): boolean {
  const root = x.hot.get('kubecluster.yaml') as { resources?: Record<string, { properties?: { vip_address?: unknown } }> } | undefined;
  return typeof root?.resources?.[`${x.bay}_api_loadbalancer`]?.properties?.vip_address === 'string';
}

/** Terraform "before": every minion resource after every master resource (the old depends_on). */
function tfMinionsAfterMasters(tasks: Task[]): Task[] {
  const masters = tasks.filter((t) => /_master_/.test(t.id) && !isBootstrapTask(t)).map((t) => t.id);
  return tasks.map((t) => (/_minion_/.test(t.id) && !isBootstrapTask(t) ? { ...t, deps: [...t.deps, ...masters] } : t));
}

const s = (x: number) => `${Math.round(x)} s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** Time the minions are ready (their bootstraps) and the servers' creation starts, of a HOT schedule. */
function nodeTimes(sc: Schedule, minionGroup: string): { minionServerStart?: number; minionsReady?: number; mastersReady?: number } {
  const pick = (re: RegExp) => [...sc.finish.keys()].filter((k) => re.test(k));
  const minionServers = pick(new RegExp(`^${minionGroup}/\\d+/[^/]*(minion_server|kube-minion)$`));
  return {
    minionServerStart: minionServers.length ? Math.min(...minionServers.map((k) => sc.start.get(k)!)) : undefined,
    minionsReady: sc.finish.get(minionGroup),
    mastersReady: sc.apiReady,
  };
}

export interface BringupResult {
  readonly markdown: string;
  readonly kubebay: Schedule;
  readonly mitaka: Schedule;
  readonly ratio: number;
  readonly flat: boolean;
}

/** The comparison and its markdown section. */
export function bringupReport(x: BringupInput): BringupResult {
  const b = x.bay;
  const now = hotSpec(x.hot, 'kubecluster.yaml');
  const rows: [string, StackSpec, string][] = [
    ['Magnum Mitaka (LBaaS v1; minions after masters)', mitakaSpec(), 'kube_minions'],
    ['kubebay, minions after masters (the order before issue 15)', withMinionsAfterMasters(now, b), `${b}_kube_minions`],
    [`**kubebay now** (the example bay${fixedVip(x) ? ', fixedApiVip: nodes do not wait for the load balancer' : ''}; minions in parallel with masters)`, now, `${b}_kube_minions`],
  ];
  const scheds = rows.map(([, spec]) => schedule(expand(spec)));
  const mitaka = scheds[0];
  const kubebay = scheds[2];
  const L: string[] = [];
  L.push('| Graph | CREATE_COMPLETE | vs Mitaka | first master ready | first minion server starts | minions ready |', '|---|---|---|---|---|---|');
  rows.forEach(([label, , group], i) => {
    const t = nodeTimes(scheds[i], group);
    L.push(`| ${label} | ${s(scheds[i].total)} | ${ratio(scheds[i].total, mitaka.total)} | ${t.mastersReady === undefined ? '–' : s(t.mastersReady)} | ${t.minionServerStart === undefined ? '–' : s(t.minionServerStart)} | ${t.minionsReady === undefined ? '–' : s(t.minionsReady)} |`);
  });
  const flat = flatness(x);
  const r = kubebay.total / mitaka.total;
  const goals = [
    '| Goal | Limit | Modelled | Result |', '|---|---|---|---|',
    `| Example bay, time to CREATE_COMPLETE vs Mitaka's templates (HOT) | ≤ ${BRINGUP_GOAL}× | ${ratio(kubebay.total, mitaka.total)} (${s(kubebay.total)} vs ${s(mitaka.total)}) | ${r <= BRINGUP_GOAL ? 'PASS' : 'MISS'} |`,
    `| Flat in the number of minions (1 … 1000), HOT and Terraform | same time | ${flat.ok ? 'same' : 'differs'} (${flat.summary}) | ${flat.ok ? 'PASS' : 'MISS'} |`,
  ];
  const tf = terraformRows(x);
  const md = [
    ...goals, '', ...L, '',
    `Critical path of kubebay now (HOT): ${kubebay.path.filter((p) => !p.endsWith(':start')).map((p) => `\`${p}\` (→ ${s(kubebay.finish.get(p)!)})`).join(' → ')}.`, '',
    `Critical path of Mitaka: ${mitaka.path.filter((p) => !p.endsWith(':start')).map((p) => `\`${p}\` (→ ${s(mitaka.finish.get(p)!)})`).join(' → ')}.`, '',
    ...tf, '',
    ...assumptions(),
  ];
  return { markdown: md.join('\n'), kubebay, mitaka, ratio: r, flat: flat.ok };
}

function flatness(x: BringupInput): { ok: boolean; summary: string } {
  const b = x.bay;
  const counts = [1, 10, 100, 1000];
  const hot = counts.map((n) => schedule(expand(hotSpec(x.hot, 'kubecluster.yaml', { number_of_minions: n }))).total);
  const tf = counts.map((n) => schedule(tfTasks(x.tf as never, { [`${b}_number_of_minions`]: n })).total);
  const ok = new Set(hot).size === 1 && new Set(tf).size === 1;
  return { ok, summary: `HOT ${hot.map(s).join(' / ')}, Terraform cluster ready ${tf.map(s).join(' / ')} for ${counts.join(' / ')} minions` };
}

function terraformRows(x: BringupInput): string[] {
  const tasks = tfTasks(x.tf as never);
  const apply = (ts: Task[]) => {
    const sc = schedule(ts);
    const applied = Math.max(...ts.filter((t) => !isBootstrapTask(t)).map((t) => sc.finish.get(t.id)!));
    return { applied, ready: sc.total };
  };
  const before = apply(tfMinionsAfterMasters(tasks));
  const now = apply(tasks);
  return [
    'Terraform (the same bay\'s cdk.tf.json; `terraform apply` returns when the servers are ACTIVE, the nodes then bootstrap):', '',
    '| Graph | `terraform apply` complete | every node ready |', '|---|---|---|',
    `| before issue 15 (minion resources \`depends_on\` every master resource) | ${s(before.applied)} | ${s(before.ready)} |`,
    `| **now** | ${s(now.applied)} | ${s(now.ready)} |`,
  ];
}

function assumptions(): string[] {
  const types = Object.entries(RESOURCE_SECONDS).filter(([t]) => t.startsWith('OS::'));
  return [
    `Assumed durations (\`bench/bringup/durations.ts\`; the issue's round numbers for the Octavia load balancer, the server boot and the node bootstrap, orders of magnitude for the rest; the Terraform types take the same values): ` +
      types.map(([t, v]) => `${t.replace(/^OS::/, '')} ${v} s`).join(', ') + '. ' +
      `A node's bootstrap after its server is ACTIVE: ${NODE_BOOTSTRAP.prepare} s to prepare (packages, runtime, images) + ${NODE_BOOTSTRAP.finish} s for kubeadm init/join; ` +
      'a join (minions, further masters) finishes no earlier than that after the first master is ready (kubebay\'s minions retry `kubeadm join`); ' +
      'the first master\'s kubeadm init finishes no earlier than its load-balancer members exist (its clients use the VIP, the controlPlaneEndpoint). ' +
      'Bays without fixedApiVip (deployed before it, or opting out) keep the graph in which the node groups wait for the load balancer\'s VIP (484 s, 0.76× in the previous run of this model). ' +
      'Mitaka\'s nodes get the same bootstrap times (its Atomic images were faster in reality): the comparison is of dependency graphs. ' +
      'Scheduling as Heat and Terraform do it: a resource starts when everything it depends on is complete, no limit on parallelism ' +
      '(Terraform\'s default of 10 concurrent operations and Octavia serializing changes to one load balancer are not modelled).',
  ];
}
