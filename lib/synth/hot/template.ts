/**
 * HOT synthesis: walks a bay's construct tree and writes a root template,
 * one nested template per node group (the `resource_def` of an
 * `OS::Heat::ResourceGroup`), and the parameter values.
 */
import * as fs from 'node:fs';
import { IConstruct } from 'constructs';
import { Value } from '../../core/expr';
import { isPassThrough } from '../../core/kind';
import { BayOutput, BayParameter, BayResource, BaySecret, NodeGroup } from '../../core/model';
import { integerPattern } from '../../core/int-set';
import { HOT_TYPES, HotContext, hotCondition, resolveHot } from './expressions';
import { ValidationError } from '../../core/errors';

/** HOT version: Rocky, the first with every function used here (`if`, conditions, `list_join`). */
export const HOT_VERSION = '2018-08-31';

export type HotDoc = Record<string, unknown>;

/** The HOT documents of one bay (or any naming root). */
export interface HotTemplateSet {
  /** File name → document; the first entry is the root template. */
  readonly templates: ReadonlyMap<string, HotDoc>;
  readonly rootTemplate: string;
  /** Values of the visible parameters (the construct props). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Values of hidden parameters (secrets), for a separate 0600 environment file. */
  readonly secretParameters: Readonly<Record<string, string>>;
}

/** One template being built: the root, or a group's nested template. */
class TemplateBuilder {
  public readonly parameters: Record<string, unknown> = {};
  public readonly conditions: Record<string, unknown> = {};
  public readonly resources: Record<string, Record<string, unknown>> = {};
  public readonly outputs: Record<string, unknown> = {};
  /** Nested only: parameter name → value passed by the parent's resource_def. */
  public readonly inputs: Record<string, unknown> = {};
  /** Nested only: resources outside the group that the group must wait for. */
  public readonly outerDeps = new Set<string>();
  constructor(public readonly group?: NodeGroup) {}

  public doc(description: string): HotDoc {
    const d: HotDoc = { heat_template_version: HOT_VERSION, description };
    if (Object.keys(this.parameters).length) d.parameters = this.parameters;
    if (Object.keys(this.conditions).length) d.conditions = this.conditions;
    d.resources = this.resources;
    if (Object.keys(this.outputs).length) d.outputs = this.outputs;
    return d;
  }
}

/** The templates of one set being built: the root, a nested template per node group, and the parameter values. */
class TemplateSetBuilder {
  public readonly root = new TemplateBuilder();
  public readonly nested = new Map<NodeGroup, TemplateBuilder>();
  public readonly secretValues: Record<string, string> = {};
  public readonly paramValues: Record<string, unknown> = {};

  /** Parameters and secrets first (everything else refers to them), then one nested template per group. */
  constructor(all: readonly IConstruct[]) {
    for (const p of all.filter(BayParameter.isBayParameter)) {
      this.root.parameters[p.name] = hotParameter(p);
      this.paramValues[p.name] = hotDefault(p);
    }
    for (const g of all.filter(NodeGroup.isNodeGroup)) {
      const b = new TemplateBuilder(g);
      b.parameters.node_index = { type: 'string', description: "the node's key in its group (%index%)" };
      this.nested.set(g, b);
    }
  }

  public builder(g: NodeGroup | undefined): TemplateBuilder {
    return g ? this.nested.get(g)! : this.root;
  }

  /** The expression context of template `t`: what a value declares lands in `t` (secrets in the root). */
  public context(t: TemplateBuilder, where: string): HotContext {
    return {
      group: t.group,
      where,
      input: (name, type, hidden, rootValue, nestedDefault) => {
        if (!t.group) return rootValue();
        if (!(name in t.parameters)) {
          t.parameters[name] = hidden ? { type, hidden: true } : nestedDefault === undefined ? { type } : { type, default: nestedDefault };
          t.inputs[name] = rootValue();
        }
        return { get_param: name };
      },
      condition: (name, definition) => {
        t.conditions[name] = definition;
      },
      secret: (s) => {
        if (s.name in this.root.parameters) return;
        this.root.parameters[s.name] = { type: 'string', hidden: true, description: s.props.description };
        this.secretValues[s.name] = readSecret(s);
      },
      outerDependency: (name) => t.outerDeps.add(name),
      groupOutput: (group, name, resource, attr) => {
        const inner = this.builder(group);
        if (!(name in inner.outputs)) inner.outputs[name] = { value: resolveHot(resource.attr(attr), this.context(inner, `[${resource.node.path}]`)) };
      },
    };
  }

  public addResource(r: BayResource<any>): void {
    const hot = r.kind.hot;
    if (!hot) throw new ValidationError(`[${r.node.path}] HOT cannot express ${r.kind.name}: ${r.kind.hotMissing}`);
    if (isPassThrough(hot)) return;
    const t = this.builder(r.group);
    const ctx = this.context(t, `[${r.node.path}]`);
    const def: Record<string, unknown> = { type: hot.type, properties: dropUndefined(hot.properties(resolveHot(r.props as Value, ctx) as any)) };
    if (r.condition) def.condition = hotCondition(r.condition, ctx);
    if (hot.deletionPolicy) def.deletion_policy = hot.deletionPolicy;
    const deps: string[] = [];
    for (const d of r.dependsOn) {
      const dGroup = d instanceof NodeGroup ? undefined : d.group;
      if (d instanceof NodeGroup ? t.group === undefined : dGroup === t.group) deps.push(d.logicalName);
      else t.outerDeps.add(d.logicalName);
    }
    if (deps.length) def.depends_on = deps;
    t.resources[r.logicalName] = def;
  }

