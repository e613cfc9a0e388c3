/**
 * One OpenStack provider configuration per stack, whoever declares it.
 *
 * kubebay's resources use the stack's default (unaliased) `openstack`
 * provider, or the provider construct set with the bay's `provider` prop.
 * Whether the stack still needs a default configuration is decided at synth
 * time, when the whole tree is known: a user may declare their own provider
 * (any binding class, any construct id) before or after the bay. Only when
 * the stack has no default `openstack` provider does kubebay's placeholder
 * render one — empty, so auth comes from `OS_*` variables or `clouds.yaml`.
 */
import { TerraformProvider, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import * as openstack from '../../../.gen/providers/openstack';
import { TERRAFORM_PROVIDER_CONTEXT } from '../../core/target';
import { ValidationError } from '../../core/errors';

const PLACEHOLDER_ID = 'kubebay-default-openstack-provider';
const PLACEHOLDER = Symbol.for('kubebay.DefaultOpenstackProvider');

/** An OpenStack provider construct (kubebay's binding or the user's own), recognised by its Terraform type. */
export function isOpenstackProvider(x: unknown): x is TerraformProvider {
  return TerraformProvider.isTerraformProvider(x) && x.terraformResourceType === 'openstack';
}

/** The default `openstack` provider configurations the user declared in `stack` (not kubebay's placeholder). */
function declaredDefaultProviders(stack: IConstruct): TerraformProvider[] {
  return stack.node.findAll().filter((c): c is TerraformProvider => isOpenstackProvider(c) && !(PLACEHOLDER in c) && c.alias === undefined);
}

/** Renders the stack's default OpenStack provider only if the user declared none. */
class DefaultOpenstackProvider extends openstack.provider.OpenstackProvider {
  constructor(private readonly stack: TerraformStack) {
    super(stack, PLACEHOLDER_ID, {});
    Object.defineProperty(this, PLACEHOLDER, { value: true });
  }

  public toTerraform(): any {
    return this.needed() ? super.toTerraform() : {};
  }

  public toHclTerraform(): any {
    return this.needed() ? super.toHclTerraform() : {};
  }

  public toMetadata(): any {
    return this.needed() ? super.toMetadata() : {};
  }

  private needed(): boolean {
    return declaredDefaultProviders(this.stack).length === 0;
  }
}

/** Makes sure `stack` will have a default OpenStack provider configuration at synth time. */
export function ensureOpenstackProvider(stack: TerraformStack): void {
  if (!stack.node.tryFindChild(PLACEHOLDER_ID)) new DefaultOpenstackProvider(stack);
}

/** The provider construct a resource's Terraform element uses: the `provider` set above it, else the default. */
export function providerFor(c: IConstruct): TerraformProvider | undefined {
  const provider: unknown = c.node.tryGetContext(TERRAFORM_PROVIDER_CONTEXT);
  if (provider === undefined) return undefined;
  if (!isOpenstackProvider(provider)) {
    throw new ValidationError(`[${c.node.path}] ${TERRAFORM_PROVIDER_CONTEXT} is not a cdktf provider of Terraform type 'openstack'; pass an OpenstackProvider (kubebay/openstack) as the bay's provider prop`, c);
  }
  return provider;
}
