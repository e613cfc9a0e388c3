/**
 * The main job: synthesize the example bay to both targets from one
 * construct tree — Terraform JSON in cdktf.out/stacks/example/ and a HOT
 * template set in out/hot/example/. Nothing is written unless both succeed.
 */
import * as path from 'node:path';
import { printWarnings, synthesizeBay, type SynthesizeBayOptions } from 'kubebay';
import { EXAMPLE_BAY } from './example';

export { synthesizeBay };

export function main(options: SynthesizeBayOptions = {}): { tfDir: string; hotDir: string } {
  const { tfDir, hotDir, warnings } = synthesizeBay(EXAMPLE_BAY, options);
  printWarnings(warnings);
  return { tfDir, hotDir };
}

if (require.main === module) {
  const { tfDir, hotDir } = main();
  console.log(`Terraform: ${path.relative(process.cwd(), tfDir)}/cdk.tf.json`);
  console.log(`HOT:       ${path.relative(process.cwd(), hotDir)}/kubecluster.yaml (+ kubemaster.yaml, kubeminion.yaml, environment.yaml, secrets.env.yaml)`);
}
