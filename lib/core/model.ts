/**
 * The format-neutral model: resources, parameters, secrets, outputs and node
 * groups, recorded as plain constructs. They register nowhere: each
 * synthesizer walks the tree (see `target.ts`).
 */
import { Construct, IConstruct } from 'constructs';
import { Condition, GroupAttr, GroupMap, GroupMember, NodeKey, ParamRef, ResourceRef, SecretRef, Value } from './expr';
import { IntRange } from './int-set';
import { ResourceKind } from './kind';
import { logicalName } from './names';
import { ValidationError } from './errors';

/** Options shared by resources and node groups. */
export interface ResourceOptions {
  /** Resources this one must be created after (besides those it references). @default [] */
  readonly dependsOn?: readonly (BayResource<any> | NodeGroup)[];
  /** Create the resource only when this condition holds. @default - always */
  readonly condition?: Condition;
}

/** One format-neutral resource of a given kind. */
export class BayResource<P = Record<string, Value>> extends Construct {
  public static isBayResource(x: unknown): x is BayResource<any> {
    return x instanceof BayResource;
  }

  public readonly kind: ResourceKind<P>;
  public readonly props: P;
  public readonly dependsOn: readonly (BayResource<any> | NodeGroup)[];
  public readonly condition?: Condition;
  /** Logical name, identical in HOT `resources:` and Terraform JSON. */
  public readonly logicalName: string;
  /** The node group this resource is repeated in, if any. */
  public readonly group?: NodeGroup;

  constructor(scope: Construct, id: string, kind: ResourceKind<P>, props: P, options: ResourceOptions = {}) {
    super(scope, id);
    this.kind = kind;
    this.props = props;
    this.dependsOn = options.dependsOn ?? [];
    this.condition = options.condition;
    this.logicalName = logicalName(this);
    this.group = enclosingGroup(this);
  }

  /** A reference to the resource's id. */
  public get id(): ResourceRef {
    return new ResourceRef(this);
  }

  /** A reference to one of the resource's attributes (a neutral attribute name of its kind). */
  public attr(name: string): ResourceRef {
    return new ResourceRef(this, name);
  }
}

export type ParameterType = 'string' | 'number' | 'boolean' | 'list';

/** Constraints of a parameter, checked by Heat and by Terraform variable validation. */
export interface ParameterConstraints {
  /** Inclusive numeric range. @default - none */
  readonly range?: { readonly min?: number; readonly max?: number };
  /** Allowed values. @default - any */
  readonly allowedValues?: readonly (string | number)[];
  /** Regular expression every value (every list element) must match entirely. @default - any */
  readonly pattern?: string;
  /** What the constraints mean, shown when a value breaks them. */
  readonly description: string;
  /**
   * Numbers a `number` parameter must not take (inclusive ranges), e.g. the
   * ports the API port must not collide with. Terraform checks them in the
   * variable's validation; HOT, whose number parameters cannot exclude
   * values, declares such a parameter as a string whose `allowed_pattern`
   * matches exactly the allowed integers (Heat converts it to the integer
   * properties it feeds). @default - none
   */
  readonly excluded?: readonly IntRange[];
}

export interface BayParameterProps {
  readonly type: ParameterType;
  readonly description: string;
  /** Default value (the construct prop the parameter came from). */
  readonly default: string | number | boolean | readonly string[];
  /** @default - none */
  readonly constraints?: ParameterConstraints;
  /**
   * The value is fixed once deployed: why, and the safe way instead (shown
   * when a change is refused). HOT: `immutable: true` (Heat refuses the
   * update); Terraform: a guard resource keeps the first applied value and a
   * precondition refuses a plan that changes it.
   * @default - the value may change on update
   */
  readonly immutable?: string;
  /**
   * HOT: a nested template that takes the parameter declares the default
   * too. For parameters added to the user data of existing bays: Heat's
   * rolling update validates the members it has not reached yet with their
   * old properties (without this one) against the new nested template, and
   * refuses a required parameter they lack; with the default they validate,
   * to the same value.
   * @default false
   */
  readonly nestedDefault?: boolean;
}

/**
 * A named element of a bay (parameter, secret, output): its construct id is
 * its name as HOT sees it (unprefixed: each bay is its own HOT template set);
 * Terraform, where bays share a stack, uses the prefixed `logicalName`.
 */
abstract class NamedElement extends Construct {
  /** Name as HOT sees it (Magnum's names). */
  public readonly name: string;
  /** Name in Terraform: `<bay>_<name>`. */
  public readonly logicalName: string;
  constructor(scope: Construct, name: string) {
    super(scope, name);
    this.name = name;
    this.logicalName = logicalName(this);
  }
}

/** A tunable of the bay: HOT parameter `name`, Terraform variable `<bay>_<name>`. */
export class BayParameter extends NamedElement {
  public static isBayParameter(x: unknown): x is BayParameter {
    return x instanceof BayParameter;
  }
  constructor(scope: Construct, name: string, public readonly props: BayParameterProps) {
    super(scope, name);
  }
  public get value(): ParamRef {
    return new ParamRef(this);
  }
}

