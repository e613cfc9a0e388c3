/**
 * Terraform guard of an immutable bay parameter. A variable's validation
 * cannot see the value it had at the last apply, so a `terraform_data`
 * resource records it (its `input` ignores later changes) and a second one
 * refuses, in its precondition, a plan whose variable differs from the
 * recorded value: nothing of that plan is applied.
 *
 * The resources are plain `TerraformResource`s of type `terraform_data`, not
 * cdktf's `DataResource`: that class adds a validation that runs
 * `terraform version` in a shell on every `node.validate()` (twice per
 * resource and synth), which made every bay cost several processes and
 * failed synthesis outright where no `terraform` binary is installed.
 * The synthesized JSON is the same.
 *
 * @see https://developer.hashicorp.com/terraform/language/resources/terraform-data
 */
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { BayParameter } from '../../core/model';

/** A `terraform_data` resource (Terraform ≥ 1.4's built-in), configured by overrides. */
function terraformData(scope: Construct, id: string): TerraformResource {
  return new TerraformResource(scope, id, { terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' } });
}

/** Adds `<variable>_deployed` (the recorded value) and `<variable>_check` (the refusal) next to the variable. */
export function addImmutableGuard(p: BayParameter, reason: string): void {
  const v = `var.${p.logicalName}`;
  const deployed = terraformData(p, 'Deployed');
  deployed.overrideLogicalId(`${p.logicalName}_deployed`);
  deployed.addOverride('input', '${' + v + '}');
  deployed.addOverride('lifecycle', { ignore_changes: ['input'] });
  const recorded = `terraform_data.${p.logicalName}_deployed.output`;
  const check = terraformData(p, 'Check');
  check.overrideLogicalId(`${p.logicalName}_check`);
  check.addOverride('input', '${' + recorded + '}');
  check.addOverride('lifecycle', {
    precondition: [
      {
        condition: '${' + `${recorded} == ${v}` + '}',
        error_message: `${p.logicalName} cannot change from \${${recorded}} to \${${v}}: ${reason}.`,
      },
    ],
  });
}