  public addOutput(o: BayOutput): void {
    if (o.props.terraformOnly) return;
    this.root.outputs[o.name] = { description: o.props.description, value: resolveHot(o.props.value, this.context(this.root, `[${o.node.path}]`)) };
  }

  /** The ResourceGroup of `g` in the root (last: its nested template now knows every input and output). */
  public addGroup(g: NodeGroup, b: TemplateBuilder): void {
    const ctx = this.context(this.root, `[${g.node.path}]`);
    const resolve = (v: Value) => resolveHot(v, ctx);
    if (g.stackId !== undefined) b.outputs['OS::stack_id'] = { value: resolveHot(g.stackId, this.context(b, `[${g.node.path}]`)) };
    const props: Record<string, unknown> = {
      count: resolve(g.props.count),
      resource_def: { type: g.props.templateName, properties: { node_index: '%index%', ...b.inputs } },
    };
    if (g.props.removalList !== undefined) props.removal_policies = [{ resource_list: resolve(g.props.removalList) }];
    const deps = new Set<string>(b.outerDeps);
    for (const d of g.props.dependsOn ?? []) deps.add(d.logicalName);
    const def: Record<string, unknown> = { type: 'OS::Heat::ResourceGroup', properties: props };
    if (g.props.rollingUpdate) def.update_policy = { rolling_update: rollingUpdate(g.props.rollingUpdate, resolve) };
    if (deps.size) def.depends_on = [...deps].filter((d) => d in this.root.resources || isGroupName(d, this.nested));
    this.root.resources[g.logicalName] = def;
  }
}

/** Synthesizes the HOT documents of everything below `scope`. Run validation first. */
export function synthesizeHot(scope: IConstruct, rootTemplate: string, description: string): HotTemplateSet {
  const all = scope.node.findAll();
  const set = new TemplateSetBuilder(all);
  for (const r of all.filter(BayResource.isBayResource)) set.addResource(r);
  for (const o of all.filter(BayOutput.isBayOutput)) set.addOutput(o);
  const templates = new Map<string, HotDoc>();
  templates.set(rootTemplate, {});
  for (const [g, b] of set.nested) {
    set.addGroup(g, b);
    templates.set(g.props.templateName, b.doc(`kubebay node group ${g.node.path}: the resources of one node`));
  }
  templates.set(rootTemplate, set.root.doc(description));
  return { templates, rootTemplate, parameters: set.paramValues, secretParameters: set.secretValues };
}

/** `rolling_update` of a ResourceGroup: min_in_service 0 keeps the group's size (members are replaced in place). */
function rollingUpdate(r: NonNullable<NodeGroup['props']['rollingUpdate']>, resolve: (v: Value) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { min_in_service: 0, max_batch_size: resolve(r.maxBatchSize) };
  if (r.pauseTime !== undefined) out.pause_time = resolve(r.pauseTime);
  return out;
}

function isGroupName(name: string, nested: Map<NodeGroup, TemplateBuilder>): boolean {
  return [...nested.keys()].some((g) => g.logicalName === name);
}

/**
 * A number parameter with excluded values, which HOT can only check as a
 * string with a pattern (see `ParameterConstraints.excluded`).
 */
const asPatternString = (p: BayParameter) => p.props.type === 'number' && (p.props.constraints?.excluded?.length ?? 0) > 0;

/** The HOT value of a parameter's default. */
function hotDefault(p: BayParameter): unknown {
  const d = p.props.default;
  return p.props.type === 'list' ? [...(d as string[])] : asPatternString(p) ? String(d) : d;
}

function hotParameter(p: BayParameter): Record<string, unknown> {
  const { type, description, constraints } = p.props;
  const def: Record<string, unknown> = { type: asPatternString(p) ? 'string' : HOT_TYPES[type], description, default: hotDefault(p) };
  if (p.props.immutable) {
    def.immutable = true;
    def.description = `${description}. Fixed once deployed: ${p.props.immutable}`;
  }
  if (constraints) {
    const list: Record<string, unknown>[] = [];
    if (asPatternString(p)) {
      const { min = 0, max = Number.MAX_SAFE_INTEGER } = constraints.range ?? {};
      list.push({ allowed_pattern: integerPattern(min, max, constraints.excluded!), description: constraints.description });
    } else if (constraints.range) {
      list.push({ range: dropUndefined({ ...constraints.range }), description: constraints.description });
    }
    if (constraints.allowedValues) list.push({ allowed_values: [...constraints.allowedValues], description: constraints.description });
    if (constraints.pattern && type !== 'list') {
      list.push({ allowed_pattern: constraints.pattern, description: constraints.description });
    }
    if (list.length) def.constraints = list;
  }
  return def;
}

function readSecret(s: BaySecret): string {
  if (s.props.encoding === 'path') return s.props.file;
  const bytes = fs.readFileSync(s.props.file);
  return (s.props.encoding ?? 'base64') === 'base64' ? bytes.toString('base64') : bytes.toString('utf8').trim();
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
