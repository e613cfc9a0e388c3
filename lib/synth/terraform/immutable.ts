/**
 * Terraform guard of an immutable bay parameter. A variable's validation
 * cannot see the value it had at the last apply, so a `terraform_data`
 * resource records it (its `input` ignores later changes) and a second one
 * refuses, in its precondition, a plan whose variable differs from the
 * recorded value: nothing of that plan is applied.
 *
 * @see https://developer.hashicorp.com/terraform/language/resources/terraform-data
 */
import { DataResource } from 'cdktf';
import { BayParameter } from '../../core/model';

/** Adds `<variable>_deployed` (the recorded value) and `<variable>_check` (the refusal) next to the variable. */
export function addImmutableGuard(p: BayParameter, reason: string): void {
  const v = `var.${p.logicalName}`;
  const deployed = new DataResource(p, 'Deployed');
  deployed.overrideLogicalId(`${p.logicalName}_deployed`);
  deployed.addOverride('input', '${' + v + '}');
  deployed.addOverride('lifecycle', { ignore_changes: ['input'] });
  const recorded = `terraform_data.${p.logicalName}_deployed.output`;
  const check = new DataResource(p, 'Check');
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
