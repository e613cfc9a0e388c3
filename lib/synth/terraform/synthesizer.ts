/**
 * The Terraform synthesizer: renders the model constructs below a scope of a
 * cdktf `TerraformStack` into instances of the generated OpenStack bindings
 * (variables, locals, resources, outputs), so the bay's attributes are
 * ordinary cdktf references that compose with the user's own resources.
 * Rendering is idempotent: each model construct is rendered once. This
 * folder (with the generated bindings) is the only place that imports cdktf.
 */
import * as path from 'node:path';
import { App, DataTerraformRemoteStateLocal, LocalBackend, TerraformBackend, TerraformElement, TerraformLocal, TerraformOutput, TerraformProvider, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import * as openstack from '../../../.gen/providers/openstack';
import { isOmitted, TfMapping } from '../../core/kind';
import { BayOutput, BayParameter, BayResource, BaySecret, NodeGroup } from '../../core/model';
import { ParamRef, Value } from '../../core/expr';
import { ISynthesizer } from '../../core/target';
import { recordElement, terraformElementOf } from './elements';
import { conditionExpr, inner, tfAttr, TfContext, TfNames, top } from './expressions';
import { ensureOpenstackProvider, providerFor } from './provider';
import { addImmutableGuard } from './immutable';
import { ValidationError } from '../../core/errors';

type BindingClass = new (scope: Construct, id: string, config: any) => TerraformElement;

/** Generated binding classes by Terraform type (`data.` prefix for data sources). */
const BINDINGS: ReadonlyMap<string, BindingClass> = (() => {
  const m = new Map<string, BindingClass>();
  for (const ns of Object.values(openstack) as Record<string, any>[]) {
    for (const cls of Object.values(ns)) {
      const type = typeof cls === 'function' ? (cls as any).tfResourceType : undefined;
      if (typeof type !== 'string' || (cls as any).prototype instanceof TerraformProvider) continue;
      const isData = (cls as any).name.startsWith('Data');
      m.set(isData ? `data.${type}` : type, cls as BindingClass);
    }
  }
  return m;
})();

const SYNTHESIZERS = new WeakMap<IConstruct, TerraformSynthesizer>();

const TF_TYPES: Record<BayParameter['props']['type'], string> = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  list: 'list(string)',
};

type ModelConstruct = BayParameter | NodeGroup | BayResource<any> | BayOutput;

export class TerraformSynthesizer implements ISynthesizer<void> {
  /** The synthesizer of a cdktf `TerraformStack` (one per stack). */
  public static of(stack: IConstruct): TerraformSynthesizer {
    if (!TerraformStack.isStack(stack)) throw new ValidationError(`[${stack.node.path}] is not a cdktf TerraformStack; attach a TerraformStack (or a construct inside one)`, stack);
    let t = SYNTHESIZERS.get(stack);
    if (!t) SYNTHESIZERS.set(stack, (t = new TerraformSynthesizer(stack)));
    return t;
  }

  private readonly names: TfNames;
  private readonly rendered = new WeakSet<IConstruct>();

  private constructor(private readonly stack: TerraformStack) {
    const stackDir = path.resolve(App.of(stack).outdir, 'stacks', stack.node.id);
    this.names = {
      address: (r) => `${r.kind.tf && !isOmitted(r.kind.tf) && r.kind.tf.dataSource ? 'data.' : ''}${tfType(r)}.${r.logicalName}`,
      keys: (g) => `local.${g.logicalName}_keys`,
      variable: (p) => `var.${p.logicalName}`,
      secret: (s) => secretExpr(s, stackDir),
    };
    stackRelativeStateByDefault(stack);
  }

  /**
   * What Terraform cannot express below `scope`: kinds without a Terraform
   * form, and node groups told to remove nodes by anything but their keys
   * (HOT can also name a node by its nested stack's `OS::stack_id`;
   * Terraform's `for_each` keys are `"0"`, `"1"`, ... and nothing else is
   * known at plan time).
   */
  public validate(scope: IConstruct): string[] {
    const all = scope.node.findAll();
    const kinds = all
      .filter(BayResource.isBayResource)
      .filter((r) => !r.kind.tf)
      .map((r) => `[${r.node.path}] Terraform cannot express ${r.kind.name}: ${r.kind.tfMissing}`);
    return [...kinds, ...all.filter(NodeGroup.isNodeGroup).flatMap(removalByKeyOnly)];
  }

