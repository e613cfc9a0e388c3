/**
 * Format-neutral values. A resource property is a plain JSON value or an
 * `Expr`; each synthesizer turns an `Expr` into its own syntax (HOT
 * `get_resource`/`get_attr`/`get_param`/`str_replace`/`if`, Terraform
 * `${...}` expressions). No cdktf token string ever appears here.
 */
import type { BayParameter, BayResource, BaySecret, NodeGroup } from './model';
import { placeholderPattern } from './placeholder';

export type Value =
  | string
  | number
  | boolean
  | undefined
  | Expr
  | readonly Value[]
  | { readonly [key: string]: Value };

/** Base of every neutral expression. */
export abstract class Expr {
  /** Kind tag used by the synthesizers' exhaustive switches. */
  public abstract readonly type: ExprType;
}

export type ExprType = 'ref' | 'param' | 'secret' | 'nodeKey' | 'sub' | 'join' | 'if' | 'groupAttr' | 'groupMap' | 'groupMember';

/** The id (no attribute) or a named attribute of a resource. */
export class ResourceRef extends Expr {
  public readonly type = 'ref' as const;
  constructor(public readonly target: BayResource<any>, public readonly attr?: string) {
    super();
  }
}

/** The value of a bay parameter (HOT parameter, Terraform variable). */
export class ParamRef extends Expr {
  public readonly type = 'param' as const;
  constructor(public readonly param: BayParameter) {
    super();
  }
}

/** A secret read at deploy time (HOT hidden parameter, Terraform `sensitive(file())`). */
export class SecretRef extends Expr {
  public readonly type = 'secret' as const;
  constructor(public readonly secret: BaySecret) {
    super();
  }
}

/** The key of the node being defined, inside a node group (HOT `%index%`, Terraform `each.key`). */
export class NodeKey extends Expr {
  public readonly type = 'nodeKey' as const;
}

/** Text with `@@NAME@@` placeholders replaced by values (HOT `str_replace`, Terraform template). */
export class Sub extends Expr {
  public readonly type = 'sub' as const;
  public readonly template: string;
  /** The placeholders left after literal values were written into the text. */
  public readonly vars: Readonly<Record<string, Value>>;
  /** Literal string and number values are written into the text at once; only expressions stay placeholders. */
  constructor(template: string, vars: Readonly<Record<string, Value>>) {
    super();
    const left: Record<string, Value> = {};
    this.template = template.replace(placeholderPattern(), (whole, name: string) => {
      const v = vars[name];
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      if (v !== undefined) left[name] = v;
      return whole;
    });
    this.vars = left;
  }
}

/** Strings joined with a separator. */
export class Join extends Expr {
  public readonly type = 'join' as const;
  constructor(public readonly separator: string, public readonly parts: readonly Value[]) {
    super();
  }
}

/** `then` when the condition holds, `otherwise` when not. */
export class If extends Expr {
  public readonly type = 'if' as const;
  constructor(public readonly condition: Condition, public readonly then: Value, public readonly otherwise: Value) {
    super();
  }
}

/** A list: the attribute of one resource of a node group, across all its nodes. */
export class GroupAttr extends Expr {
  public readonly type = 'groupAttr' as const;
  constructor(public readonly group: NodeGroup, public readonly resource: BayResource<any>, public readonly attr: string) {
    super();
  }
}

/** A map node key → attribute of one resource of a node group. */
export class GroupMap extends Expr {
  public readonly type = 'groupMap' as const;
  constructor(public readonly group: NodeGroup, public readonly resource: BayResource<any>, public readonly attr: string) {
    super();
  }
}

/**
 * The attribute of one resource of ONE node of a group (by its key), read
 * from outside the group: HOT `get_attr: [group, resource.<key>, output]`
 * (a dependency on the whole group), Terraform `<address>["<key>"].<attr>`.
 */
export class GroupMember extends Expr {
  public readonly type = 'groupMember' as const;
  constructor(public readonly group: NodeGroup, public readonly resource: BayResource<any>, public readonly attr: string, public readonly key: string) {
    super();
  }
}

/**
 * A named condition (HOT `conditions:` entry, Terraform boolean expression).
 * The name must be unique within the bay.
 */
export class Condition {
  constructor(public readonly name: string, public readonly test: Test) {}
}

export type Test =
  | { readonly op: 'equals'; readonly left: Value; readonly right: Value }
  | { readonly op: 'not'; readonly test: Test }
  /** Every test holds (HOT `and`, Terraform `&&`). */
  | { readonly op: 'and'; readonly tests: readonly Test[] };

/** Every concrete expression, for exhaustive switches on `type`. */
export type AnyExpr = ResourceRef | ParamRef | SecretRef | NodeKey | Sub | Join | If | GroupAttr | GroupMap | GroupMember;

/** Walks a value and calls `visit` on every expression inside it, depth first. */
export function visitExprs(value: Value, visit: (e: Expr) => void): void {
  if (value instanceof Expr) {
    visit(value);
    const e = value as AnyExpr;
    switch (e.type) {
      case 'sub':
        for (const v of Object.values(e.vars)) visitExprs(v, visit);
        return;
      case 'join':
        e.parts.forEach((p) => visitExprs(p, visit));
        return;
      case 'if':
        visitTest(e.condition.test, visit);
        visitExprs(e.then, visit);
        visitExprs(e.otherwise, visit);
        return;
      default:
        return;
    }
  }
  if (Array.isArray(value)) value.forEach((v) => visitExprs(v, visit));
  else if (value && typeof value === 'object') for (const v of Object.values(value)) visitExprs(v as Value, visit);
}

export function visitTest(test: Test, visit: (e: Expr) => void): void {
  if (test.op === 'not') visitTest(test.test, visit);
  else if (test.op === 'and') test.tests.forEach((t) => visitTest(t, visit));
  else {
    visitExprs(test.left, visit);
    visitExprs(test.right, visit);
  }
}
