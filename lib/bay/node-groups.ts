/**
 * Worker node groups beside the default minions (Magnum nodegroups): their
 * defaults, validation, parameters and names. Each group is a `BayNodes` of
 * its own, so adding or removing one touches no other resource.
 */
import { IssueReporter, ValidationIssue } from '../core/errors';
import { BayParameterProps } from '../core/model';
import { sanitize } from '../core/names';
import { BayNodesNaming } from '../nodes/bay-nodes';
import { AffinityPolicy, BayNodeGroup, NodeTaint, TaintEffect } from './props';
import { INTEGER_SPECS, inSpec, IntegerSpec, NODE_GROUP_COUNT, rangeConstraint, specFix } from './specs';

/** A node group with every default applied. */
export interface ResolvedNodeGroup {
  readonly name: string;
  readonly count: number;
  readonly flavor: string;
  readonly image: string;
  readonly dockerVolumeSize: number;
  readonly dockerVolumeType?: string;
  readonly availabilityZone?: string;
  readonly affinityPolicy?: AffinityPolicy;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
  readonly nodesToRemove: readonly string[];
}

/** The bay-level values a group falls back to. */
export interface NodeGroupFallbacks {
  readonly image: string;
  readonly minionFlavor: string;
  readonly dockerVolumeSize: number;
  readonly dockerVolumeType?: string;
  readonly availabilityZone?: string;
}

export function resolveNodeGroup(g: BayNodeGroup, bay: NodeGroupFallbacks): ResolvedNodeGroup {
  return {
    ...g,
    count: g.count ?? 1,
    flavor: g.flavor ?? bay.minionFlavor,
    image: g.image ?? bay.image,
    dockerVolumeSize: g.dockerVolumeSize ?? bay.dockerVolumeSize,
    dockerVolumeType: g.dockerVolumeType ?? bay.dockerVolumeType,
    availabilityZone: g.availabilityZone ?? bay.availabilityZone,
    labels: g.labels ?? {},
    taints: g.taints ?? [],
    nodesToRemove: g.nodesToRemove ?? [],
  };
}

/** Prefix of a group's parameters, resources and outputs: `nodegroup_<name>` ('-' becomes '_'). */
export function nodeGroupPrefix(name: string): string {
  return `nodegroup_${sanitize(name)}`;
}

/** Names of a group's elements: `kube_nodegroup_<n>`, `nodegroup_<n>_server`, `<bay>-<name>-<key>`, `kubenodegroup-<name>.yaml`. */
export function nodeGroupNaming(name: string): BayNodesNaming {
  const prefix = nodeGroupPrefix(name);
  return { group: `kube_${prefix}`, resource: prefix, server: name, template: `kubenodegroup-${name}.yaml` };
}

/** The group's parameters (HOT parameters, Terraform variables `<bay>_nodegroup_<n>_*`). */
export function nodeGroupParameters(g: ResolvedNodeGroup): Record<string, BayParameterProps> {
  const prefix = nodeGroupPrefix(g.name);
  const text = (what: string, dflt: string): BayParameterProps => ({
    type: 'string',
    description: `${what} of the nodes of node group ${g.name}`,
    default: dflt,
    constraints: { pattern: '.+', description: 'must not be empty' },
  });
  return {
    [`${prefix}_count`]: {
      type: 'number',
      description: `Number of nodes of node group ${g.name}`,
      default: g.count,
      constraints: rangeConstraint(NODE_GROUP_COUNT),
    },
    [`${prefix}_flavor`]: text('Nova flavor', g.flavor),
    [`${prefix}_image`]: text('Glance image', g.image),
    [`${prefix}_docker_volume_size`]: {
      type: 'number',
      description: `Size in GiB of the Cinder volume for container storage on each node of node group ${g.name} (0 = none)`,
      default: g.dockerVolumeSize,
      constraints: rangeConstraint(INTEGER_SPECS.dockerVolumeSize, `must be 0 or a size in GiB up to ${INTEGER_SPECS.dockerVolumeSize.max}`),
    },
    [`${prefix}_to_remove`]: {
      type: 'list',
      description: `Keys of nodes of node group ${g.name} to remove on the next update; the others keep their keys`,
      default: [...g.nodesToRemove],
      constraints: { pattern: '[0-9]+', description: `must be node keys such as 3 (see the ${prefix}_nodes_by_key output)` },
    },
  };
}

