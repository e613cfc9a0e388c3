/**
 * A picture of a bay's topology, built from its construct tree: every
 * neutral resource is a node (grouped by the construct that made it; a node
 * group's resources are drawn once, "per node"), every reference between
 * resources is an edge labelled with the prop that holds it, and the
 * security rules become edges between groups (or from CIDRs) labelled with
 * what they open. Rendered as Graphviz DOT or Mermaid.
 */
import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { KubernetesBay } from '../bay/kubernetes-bay';
import { BayPki, discoveryHash, generateCa, PKI_FILES } from '../pki';
import { ParamRef, ResourceRef, Value, visitExprs } from '../core/expr';
import { BayResource, NodeGroup } from '../core/model';
import { BayLoadBalancer } from '../loadbalancer/bay-load-balancer';
import { BayNetwork } from '../network/bay-network';
import { BaySecurityGroups } from '../security/bay-security-groups';
import { SECURITY_GROUP_RULE } from '../security/kinds';
import { RuleSpec } from '../security/rules';

export type NodeCategory = 'network' | 'security' | 'loadbalancer' | 'compute' | 'external' | 'source';

export interface GraphNode {
  /** Unique id: the resource's logical name (`cidr_...` for a rule's CIDR source). */
  readonly id: string;
  /** Lines of the label: construct id, kind, OpenStack name when known. */
  readonly label: readonly string[];
  readonly category: NodeCategory;
  /** Id of the cluster the node is drawn in. @default - none */
  readonly cluster?: string;
}

export interface GraphCluster {
  /** Unique id, `cluster_...` (Graphviz draws subgraphs named so as boxes). */
  readonly id: string;
  readonly label: string;
  readonly category: NodeCategory;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** ref: `from` refers to `to`; after: created after `to`; rule: `to` accepts traffic from `from`. */
  readonly style: 'ref' | 'after' | 'rule';
  /** For `after` edges between node groups: the clusters the edge leaves and enters. */
  readonly fromCluster?: string;
  readonly toCluster?: string;
}

export interface BayGraph {
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly clusters: readonly GraphCluster[];
  readonly edges: readonly GraphEdge[];
}

const CATEGORY_BY_KIND: Record<string, NodeCategory> = {
  'external-network': 'external',
  network: 'network',
  subnet: 'network',
  router: 'network',
  'router-interface': 'network',
  port: 'network',
  'floating-ip': 'network',
  'security-group': 'security',
};

function categoryOf(r: BayResource<any>): NodeCategory {
  const k = r.kind.name;
  if (CATEGORY_BY_KIND[k]) return CATEGORY_BY_KIND[k];
  if (/pool|listener|load-balancer|monitor|member/.test(k)) return 'loadbalancer';
  return 'compute';
}

/** Edges keyed by style and ends; the labels of edges between the same ends are merged. */
class Edges {
  private readonly edges = new Map<string, GraphEdge>();
  public add(e: GraphEdge): void {
    const key = `${e.style}|${e.from}|${e.to}`;
    const old = this.edges.get(key);
    const labels = new Set([...(old ? old.label.split(', ') : []), ...e.label.split(', ')].filter(Boolean));
    this.edges.set(key, { ...e, label: [...labels].join(', ') });
  }
  public all(): GraphEdge[] {
    return [...this.edges.values()];
  }
}

/** What the graph is built from: the bay's drawn resources (security rules are edges, not nodes). */
interface GraphParts {
  readonly bay: KubernetesBay;
  readonly ids: ReadonlySet<string>;
  readonly nodes: GraphNode[];
  readonly clusters: Map<string, GraphCluster>;
  readonly edges: Edges;
}

/** The topology of a bay as nodes, clusters and edges. */
export function bayGraph(bay: KubernetesBay): BayGraph {
  const resources = bay.node.findAll().filter(BayResource.isBayResource).filter((r) => r.kind !== SECURITY_GROUP_RULE);
  const parts: GraphParts = { bay, ids: new Set(resources.map((r) => r.logicalName)), nodes: [], clusters: new Map(), edges: new Edges() };
  for (const r of resources) addResource(parts, r);
  addGroupOrder(parts);
  addRules(parts);
  return { name: bay.config.name, nodes: parts.nodes, clusters: [...parts.clusters.values()], edges: parts.edges.all() };
}

