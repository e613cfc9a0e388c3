/**
 * The main job: synthesize the example bay to both targets from one
 * construct tree — Terraform JSON in cdktf.out/stacks/example/ and a HOT
 * template set in out/hot/example/. Nothing is written unless both succeed.
 */
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { assertValid, collectWarnings, KubernetesBay, synthesizeBayHot, writeFiles } from '../lib';
import { replaceDir } from '../lib/synth/outdir';
import { EXAMPLE_BAY } from './example';

export interface MainOptions {
  /** @default 'cdktf.out' */
  readonly tfOutdir?: string;
  /** @default 'out/hot' */
  readonly hotOutdir?: string;
}

export function main(options: MainOptions = {}): { tfDir: string; hotDir: string } {
  const tfOutdir = path.resolve(options.tfOutdir ?? 'cdktf.out');
  const hotDir = path.resolve(options.hotOutdir ?? 'out/hot', EXAMPLE_BAY.name!);
  replaceDir(tfOutdir, (staging) =>
    replaceDir(hotDir, (hotStaging) => {
      const app = new App({ outdir: staging });
      const stack = new TerraformStack(app, 'example');
      const bay = new KubernetesBay(stack, 'example', EXAMPLE_BAY);
      assertValid(app);
      const hot = synthesizeBayHot(bay);
      app.synth();
      writeFiles(hotStaging, hot.files);
      for (const w of collectWarnings(app)) console.warn(`warning: ${w.path}: ${w.message}`);
    }),
  );
  return { tfDir: path.join(tfOutdir, 'stacks', 'example'), hotDir };
}

if (require.main === module) {
  const { tfDir, hotDir } = main();
  console.log(`Terraform: ${path.relative(process.cwd(), tfDir)}/cdk.tf.json`);
  console.log(`HOT:       ${path.relative(process.cwd(), hotDir)}/kubecluster.yaml (+ kubemaster.yaml, kubeminion.yaml, environment.yaml, secrets.env.yaml)`);
}
