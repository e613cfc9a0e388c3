/**
 * Config files of the CLI: one bay's `KubernetesBayProps` (camelCase keys)
 * as YAML or JSON. The schema checks keys and types (unknown keys are
 * errors, with a "did you mean"); the bay's own validation checks values.
 * Every message names the key and, where the key is in the file, its line.
 *
 * Relative paths in the file (`pkiDir`, `clusterCa`) resolve against the
 * file's directory, and `pkiDir` defaults to `.kubebay/pki` beside the file:
 * the same config then finds the same certificate store from any working
 * directory (another store would mean a new CA, and new user data replaces
 * every server).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { KubernetesBayProps } from '../bay/props';
import { suggestKey } from '../bay/validate';
import { DEFAULT_PKI_DIR } from '../pki';
import { shownPath } from './io';

const str = z.string();
const num = z.number();
const bool = z.boolean();
const strings = z.array(z.string());

/**
 * Keys and types of a config file. Values (ranges, CIDRs, allowed
 * protocols) are left to the bay's validation, the single place that knows
 * them. `pkiProgress` is code, not config: it is not accepted.
 */
export const BAY_CONFIG_SCHEMA = z.strictObject({
  name: str.optional(),
  image: str,
  keyName: str,
  externalNetwork: str,
  existingNetwork: z.strictObject({ networkId: str, subnetId: str }).optional(),
  masterFlavor: str.optional(),
  minionFlavor: str.optional(),
  masterCount: num.optional(),
  minionCount: num.optional(),
  fixedNetworkCidr: str.optional(),
  dnsNameservers: strings.optional(),
  portalNetworkCidr: str.optional(),
  podNetworkCidr: str.optional(),
  dockerVolumeSize: num.optional(),
  kubernetesPort: num.optional(),
  loadBalancingProtocol: str.optional(),
  floatingIps: bool.optional(),
  etcdLoadBalancer: bool.optional(),
  loadBalancerApi: str.optional(),
  minionsToRemove: strings.optional(),
  createTimeoutMinutes: num.optional(),
  kubernetesVersion: str.optional(),
  preinstalledPackages: bool.optional(),
  waitConditionTimeout: num.optional(),
  apiAllowedCidrs: strings.optional(),
  sshAllowedCidrs: strings.optional(),
  nodePortAllowedCidrs: strings.optional(),
  allowInsecureWorldRules: bool.optional(),
  keySize: num.optional(),
  pkiDir: str.optional(),
  clusterCa: z.strictObject({ certFile: str, keyFile: str }).optional(),
  allowPublicFixedNetwork: bool.optional(),
});

// The schema must list exactly the props that data can hold: a prop added to
// KubernetesBayProps without a schema key (or the reverse) fails to compile.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const SCHEMA_COVERS_PROPS: SameKeys<keyof z.infer<typeof BAY_CONFIG_SCHEMA>, Exclude<keyof KubernetesBayProps, 'pkiProgress' | 'provider'>> = true;
void SCHEMA_COVERS_PROPS;

/** Props that only a program can pass, and why a file cannot. */
const CODE_ONLY_PROPS: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  pkiProgress: ' (a function: pass it in code, not in a file)',
  provider: ' (a cdktf provider construct: pass it in code, not in a file)',
});

/** A config file that cannot be used; `messages` are `file:line: key: problem` lines. */
export class ConfigError extends Error {
  constructor(public readonly messages: readonly string[]) {
    super(messages.join('\n'));
    this.name = 'ConfigError';
  }
}

type KeyPath = readonly (string | number)[];

/** A loaded config file. */
export interface BayConfig {
  /** Absolute path of the file. */
  readonly file: string;
  /** The bay's props: `name` set, `pkiDir` and `clusterCa` files absolute. */
  readonly props: KubernetesBayProps & { readonly name: string; readonly pkiDir: string };
  /** The bay's validation messages (`[path] prop: ...`) as `file:line: prop: ...`. */
  locate(messages: readonly string[]): string[];
}

