/**
 * WHAT the Terraform target emits for each model construct, decided once for
 * both back-ends: the cdktf one (generated binding instances in the user's
 * `TerraformStack`, synthesizer.ts) and the direct one (cdk.tf.json written
 * without loading cdktf, json/). A block names the construct it hangs below
 * and its construct id (its path in the document's metadata), its logical
 * name, its settings and the overrides cdktf would apply, in order.
 * This module imports no cdktf.
 */
import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { isOmitted, TfMapping } from '../../core/kind';
import { BayOutput, BayParameter, BayResource, BaySecret, NodeGroup } from '../../core/model';
import { ParamRef, Value } from '../../core/expr';
import { ValidationError } from '../../core/errors';
import { conditionExpr, inner, TfContext, TfNames, top } from './expressions';

/** An override `addOverride(path, value)` of cdktf: a dotted path into the block. */
export type TfOverride = readonly [path: string, value: unknown];

interface BlockBase {
  /** The construct the element hangs below (the model construct). */
  readonly scope: IConstruct;
  /** Its construct id below `scope`. */
  readonly id: string;
  /** Its logical name in the document. */
  readonly name: string;
}

export interface TfVariableBlock extends BlockBase {
  readonly kind: 'variable';
  readonly type: string;
  readonly default?: unknown;
  readonly description?: string;
  readonly nullable: boolean;
  readonly validation?: readonly { readonly condition: string; readonly errorMessage: string }[];
}

export interface TfLocalBlock extends BlockBase {
  readonly kind: 'local';
  /** The local's value (a `${...}` template). */
  readonly expression: string;
}

export interface TfResourceBlock extends BlockBase {
  readonly kind: 'resource';
  /** Terraform type, e.g. `openstack_networking_port_v2` or `terraform_data`. */
  readonly type: string;
  readonly dataSource: boolean;
  /** Config of the generated binding (camelCase names), resolved to Terraform values. @default - none: a built-in type configured by overrides */
  readonly config?: Record<string, unknown>;
  /** Terraform's built-in (`terraform_data`): no binding, no OpenStack provider. */
  readonly builtin: boolean;
  readonly overrides: readonly TfOverride[];
}

export interface TfOutputBlock extends BlockBase {
  readonly kind: 'output';
  readonly value: unknown;
  readonly description?: string;
  readonly sensitive?: boolean;
  readonly overrides: readonly TfOverride[];
}

export type TfBlock = TfVariableBlock | TfLocalBlock | TfResourceBlock | TfOutputBlock;

export type ModelConstruct = BayParameter | NodeGroup | BayResource<any> | BayOutput;

const TF_TYPES: Record<BayParameter['props']['type'], string> = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  list: 'list(string)',
};

export function isModelConstruct(c: IConstruct): c is ModelConstruct {
  return BayParameter.isBayParameter(c) || NodeGroup.isNodeGroup(c) || BayResource.isBayResource(c) || BayOutput.isBayOutput(c);
}

/**
 * What Terraform cannot express below `scope`: kinds without a Terraform
 * form, and node groups told to remove nodes by anything but their keys
 * (HOT can also name a node by its nested stack's `OS::stack_id`;
 * Terraform's `for_each` keys are `"0"`, `"1"`, ... and nothing else is
 * known at plan time).
 */
export function terraformIssues(scope: IConstruct): string[] {
  const all = scope.node.findAll();
  const kinds = all
    .filter(BayResource.isBayResource)
    .filter((r) => !r.kind.tf)
    .map((r) => `[${r.node.path}] Terraform cannot express ${r.kind.name}: ${r.kind.tfMissing}`);
  return [...kinds, ...all.filter(NodeGroup.isNodeGroup).flatMap(removalByKeyOnly)];
}

/** A group's removal list (its literal value, or its parameter's default) may hold node keys only. */
function removalByKeyOnly(g: NodeGroup): string[] {
  const list = g.props.removalList;
  const value = list instanceof ParamRef ? list.param.props.default : list;
  if (!Array.isArray(value)) return [];
  const notKeys = value.filter((v) => typeof v === 'string' && !/^(0|[1-9][0-9]*)$/.test(v));
  if (!notKeys.length) return [];
  return [`[${g.node.path}] removes ${notKeys.map((v) => JSON.stringify(v)).join(', ')}: Terraform removes nodes by their keys ("0", "1", ...) only; name the nodes by key`];
}

