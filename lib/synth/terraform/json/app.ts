/**
 * The direct Terraform writer: a one-stack tree whose `synth()` writes
 * `<outdir>/stacks/<stack>/cdk.tf.json` and `<outdir>/manifest.json` as
 * cdktf 0.21 would, byte for byte, without loading cdktf or the generated
 * bindings (their loading was most of a Terraform synth's CPU time:
 * BENCHMARKS.md). For pipelines that own their whole tree (the CLI,
 * `synthesizeBay`); a bay in the user's own `TerraformStack` goes through
 * cdktf (synthesizer.ts). Both render what plan.ts decides.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct, IConstruct } from 'constructs';
import type { TerraformApp } from '../app';
import { markTerraformDocument } from '../../../core/target';
import { isModelConstruct, terraformIssues, TerraformPlanner, TfBlock } from '../plan';
import { manifestDocument, terraformDocument } from './document';
import { stableStringify } from './stringify';

/** A tree with one stack named `stackName` (path `<stackName>`, as in a cdktf App), written into `outdir`. */
export function directTerraformApp(outdir: string, stackName: string): TerraformApp {
  const abs = path.resolve(outdir);
  const root = new Construct(undefined as unknown as Construct, '');
  const stack = new Construct(root, stackName);
  markTerraformDocument(stack);
  // Everything below the stack is rendered: what Terraform cannot express is an error of the tree's validation pass.
  stack.node.addValidation({ validate: () => terraformIssues(stack) });
  const stackDir = path.join(abs, 'stacks', stackName);
  return { root, stack, stackDir, synth: () => writeStack(abs, stack, stackDir) };
}

function writeStack(outdir: string, stack: IConstruct, stackDir: string): void {
  const target = { stack, cdktfVersion: cdktfVersion() };
  const document = terraformDocument(target, stackBlocks(stack, new TerraformPlanner(stackDir)));
  const manifest = manifestDocument(target);
  fs.mkdirSync(stackDir, { recursive: true });
  fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), stableStringify(document)!);
  fs.writeFileSync(path.join(outdir, 'manifest.json'), stableStringify(manifest)!);
}

/**
 * The blocks of every model construct below `scope`, in cdktf's element
 * order: cdktf appends a construct's elements to its children when it
 * renders it (after the tree is built), and lists elements in tree order.
 */
export function stackBlocks(scope: IConstruct, planner: TerraformPlanner): TfBlock[] {
  const out: TfBlock[] = [];
  const visit = (c: IConstruct) => {
    for (const child of c.node.children) visit(child);
    if (isModelConstruct(c)) out.push(...planner.blocks(c));
  };
  visit(scope);
  return out;
}

/** The installed cdktf's version (read from its package.json; cdktf itself is not loaded). */
function cdktfVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('cdktf/package.json'), 'utf8')) as { version: string }).version;
}