/** Reads, parses and checks a config file; throws `ConfigError` listing every problem. */
export function loadConfig(file: string): BayConfig {
  const abs = path.resolve(file);
  const shown = shownPath(abs);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    throw new ConfigError([`${shown}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (keyPath: KeyPath): number | undefined => {
    const offset = offsetOf(doc.contents, keyPath);
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  /** `file:line: text` lines, sorted by line (messages without a line last). */
  const report = (messages: readonly { line?: number; text: string }[]) =>
    [...messages]
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity))
      .map((m) => `${shown}:${m.line === undefined ? '' : `${m.line}:`} ${m.text}`);

  if (doc.errors.length) {
    throw new ConfigError(report(doc.errors.map((e) => ({ line: lineCounter.linePos(e.pos[0]).line, text: e.message.split('\n')[0] }))));
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const got = data === null ? 'an empty file' : Array.isArray(data) ? 'a list' : typeof data;
    throw new ConfigError(report([{ text: `expected a mapping of bay props (image, keyName, externalNetwork, ...), got ${got}` }]));
  }
  const parsed = BAY_CONFIG_SCHEMA.safeParse(data);
  if (!parsed.success) {
    const messages: { line?: number; text: string }[] = [];
    for (const issue of parsed.error.issues) {
      const where = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const hint = suggestKey(key, keysAt(where));
          const note = CODE_ONLY_PROPS[key] ?? '';
          messages.push({ line: lineOf([...where, key]), text: `unknown key "${[...where, key].join('.')}"${note}${hint ? `; did you mean "${hint}"?` : ''}` });
        }
      } else if (issue.code === 'invalid_type' && valueAt(data, where) === undefined) {
        messages.push({ line: lineOf(where.slice(0, -1)), text: `${where.join('.')}: required key is missing` });
      } else if (issue.code === 'invalid_type') {
        messages.push({ line: lineOf(where), text: `${where.join('.')}: expected ${describeExpected(issue.expected)}, got ${describeValue(valueAt(data, where))}` });
      } else {
        messages.push({ line: lineOf(where), text: `${where.join('.') || '(file)'}: ${issue.message}` });
      }
    }
    throw new ConfigError(report(messages));
  }

  const dir = path.dirname(abs);
  const v = parsed.data;
  const name = v.name ?? path.basename(abs).replace(/\.(ya?ml|json)$/i, '');
  // The bay's validation reads (and checks) the CA files.
  const clusterCa = v.clusterCa && {
    certFile: path.resolve(dir, v.clusterCa.certFile),
    keyFile: path.resolve(dir, v.clusterCa.keyFile),
  };
  // Literal unions of the props (loadBalancerApi, keySize...) are checked by the bay's validation.
  const props = { ...v, name, pkiDir: path.resolve(dir, v.pkiDir ?? DEFAULT_PKI_DIR), clusterCa } as BayConfig['props'];

  return {
    file: abs,
    props,
    locate: (messages) =>
      report(
        messages.map((m) => {
          // `[construct path] prop: <value> problem; fix`, prop possibly nested (`clusterCa.certFile`).
          const match = /^\[[^\]]*\] ([A-Za-z]+(?:\.[A-Za-z]+)*): (.*)$/s.exec(m);
          if (!match || !(match[1].split('.')[0] in BAY_CONFIG_SCHEMA.shape)) return { text: m };
          const [, key, rest] = match;
          const keyPath = key.split('.');
          const value = valueAt(data, keyPath);
          // A list prop: point at the element the message shows, if it can be found.
          const index = Array.isArray(value) ? value.findIndex((x) => rest.startsWith(`${JSON.stringify(x)} `)) : -1;
          const line = (index >= 0 ? lineOf([...keyPath, index]) : undefined) ?? lineOf(keyPath);
          const note = value !== undefined ? '' : key === 'name' ? ' (from the file name)' : ' (default)';
          return { line, text: `${key}${note}: ${rest}` };
        }),
      ),
  };
}

/**
 * Offset of a key path in a YAML document: the key of the last map entry, or
 * a list element; for a path only partly there, where its deepest present
 * key is; undefined when not even the first key is there.
 */
function offsetOf(root: unknown, keyPath: KeyPath): number | undefined {
  let node = root as Node | null | undefined;
  let offset: number | undefined;
  for (const segment of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/** The keys the schema knows at an object path (for suggestions). */
function keysAt(where: readonly string[]): string[] {
  let schema: z.ZodType = BAY_CONFIG_SCHEMA;
  for (const key of where) {
    const shape = shapeOf(schema);
    if (!shape || !Object.hasOwn(shape, key)) return [];
    schema = shape[key];
  }
  return Object.keys(shapeOf(schema) ?? {});
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodObject ? (s.shape as Record<string, z.ZodType>) : undefined;
}

function valueAt(data: unknown, where: readonly string[]): unknown {
  let v = data;
  for (const key of where) v = v !== null && typeof v === 'object' && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function describeExpected(expected: string): string {
  return { array: 'a list', object: 'a mapping', boolean: 'true or false', number: 'a number', string: 'a string' }[expected] ?? expected;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list ${JSON.stringify(v)}`;
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
