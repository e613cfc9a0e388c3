/**
 * HOT synthesis: walks a bay's construct tree and writes a root template,
 * one nested template per node group (the `resource_def` of an
 * `OS::Heat::ResourceGroup`), and the parameter values.
 */
import * as fs from 'node:fs';
import { IConstruct } from 'constructs';
import { AnyExpr, Condition, Expr, Test, Value } from '../../core/expr';
import { isPassThrough, HotMapping } from '../../core/kind';
import { BayOutput, BayParameter, BayResource, BaySecret, NodeGroup, ParameterType } from '../../core/model';
import { integerPattern } from '../../core/int-set';
import { sanitize } from '../../core/names';
import { placeholderPattern } from '../../core/placeholder';

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

const HOT_TYPES: Record<ParameterType, string> = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  list: 'comma_delimited_list',
};

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

/** Synthesizes the HOT documents of everything below `scope`. Run validation first. */
export function synthesizeHot(scope: IConstruct, rootTemplate: string, description: string): HotTemplateSet {
  const all = scope.node.findAll();
  const root = new TemplateBuilder();
  const nested = new Map<NodeGroup, TemplateBuilder>();
  const secretValues: Record<string, string> = {};
  const paramValues: Record<string, unknown> = {};

  const builder = (g: NodeGroup | undefined) => (g ? nested.get(g)! : root);

  const resolver = (t: TemplateBuilder, where: string) => {
    const resolve = (v: Value): unknown => {
      if (v instanceof Expr) return resolveExpr(v);
      if (Array.isArray(v)) return v.map(resolve);
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = resolve(x as Value);
        return out;
      }
      return v;
    };
    /** In a nested template, a value from the root arrives as a parameter of the nested template. */
    const input = (name: string, type: string, hidden: boolean, rootValue: () => unknown): unknown => {
      if (!t.group) return rootValue();
      if (!(name in t.parameters)) {
        t.parameters[name] = hidden ? { type, hidden: true } : { type };
        t.inputs[name] = rootValue();
      }
      return { get_param: name };
    };
    const cond = (c: Condition): string => {
      t.conditions[c.name] = test(c.test);
      return c.name;
    };
    const test = (x: Test): unknown =>
      x.op === 'not' ? { not: test(x.test) } : { equals: [resolve(x.left), resolve(x.right)] };
    const resolveExpr = (x: Expr): unknown => {
      const e = x as AnyExpr;
      switch (e.type) {
        case 'param':
          return input(e.param.name, HOT_TYPES[e.param.props.type], false, () => ({ get_param: e.param.name }));
        case 'secret': {
          // Hidden parameters exist only for secrets a template uses.
          const s = e.secret;
          if (!(s.name in root.parameters)) {
            root.parameters[s.name] = { type: 'string', hidden: true, description: s.props.description };
            secretValues[s.name] = readSecret(s);
          }
          return input(s.name, 'string', true, () => ({ get_param: s.name }));
        }
        case 'nodeKey':
          if (!t.group) throw new Error(`${where}: a node key is only defined inside a node group`);
          return { get_param: 'node_index' };
        case 'join':
          return { list_join: [e.separator, e.parts.map(resolve)] };
        case 'if':
          return { if: [cond(e.condition), resolve(e.then), resolve(e.otherwise)] };
        case 'sub': {
          const params: Record<string, unknown> = {};
          for (const m of e.template.matchAll(placeholderPattern())) {
            if (!(m[1] in e.vars)) throw new Error(`${where}: placeholder ${m[0]} has no value`);
            params[m[0]] = resolve(e.vars[m[1]]);
          }
          return Object.keys(params).length ? { str_replace: { template: e.template, params } } : e.template;
        }
        case 'ref': {
          const r = e.target;
          const hot = r.kind.hot;
          if (!hot) throw new Error(`${where}: ${r.node.path}: HOT cannot express ${r.kind.name}: ${r.kind.hotMissing}`);
          if (isPassThrough(hot)) return hot.passThrough(resolve(r.props as Value) as any, e.attr);
          if (r.group === t.group) return local(r, e.attr, hot);
          if (r.group) throw new Error(`${where}: ${r.node.path} is repeated per node; refer to it with its group's attrList()/attrMap()`);
          t.outerDeps.add(r.logicalName);
          const name = e.attr ? `${r.logicalName}_${sanitize(e.attr)}` : r.logicalName;
          return input(name, 'string', false, () => local(r, e.attr, hot));
        }
        case 'groupAttr':
        case 'groupMap': {
          if (t.group) throw new Error(`${where}: a node group's attributes are read from outside the group`);
          const inner = builder(e.group);
          const out = `${e.resource.logicalName}_${sanitize(e.attr)}`;
          if (!(out in inner.outputs)) {
            inner.outputs[out] = { value: resolver(inner, `[${e.resource.node.path}]`)(e.resource.attr(e.attr)) };
          }
          return e.type === 'groupAttr'
            ? { get_attr: [e.group.logicalName, out] }
            : { get_attr: [e.group.logicalName, 'attributes', out] };
        }
        case 'groupMember': {
          if (t.group === e.group) throw new Error(`${where}: a node reads its own group's member attribute`);
          const inner = builder(e.group);
          const out = `${e.resource.logicalName}_${sanitize(e.attr)}`;
          if (!(out in inner.outputs)) {
            inner.outputs[out] = { value: resolver(inner, `[${e.resource.node.path}]`)(e.resource.attr(e.attr)) };
          }
          // From another group's template: a parameter of it, set from the root.
          return input(`${e.group.logicalName}_${e.key}_${out}`, 'string', false, () => ({ get_attr: [e.group.logicalName, `resource.${e.key}`, out] }));
        }
      }
    };
    return Object.assign(resolve, { condition: cond });
  };

  const local = (r: BayResource<any>, attr: string | undefined, hot: HotMapping<any>): unknown => {
    if (attr === undefined) return { get_resource: r.logicalName };
    const path = hot.attrs?.[attr] ?? [attr];
    return { get_attr: [r.logicalName, ...path] };
  };

  // Parameters and secrets first (they are referenced by everything else).
  for (const p of all.filter(BayParameter.isBayParameter)) {
    root.parameters[p.name] = hotParameter(p);
    paramValues[p.name] = hotDefault(p);
  }
  for (const g of all.filter(NodeGroup.isNodeGroup)) {
    const b = new TemplateBuilder(g);
    b.parameters.node_index = { type: 'string', description: "the node's key in its group (%index%)" };
    nested.set(g, b);
  }

  for (const r of all.filter(BayResource.isBayResource)) {
    const hot = r.kind.hot;
    if (!hot) throw new Error(`[${r.node.path}] HOT cannot express ${r.kind.name}: ${r.kind.hotMissing}`);
    if (isPassThrough(hot)) continue;
    const t = builder(r.group);
    const resolve = resolver(t, `[${r.node.path}]`);
    const def: Record<string, unknown> = { type: hot.type, properties: dropUndefined(hot.properties(resolve(r.props as Value) as any)) };
    if (r.condition) def.condition = resolve.condition(r.condition);
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

  for (const o of all.filter(BayOutput.isBayOutput)) {
    if (o.props.terraformOnly) continue;
    root.outputs[o.name] = { description: o.props.description, value: resolver(root, `[${o.node.path}]`)(o.props.value) };
  }

  // Groups last: their nested templates now know every input and output.
  const templates = new Map<string, HotDoc>();
  templates.set(rootTemplate, {});
  for (const [g, b] of nested) {
    const resolve = resolver(root, `[${g.node.path}]`);
    if (g.stackId !== undefined) b.outputs['OS::stack_id'] = { value: resolver(b, `[${g.node.path}]`)(g.stackId) };
    const props: Record<string, unknown> = {
      count: resolve(g.props.count),
      resource_def: { type: g.props.templateName, properties: { node_index: '%index%', ...b.inputs } },
    };
    if (g.props.removalList !== undefined) props.removal_policies = [{ resource_list: resolve(g.props.removalList) }];
    const deps = new Set<string>(b.outerDeps);
    for (const d of g.props.dependsOn ?? []) deps.add(d.logicalName);
    const def: Record<string, unknown> = { type: 'OS::Heat::ResourceGroup', properties: props };
    if (g.props.rollingUpdate) def.update_policy = { rolling_update: rollingUpdate(g.props.rollingUpdate, resolve) };
    if (deps.size) def.depends_on = [...deps].filter((d) => d in root.resources || isGroupName(d, nested));
    root.resources[g.logicalName] = def;
    templates.set(g.props.templateName, b.doc(`kubebay node group ${g.node.path}: the resources of one node`));
  }
  templates.set(rootTemplate, root.doc(description));
  return { templates, rootTemplate, parameters: paramValues, secretParameters: secretValues };
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
