/**
 * How a construct tree meets the Terraform synthesizer, without loading it:
 * this module imports no cdktf, so the bay can call it in any tree and a
 * HOT-only program still never loads cdktf or the bindings.
 */
import { IConstruct } from 'constructs';
import { ITerraformAttachment, terraformStackOf } from '../../core/target';

/**
 * Renders the model constructs below `scope` into the Terraform stack that
 * holds it (eagerly, now, so that their attributes are cdktf references;
 * constructs added below `scope` later are rendered when cdktf synthesizes),
 * and validates them with the Terraform synthesizer. Returns undefined, and
 * loads nothing, outside a `TerraformStack`. A `KubernetesBay` attaches
 * itself; call this for model constructs of your own outside a bay.
 */
export function attachTerraform(scope: IConstruct): ITerraformAttachment | undefined {
  if (!terraformStackOf(scope)) return undefined;
  // Loaded on demand: HOT-only programs never load cdktf or the bindings.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('./adapter') as typeof import('./adapter');
  return tf.TerraformAdapter.attach(scope);
}