/** The names of a stack whose `cdk.tf.json` lives in `stackDir` (secrets are read relative to it at apply time). */
export function terraformNames(stackDir: string): TfNames {
  return {
    address: (r) => `${tfOf(r)?.dataSource ? 'data.' : ''}${tfType(r)}.${r.logicalName}`,
    keys: (g) => `local.${g.logicalName}_keys`,
    variable: (p) => `var.${p.logicalName}`,
    secret: (s) => secretExpr(s, stackDir),
  };
}

/** Decides the blocks of model constructs, for a stack whose document lives in `stackDir`. */
export class TerraformPlanner {
  public readonly names: TfNames;

  constructor(private readonly stackDir: string) {
    this.names = terraformNames(stackDir);
  }

  /** The blocks of `c`, in the order cdktf creates them below it. */
  public blocks(c: ModelConstruct): TfBlock[] {
    if (c instanceof BayParameter) return this.parameter(c);
    if (c instanceof NodeGroup) return [this.group(c)];
    if (c instanceof BayResource) return this.resource(c);
    return this.output(c);
  }

  private parameter(p: BayParameter): TfBlock[] {
    const { type, description } = p.props;
    const validation = variableValidation(p);
    const variable: TfVariableBlock = {
      kind: 'variable',
      scope: p,
      id: 'Variable',
      name: p.logicalName,
      type: TF_TYPES[type],
      default: p.props.default,
      description,
      nullable: false,
      validation: validation.length ? validation : undefined,
    };
    return [variable, ...(p.props.immutable ? immutableGuard(p, p.props.immutable) : [])];
  }

  private group(g: NodeGroup): TfLocalBlock {
    const ctx = this.context(g, undefined);
    const n = inner(g.props.count, ctx);
    const expression =
      g.props.removalList === undefined
        ? `[for i in range(${n}) : tostring(i)]`
        : (() => {
            const removed = inner(g.props.removalList, ctx);
            return `slice([for i in range(${n} + length(${removed})) : tostring(i) if !contains(${removed}, tostring(i))], 0, ${n})`;
          })();
    return { kind: 'local', scope: g, id: 'Keys', name: `${g.logicalName}_keys`, expression: '${' + expression + '}' };
  }

  private resource(r: BayResource<any>): TfBlock[] {
    const tf = r.kind.tf;
    if (!tf || isOmitted(tf)) return []; // no Terraform form: `terraformIssues` reports the missing ones
    const ctx = this.context(r, r.group);
    const resolved = top(r.props as Value, ctx) as Record<string, unknown>;
    const config = (tf as TfMapping<any>).config(resolved) as Record<string, unknown>;
    const overrides: TfOverride[] = [];
    if (r.group) {
      const keys = this.names.keys(r.group);
      const forEach = r.condition ? `${conditionExpr(r.condition, ctx)} ? toset(${keys}) : toset([])` : `toset(${keys})`;
      overrides.push(['for_each', '${' + forEach + '}']);
    } else if (r.condition) {
      overrides.push(['count', '${' + conditionExpr(r.condition, ctx) + ' ? 1 : 0}']);
    }
    // A group's dependencies hold for every resource repeated in it (HOT: the ResourceGroup's depends_on).
    const declared = [...r.dependsOn, ...(r.group?.props.dependsOn ?? [])];
    const deps = declared.flatMap((d) => (d instanceof NodeGroup ? d.resources : [d])).filter((d) => tfOf(d));
    if (deps.length) overrides.push(['depends_on', deps.map((d) => this.names.address(d))]);
    return [{ kind: 'resource', scope: r, id: 'Resource', name: r.logicalName, type: tf.type, dataSource: !!tf.dataSource, config, builtin: false, overrides }];
  }

  private output(o: BayOutput): TfBlock[] {
    const check = o.props.deployCheck;
    const output: TfOutputBlock = {
      kind: 'output',
      scope: o,
      id: 'Output',
      name: o.logicalName,
      value: top(o.props.value, this.context(o, undefined)),
      description: o.props.description,
      sensitive: o.props.sensitive,
      overrides: check
        ? [
            // cdktf 0.21 does not synthesize TerraformOutput.precondition: the block goes in as an override.
            [
              'precondition',
              [{ condition: `\${fileexists(local.${o.logicalName}_file) ? filesha256(local.${o.logicalName}_file) == ${JSON.stringify(check.sha256)} : false}`, error_message: check.errorMessage }],
            ],
          ]
        : [],
    };
    if (!check) return [output];
    // The file's path as a local: Terraform wants a precondition to refer to an object of the configuration.
    const local: TfLocalBlock = { kind: 'local', scope: o, id: 'CheckedFile', name: `${o.logicalName}_file`, expression: '${' + modulePathExpr(check.file, this.stackDir) + '}' };
    return [output, local];
  }