  /** Renders every model construct below `scope` not rendered yet (tree order: parameters come before their users). */
  public render(scope: IConstruct): void {
    const todo = scope.node.findAll().filter((c): c is ModelConstruct => isModelConstruct(c) && !this.rendered.has(c));
    unformattedTraces(() => {
      for (const c of todo) {
        this.rendered.add(c);
        this.renderOne(c);
      }
    });
  }

  /** True once `c` was rendered. */
  public isRendered(c: IConstruct): boolean {
    return this.rendered.has(c);
  }

  private renderOne(c: ModelConstruct): void {
    if (c instanceof BayParameter) this.addParameter(c);
    else if (c instanceof NodeGroup) this.addGroup(c);
    else if (c instanceof BayResource) this.addElement(c);
    else this.addOutput(c);
  }

  private addParameter(p: BayParameter): void {
    const { type, description } = p.props;
    const validation = variableValidation(p);
    const variable = new TerraformVariable(p, 'Variable', {
      type: TF_TYPES[type],
      default: p.props.default,
      description,
      nullable: false,
      validation: validation.length ? validation : undefined,
    });
    variable.overrideLogicalId(p.logicalName);
    recordElement(p, variable);
    if (p.props.immutable) addImmutableGuard(p, p.props.immutable);
  }

  private addGroup(g: NodeGroup): void {
    const ctx = this.context(g, undefined);
    const n = inner(g.props.count, ctx);
    const expression =
      g.props.removalList === undefined
        ? `[for i in range(${n}) : tostring(i)]`
        : (() => {
            const removed = inner(g.props.removalList, ctx);
            return `slice([for i in range(${n} + length(${removed})) : tostring(i) if !contains(${removed}, tostring(i))], 0, ${n})`;
          })();
    const local = new TerraformLocal(g, 'Keys', '${' + expression + '}');
    local.overrideLogicalId(`${g.logicalName}_keys`);
  }

  private addElement(r: BayResource<any>): void {
    const tf = r.kind.tf;
    if (!tf || isOmitted(tf)) return; // no Terraform form: `validate` reports the missing ones

    ensureOpenstackProvider(this.stack);
    const ctx = this.context(r, r.group);
    const resolved = top(r.props as Value, ctx) as Record<string, unknown>;
    const config = { ...(tf as TfMapping<any>).config(resolved), provider: providerFor(r) };
    const cls = BINDINGS.get(tf.dataSource ? `data.${tf.type}` : tf.type);
    if (!cls) throw new Error(`no generated binding for ${tf.type}: add it to provider/subset.json and run scripts/subset-schema.mjs`);
    const element = new cls(r, 'Resource', config);
    element.overrideLogicalId(r.logicalName);
    recordElement(r, element);

    if (r.group) {
      const keys = this.names.keys(r.group);
      const forEach = r.condition ? `${conditionExpr(r.condition, ctx)} ? toset(${keys}) : toset([])` : `toset(${keys})`;
      element.addOverride('for_each', '${' + forEach + '}');
    } else if (r.condition) {
      element.addOverride('count', '${' + conditionExpr(r.condition, ctx) + ' ? 1 : 0}');
    }
    // A group's dependencies hold for every resource repeated in it (HOT: the ResourceGroup's depends_on).
    const declared = [...r.dependsOn, ...(r.group?.props.dependsOn ?? [])];
    const deps = declared.flatMap((d) => (d instanceof NodeGroup ? d.resources : [d])).filter((d) => tfOf(d));
    if (deps.length) element.addOverride('depends_on', deps.map((d) => this.names.address(d)));
  }

  private addOutput(o: BayOutput): void {
    const output = new TerraformOutput(o, 'Output', {
      value: top(o.props.value, this.context(o, undefined)),
      description: o.props.description,
      sensitive: o.props.sensitive,
    });
    output.overrideLogicalId(o.logicalName);
    const check = o.props.deployCheck;
    if (check) {
      // The file's path as a local: Terraform wants a precondition to refer to an object of the configuration.
      const local = new TerraformLocal(o, 'CheckedFile', '${' + this.modulePath(check.file) + '}');
      local.overrideLogicalId(`${o.logicalName}_file`);
      const file = `local.${o.logicalName}_file`;
      // cdktf 0.21 does not synthesize TerraformOutput.precondition: the block goes in as an override.
      output.addOverride('precondition', [
        { condition: `\${fileexists(${file}) ? filesha256(${file}) == ${JSON.stringify(check.sha256)} : false}`, error_message: check.errorMessage },
      ]);
    }
    recordElement(o, output);
  }