const GROUP_NAME = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
/** Names taken by the default groups' servers and server groups. */
const RESERVED_GROUP_NAMES = ['master', 'minion', 'masters', 'minions'];
const GROUP_KEYS = [
  'name', 'count', 'flavor', 'image', 'dockerVolumeSize', 'dockerVolumeType', 'availabilityZone',
  'affinityPolicy', 'labels', 'taints', 'nodesToRemove',
];
export const AFFINITY_POLICIES: readonly AffinityPolicy[] = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'];
const TAINT_EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A label/taint key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
const QUALIFIED_NAME = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/)?([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(|[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/**
 * Labels the kubelet may set on its own node (NodeRestriction): any outside
 * kubernetes.io / k8s.io, and under them only these prefixes.
 */
function kubeletMaySet(key: string): boolean {
  const prefix = key.includes('/') ? key.split('/')[0] : '';
  if (!/(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix)) return true;
  return ['kubelet.kubernetes.io', 'node.kubernetes.io'].some((p) => prefix === p || prefix.endsWith(`.${p}`));
}

/** Reports one problem (see `core/errors.ts`). */
export type Reporter = IssueReporter;

/** Checks `nodeGroups`; messages through `err`. */
export function validateNodeGroups(groups: unknown, err: Reporter, unknownKeys: (prop: string, obj: object, known: readonly string[]) => ValidationIssue[]): ValidationIssue[] {
  const extra: ValidationIssue[] = [];
  if (!Array.isArray(groups)) {
    err('nodeGroups', groups, 'is not a list', "give a list of groups such as [{ name: 'gpu', count: 2, flavor: 'g1.large' }]");
    return extra;
  }
  const seen = new Set<string>();
  groups.forEach((g: unknown, i) => {
    const at = `nodeGroups[${i}]`;
    if (typeof g !== 'object' || g === null || Array.isArray(g)) {
      err(at, g, 'is not an object', "give { name: 'gpu', count: 2, ... }");
      return;
    }
    extra.push(...unknownKeys(at, g, GROUP_KEYS));
    const v = g as Record<string, unknown>;
    if (typeof v.name !== 'string' || !GROUP_NAME.test(v.name)) {
      err(`${at}.name`, v.name, 'is not a valid node group name', 'use 1-20 lowercase letters, digits and "-", starting with a letter (it names the servers <bay>-<name>-<key>)');
    } else if (RESERVED_GROUP_NAMES.includes(v.name)) {
      err(`${at}.name`, v.name, 'is the name of a default group', "choose another name, e.g. 'workers'");
    } else if (seen.has(v.name)) {
      err(`${at}.name`, v.name, 'is the name of an earlier group too', 'give every node group its own name');
    } else seen.add(v.name);
    validateGroupValues(at, v, err);
  });
  return extra;
}

function validateGroupValues(at: string, v: Record<string, unknown>, err: Reporter): void {
  const int = (key: string, spec: IntegerSpec) => {
    const x = v[key];
    if (x !== undefined && !inSpec(x, spec)) err(`${at}.${key}`, x, `is not ${spec.what}`, specFix(spec));
  };
  int('count', NODE_GROUP_COUNT);
  int('dockerVolumeSize', INTEGER_SPECS.dockerVolumeSize);
  for (const key of ['flavor', 'image', 'dockerVolumeType', 'availabilityZone']) {
    const x = v[key];
    if (x !== undefined && (typeof x !== 'string' || x.trim() === '')) err(`${at}.${key}`, x, 'is not a non-empty string', 'give a name, or leave it out for the default');
  }
  if (v.affinityPolicy !== undefined && !AFFINITY_POLICIES.includes(v.affinityPolicy as AffinityPolicy)) {
    err(`${at}.affinityPolicy`, v.affinityPolicy, 'is not a Nova server-group policy', `use one of ${AFFINITY_POLICIES.join(', ')}`);
  }
  validateLabels(`${at}.labels`, v.labels, err);
  validateTaints(`${at}.taints`, v.taints, err);
  validateRemoval(at, v, err);
}

function validateLabels(at: string, labels: unknown, err: Reporter): void {
  if (labels === undefined) return;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    err(at, labels, 'is not a map of labels', "give { 'example.com/role': 'gpu' }");
    return;
  }
  for (const [k, x] of Object.entries(labels)) {
    if (!QUALIFIED_NAME.test(k) || k.length > 317) err(at, k, 'is not a Kubernetes label key', "use [prefix/]name, e.g. 'example.com/pool'");
    else if (!kubeletMaySet(k)) err(at, k, 'is in a kubernetes.io / k8s.io namespace the kubelet may not label its own node with', "use your own prefix (e.g. 'example.com/role') or node.kubernetes.io/...");
    if (typeof x !== 'string' || !LABEL_VALUE.test(x)) err(`${at}.${k}`, x, 'is not a Kubernetes label value', "use at most 63 letters, digits, '-', '_', '.', starting and ending alphanumeric");
  }
}

function validateTaints(at: string, taints: unknown, err: Reporter): void {
  if (taints === undefined) return;
  if (!Array.isArray(taints)) {
    err(at, taints, 'is not a list of taints', "give [{ key: 'example.com/gpu', value: 'true', effect: 'NoSchedule' }]");
    return;
  }
  taints.forEach((t: unknown, i) => {
    const x = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
    const extra = Object.keys(x).filter((k) => !['key', 'value', 'effect'].includes(k));
    if (typeof x.key !== 'string' || !QUALIFIED_NAME.test(x.key) || extra.length) {
      err(`${at}[${i}]`, t, 'is not a taint', "give { key: 'example.com/gpu', value: 'true', effect: 'NoSchedule' } (key a qualified name, value optional)");
    }
    if (x.value !== undefined && (typeof x.value !== 'string' || !LABEL_VALUE.test(x.value))) {
      err(`${at}[${i}].value`, x.value, 'is not a taint value', "use at most 63 letters, digits, '-', '_', '.'");
    }
    if (!TAINT_EFFECTS.includes(x.effect as TaintEffect)) err(`${at}[${i}].effect`, x.effect, 'is not a taint effect', `use one of ${TAINT_EFFECTS.join(', ')}`);
  });
}

function validateRemoval(at: string, v: Record<string, unknown>, err: Reporter): void {
  const list = v.nodesToRemove;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    err(`${at}.nodesToRemove`, list, 'is not a list', "give node keys such as ['3']");
    return;
  }
  const count = v.count ?? 1;
  const existing = typeof count === 'number' && Number.isInteger(count) ? count + list.length : Infinity;
  const seen = new Set<unknown>();
  for (const k of list) {
    if (seen.has(k)) err(`${at}.nodesToRemove`, k, 'is listed twice', 'list each node once');
    seen.add(k);
    if (typeof k !== 'string' || !/^(0|[1-9][0-9]*)$/.test(k)) {
      err(`${at}.nodesToRemove`, k, 'is not a node key', `use keys such as '3' (see the ${nodeGroupPrefix(String(v.name))}_nodes_by_key output)`);
    } else if (Number(k) >= existing) {
      err(`${at}.nodesToRemove`, k, `is not a node of this group (keys 0-${existing - 1} exist)`, 'name an existing node key');
    }
  }
}

/** Nodes of every node group (for subnet and pod-network sizing); invalid counts count as 0. */
export function nodeGroupNodeCount(groups: unknown): number {
  if (!Array.isArray(groups)) return 0;
  return groups.reduce((n: number, g) => {
    const c = (g as { count?: unknown } | null)?.count ?? 1;
    return n + (typeof c === 'number' && Number.isInteger(c) && c >= 0 ? c : 0);
  }, 0);
}
