/**
 * Neutral values → Terraform (HCL) expressions. `inner` gives an expression
 * (`var.x`, `"text"`); `top` gives what a Terraform JSON attribute holds
 * (literals as they are, expressions as `${...}` templates).
 */
import { AnyExpr, Condition, Expr, Sub, Test, Value } from '../../core/expr';
import { isOmitted } from '../../core/kind';
import { BayResource, NodeGroup } from '../../core/model';
import { placeholderName, splitPlaceholders } from '../../core/placeholder';
import { ValidationError } from '../../core/errors';

export interface TfNames {
  /** `openstack_x.name` or `data.openstack_x.name` of a resource. */
  address(r: BayResource<any>): string;
  /** `local.<group>_keys`. */
  keys(g: NodeGroup): string;
  /** `var.<name>`. */
  variable(p: import('../../core/model').BayParameter): string;
  /** The expression reading a secret at apply time. */
  secret(s: import('../../core/model').BaySecret): string;
}

/** Where an expression is evaluated: the stack, or inside one node group's `for_each`. */
export interface TfContext {
  readonly names: TfNames;
  readonly group?: NodeGroup;
  /** Path of what is being resolved, for error messages. */
  readonly where: string;
}

/** Escapes literal text for a Terraform template (`${` and `%{` are template syntax). */
export function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_m, sigil: string) => `${sigil}${sigil}{`);
}

/** Escapes literal text for the inside of an HCL quoted string. */
function quoteBody(text: string): string {
  return escapeTemplate(text)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

/** An HCL quoted string literal. */
function quote(text: string): string {
  return `"${quoteBody(text)}"`;
}

/** The value of a Terraform JSON attribute. */
export function top(value: Value, ctx: TfContext): unknown {
  if (value instanceof Expr) {
    if (value instanceof Sub) return subTemplate(value.template, value.vars, ctx, escapeTemplate);
    return '${' + inner(value, ctx) + '}';
  }
  if (Array.isArray(value)) return value.map((v) => top(v, ctx));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = top(v as Value, ctx);
    return out;
  }
  return typeof value === 'string' ? escapeTemplate(value) : value;
}

function subTemplate(
  template: string,
  vars: Readonly<Record<string, Value>>,
  ctx: TfContext,
  literal: (text: string) => string,
): string {
  return splitPlaceholders(template)
    .map((part, i) => {
      if (i % 2 === 0) return literal(part);
      const name = placeholderName(part)!;
      if (!(name in vars)) throw new ValidationError(`${ctx.where}: placeholder ${part} has no value`);
      return '${' + inner(vars[name], ctx) + '}';
    })
    .join('');
}

/** An HCL expression for a value. */
export function inner(value: Value, ctx: TfContext): string {
  if (value === undefined) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => inner(v, ctx)).join(', ')}]`;
  if (!(value instanceof Expr)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)} = ${inner(v as Value, ctx)}`).join(', ')}}`;
  }
  const e = value as AnyExpr;
  switch (e.type) {
    case 'param':
      return ctx.names.variable(e.param);
    case 'secret':
      return ctx.names.secret(e.secret);
    case 'nodeKey':
      if (!ctx.group) throw new ValidationError(`${ctx.where}: a node key is only defined inside a node group`);
      return 'each.key';
    case 'join':
      return `join(${quote(e.separator)}, [${e.parts.map((p) => inner(p, ctx)).join(', ')}])`;
    case 'if':
      return `(${test(e.condition.test, ctx)} ? ${inner(e.then, ctx)} : ${inner(e.otherwise, ctx)})`;
    case 'sub':
      return `"${subTemplate(e.template, e.vars, ctx, quoteBody)}"`;
    case 'ref':
      return refExpr(e.target, e.attr, ctx);
    case 'groupAttr': {
      const keys = ctx.names.keys(e.group);
      const item = `${ctx.names.address(e.resource)}[k].${tfAttr(e.resource, e.attr)}`;
      const guard = e.resource.condition ? ` if contains(keys(${ctx.names.address(e.resource)}), k)` : '';
      return `[for k in ${keys} : ${item}${guard}]`;
    }
    case 'groupMap': {
      const keys = ctx.names.keys(e.group);
      return `{for k in ${keys} : k => ${ctx.names.address(e.resource)}[k].${tfAttr(e.resource, e.attr)}}`;
    }
    case 'groupMember':
      return `${ctx.names.address(e.resource)}[${quote(e.key)}].${tfAttr(e.resource, e.attr)}`;
  }
}

function test(t: Test, ctx: TfContext): string {
  if (t.op === 'not') return `!${test(t.test, ctx)}`;
  if (t.op === 'and') return `(${t.tests.map((x) => test(x, ctx)).join(' && ')})`;
  return `(${inner(t.left, ctx)} == ${inner(t.right, ctx)})`;
}

/** A condition's boolean expression (for `count`/`for_each` guards). */
export function conditionExpr(c: Condition, ctx: TfContext): string {
  return test(c.test, ctx);
}

/** The Terraform attribute a neutral attribute maps to. */
export function tfAttr(r: BayResource<any>, attr: string | undefined): string {
  if (attr === undefined) return 'id';
  const tf = r.kind.tf;
  if (tf && !isOmitted(tf)) return tf.attrs?.[attr] ?? attr;
  return attr;
}

function refExpr(r: BayResource<any>, attr: string | undefined, ctx: TfContext): string {
  const tf = r.kind.tf;
  if (!tf) throw new ValidationError(`${ctx.where}: ${r.node.path} (${r.kind.name}): ${r.kind.tfMissing}`);
  if (isOmitted(tf)) {
    const literal = attr === undefined ? undefined : tf.attrs[attr];
    if (literal === undefined) throw new ValidationError(`${ctx.where}: ${r.node.path} has no Terraform counterpart (${tf.omitted})`);
    return quote(literal);
  }
  let addr = ctx.names.address(r);
  if (r.group) {
    if (r.group !== ctx.group) {
      throw new ValidationError(`${ctx.where}: ${r.node.path} is repeated per node; refer to it with its group's attrList()/attrMap()`);
    }
    addr += '[each.key]';
  }
  const expr = `${addr}.${tfAttr(r, attr)}`;
  return r.condition ? `try(${expr}, null)` : expr;
}
