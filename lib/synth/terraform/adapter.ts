/**
 * The explicit link between a tree of model constructs (a bay) and the
 * Terraform stack it is built in: one `TerraformAdapter` construct per
 * attached root. It renders the root's model constructs at once (so the
 * bay's attributes are cdktf references right after construction), renders
 * constructs added below the root later when cdktf synthesizes (an aspect),
 * and reports through the tree's validation what Terraform cannot express —
 * in the same validation pass that HOT synthesis runs its checks in.
 */
import { Aspects, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { BayOutput, BayParameter, BayResource, NodeGroup } from '../../core/model';
import { ITerraformAttachment } from '../../core/target';
import { TerraformSynthesizer } from './synthesizer';

const ADAPTER_ID = 'TerraformAdapter';

/** The adapters of each stack, in creation order (the first reports the unattached constructs, once per stack). */
const ADAPTERS = new WeakMap<IConstruct, TerraformAdapter[]>();

export class TerraformAdapter extends Construct implements ITerraformAttachment {
  /** The adapter of `root` (created, and the root rendered, on the first call). */
  public static attach(root: IConstruct): TerraformAdapter {
    const existing = root.node.tryFindChild(ADAPTER_ID);
    if (existing instanceof TerraformAdapter) {
      existing.synthesizer.render(root);
      return existing;
    }
    return new TerraformAdapter(root as Construct);
  }

  private readonly synthesizer: TerraformSynthesizer;

  private constructor(private readonly root: Construct) {
    super(root, ADAPTER_ID);
    const stack = TerraformStack.of(root);
    this.synthesizer = TerraformSynthesizer.of(stack);
    const adapters = ADAPTERS.get(stack) ?? [];
    adapters.push(this);
    ADAPTERS.set(stack, adapters);
    this.synthesizer.render(root);
    this.node.addValidation({ validate: () => [...this.synthesizer.validate(root), ...unattached(this, stack, this.synthesizer)] });
    Aspects.of(root).add({ visit: (c) => c === root && this.synthesizer.render(root) });
  }

  public reference(r: BayResource<any>, attr: string | undefined): string {
    this.synthesizer.render(this.root);
    return this.synthesizer.reference(r, attr);
  }
}

/**
 * Model constructs of the stack that no adapter renders (built outside a
 * bay, and never attached): without this check they would vanish from the
 * Terraform output silently. Only the stack's first adapter walks the stack
 * (one walk per validation, not one per bay: N bays stay O(N)).
 */
function unattached(self: TerraformAdapter, stack: IConstruct, synthesizer: TerraformSynthesizer): string[] {
  const adapters = ADAPTERS.get(stack) ?? [];
  if (adapters[0] !== self) return []; // reported once per stack
  const attachedRoots = adapters.map((a) => a.node.scope!);
  const under = (c: IConstruct) => attachedRoots.some((r) => c.node.scopes.includes(r));
  return stack.node
    .findAll()
    .filter((c) => isModel(c) && !synthesizer.isRendered(c) && !under(c))
    .map((c) => `[${c.node.path}] is a kubebay model construct outside any KubernetesBay: Terraform renders it only after attachTerraform(<its scope>)`);
}

function isModel(c: IConstruct): boolean {
  return BayParameter.isBayParameter(c) || NodeGroup.isNodeGroup(c) || BayResource.isBayResource(c) || BayOutput.isBayOutput(c);
}
