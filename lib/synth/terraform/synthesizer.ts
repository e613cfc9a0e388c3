/**
 * The Terraform synthesizer's cdktf back-end: renders the model constructs
 * below a scope of a cdktf `TerraformStack` into instances of the generated
 * OpenStack bindings (variables, locals, resources, outputs), so the bay's
 * attributes are ordinary cdktf references that compose with the user's own
 * resources. WHAT each construct becomes is decided in plan.ts (shared with
 * the direct JSON writer, json/); this file only decides HOW in cdktf.
 * Rendering is idempotent: each model construct is rendered once. This
 * folder (with the generated bindings) is the only place that imports cdktf.
 */
import * as path from 'node:path';
import { App, DataTerraformRemoteStateLocal, LocalBackend, TerraformBackend, TerraformElement, TerraformLocal, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import * as openstack from '../../../.gen/providers/openstack';
import { BayResource, NodeGroup } from '../../core/model';
import { ISynthesizer } from '../../core/target';
import { recordElement, terraformElementOf } from './elements';
import { tfAttr } from './expressions';
import { isModelConstruct, ModelConstruct, stateFileName, terraformIssues, TerraformPlanner, TfBlock, TfResourceBlock } from './plan';
import { ensureOpenstackProvider, providerFor } from './provider';
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

export class TerraformSynthesizer implements ISynthesizer<void> {
  /** The synthesizer of a cdktf `TerraformStack` (one per stack). */
  public static of(stack: IConstruct): TerraformSynthesizer {
    if (!TerraformStack.isStack(stack)) throw new ValidationError(`[${stack.node.path}] is not a cdktf TerraformStack; attach a TerraformStack (or a construct inside one)`, stack);
    let t = SYNTHESIZERS.get(stack);
    if (!t) SYNTHESIZERS.set(stack, (t = new TerraformSynthesizer(stack)));
    return t;
  }

  private readonly planner: TerraformPlanner;
  private readonly rendered = new WeakSet<IConstruct>();

  private constructor(private readonly stack: TerraformStack) {
    this.planner = new TerraformPlanner(path.resolve(App.of(stack).outdir, 'stacks', stack.node.id));
    stackRelativeStateByDefault(stack);
  }

  /** What Terraform cannot express below `scope` (plan.ts). */
  public validate(scope: IConstruct): string[] {
    return terraformIssues(scope);
  }

  /** Renders every model construct below `scope` not rendered yet (tree order: parameters come before their users). */
  public render(scope: IConstruct): void {
    const todo = scope.node.findAll().filter((c): c is ModelConstruct => isModelConstruct(c) && !this.rendered.has(c));
    unformattedTraces(() => {
      for (const c of todo) {
        this.rendered.add(c);
        const elements = this.planner.blocks(c).map((b) => this.element(b));
        // The construct's own element (the first) is what references and terraformElementOf see.
        if (elements.length && !(c instanceof NodeGroup)) recordElement(c, elements[0]);
      }
    });
  }

  /** True once `c` was rendered. */
  public isRendered(c: IConstruct): boolean {
    return this.rendered.has(c);
  }

  /** The cdktf element of a block (the HOW of the cdktf back-end). */
  private element(b: TfBlock): TerraformElement {
    const scope = b.scope as Construct;
    let element: TerraformElement;
    if (b.kind === 'variable') {
      const { type, description, nullable, validation } = b;
      element = new TerraformVariable(scope, b.id, { type, default: b.default, description, nullable, validation: validation && [...validation] });
    } else if (b.kind === 'local') {
      element = new TerraformLocal(scope, b.id, b.expression);
    } else if (b.kind === 'output') {
      element = new TerraformOutput(scope, b.id, { value: b.value, description: b.description, sensitive: b.sensitive });
    } else {
      element = this.resource(b);
    }
    element.overrideLogicalId(b.name);
    if (b.kind !== 'variable' && b.kind !== 'local') for (const [p, v] of b.overrides) element.addOverride(p, v);
    return element;
  }

  private resource(b: TfResourceBlock): TerraformElement {
    const scope = b.scope as Construct;
    // terraform_data: a plain TerraformResource, not cdktf's DataResource, whose validation runs `terraform version` in a shell.
    if (b.builtin) return new TerraformResource(scope, b.id, { terraformResourceType: b.type, terraformGeneratorMetadata: { providerName: 'terraform' } });
    ensureOpenstackProvider(this.stack);
    const cls = BINDINGS.get(b.dataSource ? `data.${b.type}` : b.type);
    if (!cls) throw new Error(`no generated binding for ${b.type}: add it to provider/subset.json and run scripts/subset-schema.mjs`);
    return new cls(scope, b.id, { ...b.config, provider: providerFor(b.scope) });
  }

  public reference(r: BayResource<any>, attr: string | undefined): string {
    const element = terraformElementOf(r);
    if (!element || r.group) throw new ValidationError(`[${r.node.path}] has no single Terraform resource to refer to`);
    return (element as any).getStringAttribute(tfAttr(r, attr));
  }
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

