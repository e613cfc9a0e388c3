/**
 * Neutral values → HOT intrinsic functions (`get_param`, `get_resource`,
 * `get_attr`, `list_join`, `str_replace`, `if`), the HOT counterpart of
 * `../terraform/expressions.ts`. Pure: what a value needs declared in a
 * template (a nested template's input parameter, a condition, a secret's
 * hidden parameter, a group output) is asked of the {@link HotContext}, which
 * the template builder implements.
 */
import { AnyExpr, Condition, Expr, Test, Value } from '../../core/expr';
import { HotMapping, isPassThrough } from '../../core/kind';
import { BayResource, BaySecret, NodeGroup, ParameterType } from '../../core/model';
import { sanitize } from '../../core/names';
import { placeholderPattern } from '../../core/placeholder';
import { ValidationError } from '../../core/errors';

/** HOT parameter type of each neutral parameter type. */
export const HOT_TYPES: Readonly<Record<ParameterType, string>> = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  list: 'comma_delimited_list',
};

/** Where a value is resolved (the root template, or one node group's nested template) and what it may declare there. */
export interface HotContext {
  /** The group whose nested template the value is in. @default - the root template */
  readonly group?: NodeGroup;
  /** Path of what is being resolved, for error messages. */
  readonly where: string;
  /**
   * A value of the root template: the root uses `rootValue()`; a nested
   * template declares (once) a parameter `name` that its group passes the
   * root value into, and uses `{get_param: name}`. `nestedDefault`: the
   * default of that nested parameter (see `BayParameterProps.nestedDefault`).
   */
  input(name: string, type: string, hidden: boolean, rootValue: () => unknown, nestedDefault?: unknown): unknown;
  /** Declares a condition of the template (once per name). */
  condition(name: string, definition: unknown): void;
  /** Declares the hidden root parameter holding a secret (once per secret). */
  secret(s: BaySecret): void;
  /** Records a resource outside the group that the group must be created after. */
  outerDependency(logicalName: string): void;
  /** Declares output `name` of a group's nested template: `resource`'s `attr`, resolved inside the group. */
  groupOutput(group: NodeGroup, name: string, resource: BayResource<any>, attr: string): void;
}

/** The HOT form of a value (plain JSON stays as it is; `undefined` members are dropped). */
export function resolveHot(v: Value, ctx: HotContext): unknown {
  if (v instanceof Expr) return resolveExpr(v as AnyExpr, ctx);
  if (Array.isArray(v)) return v.map((x) => resolveHot(x, ctx));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = resolveHot(x as Value, ctx);
    return out;
  }
  return v;
}

/** Declares a condition in the context's template and returns its name (for `if` and a resource's `condition`). */
export function hotCondition(c: Condition, ctx: HotContext): string {
  ctx.condition(c.name, hotTest(c.test, ctx));
  return c.name;
}

/** A condition's test as HOT condition functions (`equals`, `not`, `and`). */
export function hotTest(x: Test, ctx: HotContext): unknown {
  if (x.op === 'and') return { and: x.tests.map((t) => hotTest(t, ctx)) };
  return x.op === 'not' ? { not: hotTest(x.test, ctx) } : { equals: [resolveHot(x.left, ctx), resolveHot(x.right, ctx)] };
}

/** A resource of the same template: `get_resource` for its id, else `get_attr` along the kind's attribute path. */
export function localRef(r: BayResource<any>, attr: string | undefined, hot: HotMapping<any>): unknown {
  if (attr === undefined) return { get_resource: r.logicalName };
  const path = hot.attrs?.[attr] ?? [attr];
  return { get_attr: [r.logicalName, ...path] };
}

function resolveExpr(e: AnyExpr, ctx: HotContext): unknown {
  switch (e.type) {
    case 'param':
      return ctx.input(e.param.name, HOT_TYPES[e.param.props.type], false, () => ({ get_param: e.param.name }), e.param.props.nestedDefault ? e.param.props.default : undefined);
    case 'secret':
      // Hidden parameters exist only for secrets a template uses.
      ctx.secret(e.secret);
      return ctx.input(e.secret.name, 'string', true, () => ({ get_param: e.secret.name }));
    case 'nodeKey':
      if (!ctx.group) throw new ValidationError(`${ctx.where}: a node key is only defined inside a node group`);
      return { get_param: 'node_index' };
    case 'join':
      return { list_join: [e.separator, e.parts.map((p) => resolveHot(p, ctx))] };
    case 'if':
      return { if: [hotCondition(e.condition, ctx), resolveHot(e.then, ctx), resolveHot(e.otherwise, ctx)] };
    case 'sub':
      return strReplace(e.template, e.vars, ctx);
    case 'ref':
      return refExpr(e.target, e.attr, ctx);
    case 'groupAttr':
    case 'groupMap': {
      if (ctx.group) throw new ValidationError(`${ctx.where}: a node group's attributes are read from outside the group`);
      const out = `${e.resource.logicalName}_${sanitize(e.attr)}`;
      ctx.groupOutput(e.group, out, e.resource, e.attr);
      return e.type === 'groupAttr' ? { get_attr: [e.group.logicalName, out] } : { get_attr: [e.group.logicalName, 'attributes', out] };
    }
    case 'groupMember': {
      if (ctx.group === e.group) throw new ValidationError(`${ctx.where}: a node reads its own group's member attribute`);
      const out = `${e.resource.logicalName}_${sanitize(e.attr)}`;
      ctx.groupOutput(e.group, out, e.resource, e.attr);
      // From another group's template: a parameter of it, set from the root.
      return ctx.input(`${e.group.logicalName}_${e.key}_${out}`, 'string', false, () => ({ get_attr: [e.group.logicalName, `resource.${e.key}`, out] }));
    }
  }
}

/** `str_replace` of the `@@NAME@@` placeholders left in a template (the text alone when none is left). */
function strReplace(template: string, vars: Readonly<Record<string, Value>>, ctx: HotContext): unknown {
  const params: Record<string, unknown> = {};
  for (const m of template.matchAll(placeholderPattern())) {
    if (!(m[1] in vars)) throw new ValidationError(`${ctx.where}: placeholder ${m[0]} has no value`);
    params[m[0]] = resolveHot(vars[m[1]], ctx);
  }
  return Object.keys(params).length ? { str_replace: { template, params } } : template;
}

/** A reference to a resource: local, a value a lookup passes through, or an input from the root template. */
function refExpr(r: BayResource<any>, attr: string | undefined, ctx: HotContext): unknown {
  const hot = r.kind.hot;
  if (!hot) throw new ValidationError(`${ctx.where}: ${r.node.path}: HOT cannot express ${r.kind.name}: ${r.kind.hotMissing}`);
  if (isPassThrough(hot)) return hot.passThrough(resolveHot(r.props as Value, ctx) as any, attr);
  if (r.group === ctx.group) return localRef(r, attr, hot);
  if (r.group) throw new ValidationError(`${ctx.where}: ${r.node.path} is repeated per node; refer to it with its group's attrList()/attrMap()`);
  ctx.outerDependency(r.logicalName);
  const name = attr ? `${r.logicalName}_${sanitize(attr)}` : r.logicalName;
  return ctx.input(name, 'string', false, () => localRef(r, attr, hot));
}