/** A resource as a node, its references and its dependencies as edges. */
function addResource({ bay, ids, nodes, clusters, edges }: GraphParts, r: BayResource<any>): void {
  const owner = clusterOf(r, bay);
  if (owner && !clusters.has(owner.id)) clusters.set(owner.id, owner);
  const label = [r.node.id, r.kind.name];
  const name = displayName((r.props as Record<string, Value>).name);
  if (name) label.push(name);
  nodes.push({ id: r.logicalName, label, category: categoryOf(r), cluster: owner?.id });
  for (const [prop, value] of Object.entries(r.props as Record<string, Value>)) {
    visitExprs(value, (e) => {
      if (e instanceof ResourceRef && e.target !== r && ids.has(e.target.logicalName)) {
        edges.add({ from: r.logicalName, to: e.target.logicalName, label: prop, style: 'ref' });
      }
    });
  }
  for (const d of r.dependsOn) {
    if (d instanceof BayResource && ids.has(d.logicalName)) edges.add({ from: r.logicalName, to: d.logicalName, label: 'after', style: 'after' });
  }
}

/** A node group created after another (minions after masters): an edge between the clusters. */
function addGroupOrder({ bay, ids, edges }: GraphParts): void {
  for (const g of bay.node.findAll().filter(NodeGroup.isNodeGroup)) {
    for (const d of g.props.dependsOn ?? []) {
      if (!(d instanceof NodeGroup)) continue;
      const from = g.resources.find((r) => ids.has(r.logicalName));
      const to = d.resources.find((r) => ids.has(r.logicalName));
      if (from && to) {
        edges.add({ from: from.logicalName, to: to.logicalName, label: 'after', style: 'after', fromCluster: `cluster_${g.logicalName}`, toCluster: `cluster_${d.logicalName}` });
      }
    }
  }
}

/** Security rules: traffic from a group (or a CIDR) into a group. */
function addRules({ bay, nodes, edges }: GraphParts): void {
  const groups = bay.securityGroups.groups;
  const subnet = bay.network instanceof BayNetwork ? bay.network.subnet : undefined;
  for (const rule of bay.securityGroups.rules) {
    const to = groups[rule.group].logicalName;
    let from: string;
    if ('group' in rule.peer) from = groups[rule.peer.group].logicalName;
    else if (subnet && rule.peer.cidr === bay.config.fixedNetworkCidr) from = subnet.logicalName;
    else {
      from = `cidr_${rule.peer.cidr.replace(/[^0-9a-z]+/gi, '_')}`;
      if (!nodes.some((n) => n.id === from)) nodes.push({ id: from, label: [rule.peer.cidr], category: 'source' });
    }
    edges.add({ from, to, label: ruleLabel(rule, bay.config.kubernetesPort), style: 'rule' });
  }
}

function ruleLabel(rule: RuleSpec, apiPort: number): string {
  if (!rule.ports) return rule.protocol;
  if (rule.ports === 'api') return `${rule.protocol} ${apiPort}`;
  const [a, b] = rule.ports;
  return `${rule.protocol} ${a === b ? a : `${a}-${b}`}`;
}

/** The construct a resource is drawn inside: its node group, else the bay's part that made it. */
function clusterOf(r: BayResource<any>, bay: KubernetesBay): GraphCluster | undefined {
  if (r.group) {
    const count = r.group.props.count;
    const n = count instanceof ParamRef ? count.param.props.default : typeof count === 'number' ? count : undefined;
    return { id: `cluster_${r.group.logicalName}`, label: `${r.group.node.id}: per node${n === undefined ? '' : ` (×${n})`}`, category: 'compute' };
  }
  let part: IConstruct | undefined = r.node.scope;
  if (part === bay) return undefined;
  while (part && part.node.scope !== bay) part = part.node.scope;
  if (!part) return undefined;
  const id = `cluster_${bay.config.name}_${part.node.id}`;
  if (part instanceof BayNetwork) return { id, label: 'network', category: 'network' };
  if (part instanceof BaySecurityGroups) return { id, label: 'security groups', category: 'security' };
  if (part instanceof BayLoadBalancer) return { id, label: `${part.node.id} load balancer`, category: 'loadbalancer' };
  return { id, label: part.node.id, category: 'compute' };
}

/** A literal name, or a parameter's default. */
function displayName(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof ParamRef && typeof v.param.props.default === 'string') return v.param.props.default;
  return undefined;
}

/**
 * Throw-away PKI material for a bay that is only drawn: one CA made in
 * memory stands for every certificate and key (nothing of it reaches the
 * picture); `files` name the store's paths, which nothing reads.
 */