  /** `"${path.module}/<file relative to the stack dir>"`. */
  private modulePath(file: string): string {
    return modulePathExpr(file, path.resolve(App.of(this.stack).outdir, 'stacks', this.stack.node.id));
  }

  public reference(r: BayResource<any>, attr: string | undefined): string {
    const element = terraformElementOf(r);
    if (!element || r.group) throw new ValidationError(`[${r.node.path}] has no single Terraform resource to refer to`);
    return (element as any).getStringAttribute(tfAttr(r, attr));
  }

  private context(c: IConstruct, group: NodeGroup | undefined): TfContext {
    return { names: this.names, group, where: `[${c.node.path}]` };
  }
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

function isModelConstruct(c: IConstruct): c is ModelConstruct {
  return BayParameter.isBayParameter(c) || NodeGroup.isNodeGroup(c) || BayResource.isBayResource(c) || BayOutput.isBayOutput(c);
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

/**
 * Runs `fn` with stack traces left unformatted. cdktf captures a full stack
 * trace (no depth limit) for every token and complex attribute that a
 * generated binding creates, kept only to explain a token that later fails to
 * resolve; formatting those traces was about 4 ms per bay (BENCHMARKS.md).
 * The tokens created here come from kubebay's own props, resolved by tests;
 * an error thrown inside still gets its stack, formatted when read, after
 * the previous formatter is back.
 */
function unformattedTraces<T>(fn: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => '';
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function tfOf(r: BayResource<any>): TfMapping<any> | undefined {
  return r.kind.tf && !isOmitted(r.kind.tf) ? r.kind.tf : undefined;
}

function tfType(r: BayResource<any>): string {
  const tf = tfOf(r);
  if (!tf) throw new ValidationError(`[${r.node.path}] ${r.kind.name} has no Terraform resource`, r);
  return tf.type;
}

function modulePathExpr(file: string, stackDir: string): string {
  return `"\${path.module}/${path.relative(stackDir, file).split(path.sep).join('/')}"`;
}

/** Read at apply time from the PKI store, relative to the stack's directory, never copied into the JSON. */
function secretExpr(s: BaySecret, stackDir: string): string {
  const file = modulePathExpr(s.props.file, stackDir);
  if (s.props.encoding === 'path') return `abspath(${file})`;
  return (s.props.encoding ?? 'base64') === 'base64' ? `sensitive(filebase64(${file}))` : `sensitive(trimspace(file(${file})))`;
}

/**
 * State file of a local backend, relative to the stack's directory (where
 * `cdktf deploy` and `terraform` run), never to the working directory of the
 * synth. Siblings (cdktf cross-stack references) read it as `../<stack>/...`.
 */
class StackLocalBackend extends LocalBackend {
  constructor(scope: Construct) {
    super(scope, { path: stateFileName(TerraformStack.of(scope).node.id) });
  }

  public getRemoteStateDataSource(scope: Construct, name: string, fromStack: string): DataTerraformRemoteStateLocal {
    return new DataTerraformRemoteStateLocal(scope, name, {
      path: `../${fromStack}/${stateFileName(fromStack)}`,
      workspace: '${terraform.workspace}',
    });
  }
}

/** `terraform.<stack>.tfstate`: cdktf's state file name. */
function stateFileName(stackId: string): string {
  return `terraform.${stackId}.tfstate`;
}

/**
 * A stack with a bay and no backend of the user's gets a
 * {@link StackLocalBackend} instead of cdktf's default (an absolute path in
 * the working directory of the synth): decided when cdktf asks, at synth, so
 * a backend the user adds after the bay is kept.
 */
function stackRelativeStateByDefault(stack: TerraformStack): void {
  stack.ensureBackendExists = () =>
    (stack.node.findAll().find((c) => TerraformBackend.isBackend(c)) as TerraformBackend | undefined) ?? new StackLocalBackend(stack);
}