export interface BaySecretProps {
  readonly description: string;
  /** Absolute path of the file holding the secret (in the PKI store). */
  readonly file: string;
  /**
   * How the value is passed: the file's bytes as base64, its text, or only
   * the file's absolute path, resolved where the deployment runs (Terraform:
   * `abspath(...)` at apply time; the contents never enter state).
   * @default 'base64'
   */
  readonly encoding?: 'base64' | 'text' | 'path';
  /** Bytes of the file, when the secret's owner knows them (size estimates read no file then). @default - read from the file */
  readonly size?: number;
}

/**
 * A secret that never enters a template body: HOT hidden parameter whose
 * value lives in a separate 0600 environment file; Terraform
 * `sensitive(filebase64(...))` read at apply time.
 */
export class BaySecret extends NamedElement {
  public static isBaySecret(x: unknown): x is BaySecret {
    return x instanceof BaySecret;
  }
  constructor(scope: Construct, name: string, public readonly props: BaySecretProps) {
    super(scope, name);
  }
  public get value(): SecretRef {
    return new SecretRef(this);
  }
}

export interface BayOutputProps {
  readonly description: string;
  readonly value: Value;
  /** Terraform `sensitive`. @default false */
  readonly sensitive?: boolean;
  /**
   * Only a Terraform output, with the reason HOT has none (e.g. a value that
   * would show a secret to anyone who can read the stack). @default - both formats
   */
  readonly terraformOnly?: string;
  /**
   * A file that must still hold the same bytes where the deployment runs
   * (Terraform: an output precondition on `filesha256(file)` checked at
   * plan; HOT embeds its material and has none). Detects outputs made
   * stale by `kubebay pki rotate`.
   * @default - no check
   */
  readonly deployCheck?: { readonly file: string; readonly sha256: string; readonly errorMessage: string };
}

/** An output of the bay: HOT output `name`, Terraform output `<bay>_<name>`. */
export class BayOutput extends NamedElement {
  public static isBayOutput(x: unknown): x is BayOutput {
    return x instanceof BayOutput;
  }
  constructor(scope: Construct, name: string, public readonly props: BayOutputProps) {
    super(scope, name);
  }
}

export interface NodeGroupProps extends ResourceOptions {
  /** Number of nodes (usually a parameter). */
  readonly count: Value;
  /**
   * Node keys (or, in HOT, a nested stack's `OS::stack_id` output) to remove;
   * the other nodes keep their keys. @default - none
   */
  readonly removalList?: Value;
  /** File name of the HOT nested template, e.g. `kubeminion.yaml`. */
  readonly templateName: string;
  /**
   * How an update that changes every node's definition rolls through the
   * group: HOT `update_policy: rolling_update` (members replaced in batches,
   * highest key first, with a pause between batches). Terraform has no
   * equivalent: servers ignore user-data drift and `kubebay roll` replaces
   * them. @default - Heat's default (every member at once)
   */
  readonly rollingUpdate?: { readonly maxBatchSize: Value; readonly pauseTime?: Value };
  /**
   * The value a HOT nested stack reports as `OS::stack_id`, so that removal
   * policies may name a node by it (Magnum: the private IP). A function of
   * the group, called at synthesis, when the resource it refers to exists.
   * @default - the nested stack's own id
   */
  readonly stackId?: (group: NodeGroup) => Value;
}

/**
 * A group of identical nodes: every `BayResource` created inside it is
 * repeated once per node. HOT: an `OS::Heat::ResourceGroup` of a nested
 * template; Terraform: `for_each` over stable node keys.
 */
export class NodeGroup extends Construct {
  public static isNodeGroup(x: unknown): x is NodeGroup {
    return x instanceof NodeGroup;
  }
  public readonly logicalName: string;
  /** The key of the node being defined (use inside the group). */
  public readonly key = new NodeKey();
  constructor(scope: Construct, id: string, public readonly props: NodeGroupProps) {
    super(scope, id);
    this.logicalName = logicalName(this);
    if (enclosingGroup(this)) throw new ValidationError(`[${this.node.path}] node groups cannot be nested; make each NodeGroup a sibling`, this);
  }
  /** The value its nested stack reports as `OS::stack_id` (see `NodeGroupProps.stackId`), if set. */
  public get stackId(): Value {
    return this.props.stackId?.(this);
  }
  /** The resources repeated per node, in creation order. */
  public get resources(): BayResource<any>[] {
    return this.node.findAll().filter(BayResource.isBayResource);
  }
  /** List of one resource's attribute across all nodes, in key order. */
  public attrList(resource: BayResource<any>, attr: string): GroupAttr {
    return new GroupAttr(this, resource, attr);
  }
  /** Map node key → one resource's attribute. */
  public attrMap(resource: BayResource<any>, attr: string): GroupMap {
    return new GroupMap(this, resource, attr);
  }
  /** One resource's attribute of the node with key `key`, read from outside the group. */
  public memberAttr(resource: BayResource<any>, attr: string, key: string): GroupMember {
    return new GroupMember(this, resource, attr, key);
  }
}

function enclosingGroup(c: IConstruct): NodeGroup | undefined {
  for (let s = c.node.scope; s; s = s.node.scope) if (s instanceof NodeGroup) return s;
  return undefined;
}
