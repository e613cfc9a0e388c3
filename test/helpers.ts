/**
 * Test helpers that run the real synthesis pipelines (validations on):
 * Terraform through a cdktf App, HOT through synthesizeBayHot.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { assertValid, HotSynthesis, KubernetesBay, KubernetesBayProps, synthesizeBayHot } from '../lib';
import { tmpDir, tmpPath } from './tmp';

export { tmpDir } from './tmp';

/** One PKI store per test file: keys are generated once per bay name and reused (removed after the file). */
export const PKI_DIR = tmpPath('kubebay-pki-');

export const BASE_PROPS: KubernetesBayProps = {
  name: 'demo',
  image: 'ubuntu-24.04',
  keyName: 'ops',
  externalNetwork: 'public',
  masterCount: 3,
  minionCount: 2,
  dockerVolumeSize: 10,
  sshAllowedCidrs: ['198.51.100.0/24'],
  pkiDir: PKI_DIR,
};

export interface TfResult {
  readonly json: any;
  readonly app: App;
  readonly stack: TerraformStack;
  readonly outdir: string;
}

/** Builds a TerraformStack with `build`, synthesizes it and returns the parsed cdk.tf.json. */
export function synthTf(build: (stack: TerraformStack) => void, stackName = 'test'): TfResult {
  const outdir = tmpDir('kubebay-tf-');
  const app = new App({ outdir });
  const stack = new TerraformStack(app, stackName);
  build(stack);
  assertValid(app);
  app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stackName, 'cdk.tf.json'), 'utf8'));
  return { json, app, stack, outdir };
}

/** A bay in a TerraformStack, synthesized to Terraform JSON. */
export function tfBay(props: Partial<KubernetesBayProps> = {}): TfResult & { bay: KubernetesBay } {
  let bay!: KubernetesBay;
  const r = synthTf((stack) => {
    bay = new KubernetesBay(stack, (props.name ?? BASE_PROPS.name)!, { ...BASE_PROPS, ...props });
  });
  return { ...r, bay };
}

/** A bay in a plain construct tree, synthesized to HOT (parsed documents by file name). */
export function hotBay(props: Partial<KubernetesBayProps> = {}): HotSynthesis & { bay: KubernetesBay; docs: Map<string, any> } {
  const root = new Construct(undefined as any, 'root');
  const bay = new KubernetesBay(root, (props.name ?? BASE_PROPS.name)!, { ...BASE_PROPS, ...props });
  const synth = synthesizeBayHot(bay);
  return { ...synth, bay, docs: new Map([...synth.set.templates]) };
}

/** Every resource of a cdk.tf.json as [type, name, body]. */
export function tfResources(json: any): [string, string, any][] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName as Record<string, any>).map(([name, body]) => [type, name, body] as [string, string, any]),
  );
}

/** Every resource of every HOT template as [file, name, body]. */
export function hotResources(docs: Map<string, any>): [string, string, any][] {
  return [...docs].flatMap(([file, doc]) =>
    Object.entries(doc.resources ?? {}).map(([name, body]) => [file, name, body] as [string, string, any]),
  );
}

/** Runs `fn` with a fresh temporary directory as the working directory. */
export function inTempCwd<T>(fn: () => T, prefix = 'kubebay-cwd-'): T {
  const cwd = process.cwd();
  process.chdir(tmpDir(prefix));
  try {
    return fn();
  } finally {
    process.chdir(cwd);
  }
}

/** Every file below `dir` (relative path → bytes as latin1); empty when `dir` does not exist. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'latin1');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}