export function pictureOnlyPki(pkiDir: string, bayName: string): BayPki {
  const ca = generateCa({ commonName: 'kubebay-graph' });
  const files = Object.fromEntries(PKI_FILES.map((f) => [f, path.join(path.resolve(pkiDir), bayName, f)]));
  const [cert, key] = [ca.certPem, ca.keyPem];
  return {
    caCert: cert, caKey: key, frontProxyCaCert: cert, frontProxyCaKey: key, etcdCaCert: cert, etcdCaKey: key,
    saKey: key, saPub: cert, adminCert: cert, adminKey: key,
    bootstrapToken: 'abcdef.0123456789abcdef',
    discoveryHash: discoveryHash(cert),
    keySize: 2048,
    files,
    warnings: [],
  };
}

const FILL: Record<NodeCategory, [node: string, cluster: string]> = {
  network: ['#dbeafe', '#eff6ff'],
  security: ['#fee2e2', '#fef2f2'],
  loadbalancer: ['#dcfce7', '#f0fdf4'],
  compute: ['#fef3c7', '#fffbeb'],
  external: ['#e5e7eb', '#f9fafb'],
  source: ['#ffffff', '#ffffff'],
};

const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const q = (s: string) => `"${escape(s)}"`;
/** A DOT string of several lines (`\n` line breaks, centred). */
const qLines = (lines: readonly string[]) => `"${lines.map(escape).join('\\n')}"`;

/** Graphviz DOT. */
export function toDot(g: BayGraph): string {
  const out: string[] = [];
  out.push(`digraph ${q(`kubebay_${g.name}`)} {`);
  out.push(`  graph [rankdir=TB, compound=true, fontname="Helvetica", fontsize=12, labelloc=t, label=${q(`kubebay bay ${g.name}`)}, nodesep=0.25, ranksep=0.6];`);
  out.push('  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];');
  out.push('  edge [fontname="Helvetica", fontsize=8, color="#555555"];');
  const nodeLine = (n: GraphNode, indent: string) => {
    const shape = n.category === 'source' ? ', shape=note' : n.category === 'external' ? ', shape=cylinder' : '';
    return `${indent}${q(n.id)} [label=${qLines(n.label)}, fillcolor=${q(FILL[n.category][0])}${shape}];`;
  };
  for (const c of g.clusters) {
    out.push(`  subgraph ${q(c.id)} {`);
    out.push(`    label=${q(c.label)}; style="rounded,filled"; fillcolor=${q(FILL[c.category][1])}; color="#9ca3af";`);
    for (const n of g.nodes.filter((x) => x.cluster === c.id)) out.push(nodeLine(n, '    '));
    out.push('  }');
  }
  for (const n of g.nodes.filter((x) => !x.cluster)) out.push(nodeLine(n, '  '));
  for (const e of g.edges) {
    const attrs = [`label=${q(e.label)}`];
    if (e.style === 'after') attrs.push('style=dashed');
    if (e.style === 'rule') attrs.push('color="#b91c1c"', 'fontcolor="#b91c1c"');
    if (e.fromCluster) attrs.push(`ltail=${q(e.fromCluster)}`);
    if (e.toCluster) attrs.push(`lhead=${q(e.toCluster)}`);
    out.push(`  ${q(e.from)} -> ${q(e.to)} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** Mermaid flowchart. */
export function toMermaid(g: BayGraph): string {
  const text = (s: string) => s.replace(/"/g, '#quot;');
  const out: string[] = ['flowchart LR'];
  const nodeLine = (n: GraphNode, indent: string) => {
    const label = `"${text(n.label.join('<br/>'))}"`;
    const shape = n.category === 'external' ? `[(${label})]` : n.category === 'source' ? `>${label}]` : `(${label})`;
    return `${indent}${n.id}${shape}:::${n.category}`;
  };
  for (const c of g.clusters) {
    out.push(`  subgraph ${c.id}["${text(c.label)}"]`);
    for (const n of g.nodes.filter((x) => x.cluster === c.id)) out.push(nodeLine(n, '    '));
    out.push('  end');
  }
  for (const n of g.nodes.filter((x) => !x.cluster)) out.push(nodeLine(n, '  '));
  for (const e of g.edges) {
    const from = e.fromCluster ?? e.from;
    const to = e.toCluster ?? e.to;
    const arrow = e.style === 'after' ? '-.->' : e.style === 'rule' ? '==>' : '-->';
    out.push(`  ${from} ${arrow}|"${text(e.label)}"| ${to}`);
  }
  for (const [category, [fill]] of Object.entries(FILL)) out.push(`  classDef ${category} fill:${fill},stroke:#6b7280`);
  return out.join('\n') + '\n';
}