  private context(c: IConstruct, group: NodeGroup | undefined): TfContext {
    return { names: this.names, group, where: `[${c.node.path}]` };
  }
}

/**
 * Terraform guard of an immutable bay parameter. A variable's validation
 * cannot see the value it had at the last apply, so a `terraform_data`
 * resource records it (its `input` ignores later changes) and a second one
 * refuses, in its precondition, a plan whose variable differs from the
 * recorded value: nothing of that plan is applied. Both are configured by
 * overrides only (`<variable>_deployed`, `<variable>_check`).
 * @see https://developer.hashicorp.com/terraform/language/resources/terraform-data
 */
function immutableGuard(p: BayParameter, reason: string): TfResourceBlock[] {
  const v = `var.${p.logicalName}`;
  const recorded = `terraform_data.${p.logicalName}_deployed.output`;
  const data = (id: string, name: string, overrides: TfOverride[]): TfResourceBlock => ({ kind: 'resource', scope: p, id, name, type: 'terraform_data', dataSource: false, builtin: true, overrides });
  return [
    data('Deployed', `${p.logicalName}_deployed`, [
      ['input', '${' + v + '}'],
      ['lifecycle', { ignore_changes: ['input'] }],
    ]),
    data('Check', `${p.logicalName}_check`, [
      ['input', '${' + recorded + '}'],
      [
        'lifecycle',
        {
          precondition: [
            {
              condition: '${' + `${recorded} == ${v}` + '}',
              error_message: `${p.logicalName} cannot change from \${${recorded}} to \${${v}}: ${reason}.`,
            },
          ],
        },
      ],
    ]),
  ];
}

/** The validation blocks of a parameter's variable: its constraints as one HCL condition. */
function variableValidation(p: BayParameter): { condition: string; errorMessage: string }[] {
  const { type, constraints } = p.props;
  if (!constraints) return [];
  const v = `var.${p.logicalName}`;
  const checks: string[] = [];
  const each = (cond: (x: string) => string) => (type === 'list' ? `alltrue([for x in ${v} : ${cond('x')}])` : cond(v));
  if (constraints.range?.min !== undefined) checks.push(`${v} >= ${constraints.range.min}`);
  if (constraints.range?.max !== undefined) checks.push(`${v} <= ${constraints.range.max}`);
  if (constraints.excluded?.length) checks.push(`floor(${v}) == ${v}`, ...constraints.excluded.map((e) => (e.min === e.max ? `${v} != ${e.min}` : `!(${v} >= ${e.min} && ${v} <= ${e.max})`)));
  if (constraints.allowedValues) checks.push(each((x) => `contains(${JSON.stringify(constraints.allowedValues)}, ${x})`));
  if (constraints.pattern) checks.push(each((x) => `can(regex(${JSON.stringify(`^(?:${constraints.pattern})$`)}, ${x}))`));
  if (!checks.length) return [];
  return [{ condition: '${' + checks.join(' && ') + '}', errorMessage: `${p.logicalName}: ${constraints.description}.` }];
}

export function tfOf(r: BayResource<any>): TfMapping<any> | undefined {
  return r.kind.tf && !isOmitted(r.kind.tf) ? r.kind.tf : undefined;
}

function tfType(r: BayResource<any>): string {
  const tf = tfOf(r);
  if (!tf) throw new ValidationError(`[${r.node.path}] ${r.kind.name} has no Terraform resource`, r);
  return tf.type;
}

/** `"${path.module}/<file relative to the stack dir>"`. */
function modulePathExpr(file: string, stackDir: string): string {
  return `"\${path.module}/${path.relative(stackDir, file).split(path.sep).join('/')}"`;
}

/** Read at apply time from the PKI store, relative to the stack's directory, never copied into the JSON. */
function secretExpr(s: BaySecret, stackDir: string): string {
  const file = modulePathExpr(s.props.file, stackDir);
  if (s.props.encoding === 'path') return `abspath(${file})`;
  return (s.props.encoding ?? 'base64') === 'base64' ? `sensitive(filebase64(${file}))` : `sensitive(trimspace(file(${file})))`;
}

/** `terraform.<stack>.tfstate`: cdktf's state file name, relative to the stack's directory. */
export function stateFileName(stackId: string): string {
  return `terraform.${stackId}.tfstate`;
}
