/**
 * The direct back-end's HOW: the blocks plan.ts decided, in cdktf's element
 * order, into the document cdktf 0.21 would synthesize for a stack that
 * holds them (plus the stack's default OpenStack provider and its local
 * backend), and the stack's entry of cdktf's manifest.json.
 */
import { IConstruct } from 'constructs';
import { PROVIDER } from '../../../../.gen/attribute-names/openstack';
import { ValidationError } from '../../../core/errors';
import { TERRAFORM_PROVIDER_CONTEXT } from '../../../core/target';
import { stateFileName, TfBlock, TfOutputBlock, TfResourceBlock, TfVariableBlock } from '../plan';
import { terraformAttributes } from './attributes';
import { deepMerge, keysToSnakeCase, overridesObject, resolved } from './conventions';

type Json = Record<string, any>;

/** The stack a document describes. */
export interface DocumentStack {
  /** The stack construct (its id names the stack, its path prefixes the element paths). */
  readonly stack: IConstruct;
  /** cdktf's version, recorded in the document and the manifest. */
  readonly cdktfVersion: string;
}

/** `cdk.tf.json` of `blocks` (in cdktf's element order: construct tree order, each model construct's elements after its children). */
export function terraformDocument({ stack, cdktfVersion }: DocumentStack, blocks: readonly TfBlock[]): Json {
  const tf: Json = {};
  const metadata: Json = { version: cdktfVersion, stackName: stack.node.id, backend: 'local' };
  const outputs: Json = {};
  for (const b of blocks) {
    // cdktf resolves each element's metadata and fragment (dropping `undefined`) before merging them.
    deepMerge(metadata, resolved(blockMetadata(b)) as Json);
    if (b.kind === 'output') deepMerge(outputs, outputPath(b));
    deepMerge(tf, resolved(blockFragment(b)) as Json);
  }
  if (blocks.some((b) => b.kind === 'resource' && !b.builtin)) {
    deepMerge(tf, {
      terraform: { required_providers: { [PROVIDER.name]: { version: PROVIDER.version, source: PROVIDER.source } } },
      provider: { [PROVIDER.name]: [{}] },
    });
  }
  deepMerge(tf, { terraform: { backend: { local: { path: stateFileName(stack.node.id) } } } });
  return resolved({ '//': { metadata, outputs }, ...tf }) as Json;
}

function elementPath(b: TfBlock): string {
  return `${b.scope.node.path}/${b.id}`;
}

/** An element's `toMetadata()`: its override keys under its type (merged: the lists of a type concatenate in element order). */
function blockMetadata(b: TfBlock): Json {
  if (b.kind === 'variable' || b.kind === 'local') return {};
  const keys = Object.keys(overridesObject(b.overrides));
  return keys.length ? { overrides: { [b.kind === 'output' ? 'output' : b.type]: keys } } : {};
}

/** `//.outputs`: the output's construct path as nested keys, its name at the leaf. */
function outputPath(b: TfOutputBlock): Json {
  return elementPath(b)
    .split('/')
    .reduceRight<Json | string>((inner, part) => ({ [part]: inner }), b.name) as Json;
}

function blockFragment(b: TfBlock): Json {
  switch (b.kind) {
    case 'variable':
      return { variable: { [b.name]: variable(b) } };
    case 'local':
      return { locals: { [b.name]: b.expression } };
    case 'output':
      return { output: { [b.name]: deepMerge({ value: b.value, description: b.description, sensitive: b.sensitive, depends_on: undefined }, overridesObject(b.overrides)) } };
    case 'resource':
      return { [b.dataSource ? 'data' : 'resource']: { [b.type]: { [b.name]: resource(b) } } };
  }
}

function variable(b: TfVariableBlock): Json {
  const validation = b.validation?.map((v) => ({ error_message: v.errorMessage, condition: v.condition }));
  return keysToSnakeCase({ default: b.default, description: b.description, type: b.type, sensitive: undefined, nullable: b.nullable, validation }) as Json;
}

function resource(b: TfResourceBlock): Json {
  const where = `[${elementPath(b)}]`;
  if (!b.builtin && b.scope.node.tryGetContext(TERRAFORM_PROVIDER_CONTEXT) !== undefined) {
    throw new ValidationError(`${where} uses a cdktf provider construct (the bay's provider prop): the direct Terraform writer renders the default provider only; synthesize the bay in your own cdktf TerraformStack`);
  }
  const { attributes, meta } = b.builtin ? { attributes: {}, meta: {} } : terraformAttributes(b.dataSource ? `data.${b.type}` : b.type, b.config ?? {}, where);
  const merged = deepMerge(attributes, meta, overridesObject(b.overrides));
  merged['//'] = { metadata: { path: elementPath(b), uniqueId: b.name } };
  return merged;
}

/** A stack's entry of cdktf's `manifest.json` (`stacks/<id>/...`), with the warnings of the tree below it. */
export function manifestDocument({ stack, cdktfVersion }: DocumentStack): Json {
  const id = stack.node.id;
  const annotations = stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => ANNOTATION_TYPES.has(m.type)).map((m) => ({ constructPath: c.node.path, level: m.type, message: m.data, stacktrace: m.trace })));
  const errors = annotations.filter((a) => a.level === '@cdktf/error');
  if (errors.length) throw new Error(`Encountered Annotations with level "ERROR":\n${errors.map((a) => `[${a.constructPath}] ${a.message}`).join('\n')}`);
  const stackEntry = {
    name: id,
    constructPath: stack.node.path,
    workingDirectory: `stacks/${id}`,
    synthesizedStackPath: `stacks/${id}/cdk.tf.json`,
    stackMetadataPath: `stacks/${id}/metadata.json`,
    annotations,
    dependencies: [],
  };
  return resolved({ version: cdktfVersion, stacks: { [id]: stackEntry } }) as Json;
}

const ANNOTATION_TYPES = new Set(['@cdktf/info', '@cdktf/warn', '@cdktf/error']);
