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
import { resolveProps } from '../bay/defaults';
import { suggestKey, validateProps } from '../bay/validate';
import { fsProblem } from '../core/fs-errors';
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
  nodeGroups: z
    .array(
      z.strictObject({
        name: str,
        count: num.optional(),
        flavor: str.optional(),
        image: str.optional(),
        dockerVolumeSize: num.optional(),
        dockerVolumeType: str.optional(),
        availabilityZone: str.optional(),
        affinityPolicy: str.optional(),
        labels: z.record(z.string(), z.string()).optional(),
        taints: z.array(z.strictObject({ key: str, value: str.optional(), effect: str })).optional(),
        nodesToRemove: strings.optional(),
      }),
    )
    .optional(),
  availabilityZone: str.optional(),
  masterAffinityPolicy: str.optional(),
  nodesAffinityPolicy: str.optional(),
  dockerVolumeType: str.optional(),
  masterImage: str.optional(),
  minionImage: str.optional(),
  masterLbFloatingIp: bool.optional(),
  octaviaProvider: str.optional(),
  octaviaLbAlgorithm: str.optional(),
  kubeletExtraArgs: z.record(z.string(), z.string()).optional(),
  apiServerExtraArgs: z.record(z.string(), z.string()).optional(),
  controllerManagerExtraArgs: z.record(z.string(), z.string()).optional(),
  schedulerExtraArgs: z.record(z.string(), z.string()).optional(),
  kubeProxyConfig: z.record(z.string(), z.unknown()).optional(),
  labels: z.record(z.string(), z.union([str, num, bool])).optional(),
  bootVolumeSize: num.optional(),
  bootVolumeType: str.optional(),
  dnsClusterDomain: str.optional(),
  openstackCaFile: str.optional(),
  openstackAuthUrl: str.optional(),
  openstackRegion: str.optional(),
  applicationCredential: z.strictObject({ id: str, secretFile: str }).optional(),
  cloudControllerManager: bool.optional(),
  cinderCsi: bool.optional(),
  updateMaxBatchSize: num.optional(),
  masterUpdatePauseTime: num.optional(),
  httpProxy: str.optional(),
  httpsProxy: str.optional(),
  noProxy: strings.optional(),
  containerInfraPrefix: str.optional(),
  registryMirrors: z.record(z.string(), z.string()).optional(),
  insecureRegistries: strings.optional(),
  dnsServiceIp: str.optional(),
  flannelBackend: str.optional(),
  flannelNetworkSubnetlen: num.optional(),
  masterLbEnabled: bool.optional(),
});

// The schema must list exactly the props that data can hold: a prop added to
// KubernetesBayProps without a schema key (or the reverse) fails to compile.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const SCHEMA_COVERS_PROPS: SameKeys<keyof z.infer<typeof BAY_CONFIG_SCHEMA>, Exclude<keyof KubernetesBayProps, 'pkiProgress' | 'provider' | 'pki'>> = true;
void SCHEMA_COVERS_PROPS;

/** Props that only a program can pass, and why a file cannot. */
const CODE_ONLY_PROPS: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  pkiProgress: ' (a function: pass it in code, not in a file)',
  provider: ' (a cdktf provider construct: pass it in code, not in a file)',
  pki: ' (PKI material: pass it in code, or let the bay use its store under pkiDir)',
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

/**
 * Largest config file read: a bay's props take a few KiB; more is the wrong
 * file, or an endless stream such as `/dev/urandom` (read stops here).
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Most alias references (`*name`) a config may expand: the yaml library's
 * guard against exponential "billion laughs" documents.
 */
export const MAX_CONFIG_ALIASES = 100;

/** A located message: its line in the file, if known. */
interface Located {
  readonly line?: number;
  readonly text: string;
}

/** Reads, parses and checks a config file; throws `ConfigError` listing every problem (keys, types and values) at once. */
export function loadConfig(file: string): BayConfig {
  const abs = path.resolve(file);
  const shown = shownPath(abs);
  const text = readConfigText(abs, shown);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (keyPath: KeyPath): number | undefined => {
    const offset = offsetOf(doc.contents, keyPath);
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  /** `file:line: text` lines, sorted by line (messages without a line last). */
  const report = (messages: readonly Located[]) =>
    [...messages]
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity))
      .map((m) => `${shown}:${m.line === undefined ? '' : `${m.line}:`} ${m.text}`);

  if (doc.errors.length) {
    const text = (msg: string) =>
      /Maximum call stack/.test(msg) ? 'nests too deeply to be a bay config (lists or mappings inside each other thousands of levels deep); check the file' : msg.split('\n')[0];
    throw new ConfigError(report(doc.errors.map((e) => ({ line: lineCounter.linePos(e.pos[0]).line, text: text(e.message) }))));
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch (e) {
    const bomb = /alias count|resource exhaustion/i.test((e as Error).message);
    throw new ConfigError([
      bomb
        ? `${shown}: YAML aliases expand to too many values (more than ${MAX_CONFIG_ALIASES} alias references, as in a "billion laughs" document); write the values out instead of nesting aliases`
        : `${shown}: cannot read the YAML (${(e as Error).message}); check the file's syntax`,
    ]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const got = data === null ? 'an empty file' : Array.isArray(data) ? 'a list' : typeof data;
    throw new ConfigError(report([{ text: `expected a mapping of bay props (image, keyName, externalNetwork, ...), got ${got}` }]));
  }
  const locate = (messages: readonly string[]) => report(messages.map((m) => locateMessage(m, data, lineOf)));
  const parsed = BAY_CONFIG_SCHEMA.safeParse(data);
  if (!parsed.success) {
    const { messages, badKeys } = schemaMessages(parsed.error.issues, data, lineOf);
    // Every problem at once: the values of the keys whose type is right, checked by the bay's validation.
    const values = valueMessages(data as Record<string, unknown>, badKeys, abs).map((m) => locateMessage(m, data, lineOf));
    throw new ConfigError(report([...messages, ...values]));
  }
  return { file: abs, props: toProps(parsed.data, abs), locate };
}

/**
 * The file's text: at most {@link MAX_CONFIG_BYTES} bytes of UTF-8, read
 * from a regular file (or a pipe); a message naming the file and the fix
 * otherwise.
 */
function readConfigText(abs: string, shown: string): string {
  const fail = (problem: string, fix: string) => new ConfigError([`${shown}: ${problem}; ${fix}`]);
  let fd: number;
  try {
    fd = fs.openSync(abs, 'r');
  } catch (e) {
    throw fail(`cannot read the config file: ${fsProblem(e)}`, 'give the path of a YAML or JSON bay config file');
  }
  try {
    if (fs.fstatSync(fd).isDirectory()) throw fail('is a directory, not a config file (EISDIR)', 'give the path of a YAML or JSON bay config file');
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let n = 0;
    for (let r = -1; r !== 0 && n < buf.length; n += r) r = fs.readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_CONFIG_BYTES) {
      throw fail(`is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB, or an endless stream (read stopped there)`, 'give a bay config file (a few KiB of YAML or JSON)');
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, n));
    } catch {
      throw fail('is not UTF-8 text (a binary file?)', 'give a YAML or JSON bay config file');
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw fail(`cannot read the config file: ${fsProblem(e)}`, 'give the path of a readable YAML or JSON bay config file');
  } finally {
    fs.closeSync(fd);
  }
}

/** Messages for the schema's issues, and the top-level keys they concern. */
function schemaMessages(issues: readonly z.core.$ZodIssue[], data: unknown, lineOf: (k: KeyPath) => number | undefined): { messages: Located[]; badKeys: Set<string> } {
  const messages: Located[] = [];
  const badKeys = new Set<string>();
  for (const issue of issues) {
    const where = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        badKeys.add(where[0] ?? key);
        const hint = suggestKey(key, keysAt(where));
        const note = CODE_ONLY_PROPS[key] ?? '';
        messages.push({ line: lineOf([...where, key]), text: `unknown key "${[...where, key].join('.')}"${note}${hint ? `; did you mean "${hint}"?` : ''}` });
      }
      continue;
    }
    if (where.length) badKeys.add(where[0]);
    const value = valueAt(data, where);
    if (issue.code === 'invalid_type' && value === undefined) {
      messages.push({ line: lineOf(where.slice(0, -1)), text: `${where.join('.')}: required key is missing` });
    } else if (issue.code === 'invalid_type') {
      const finite = typeof value === 'number' && issue.expected === 'number' ? 'a finite number' : describeExpected(issue.expected);
      messages.push({ line: lineOf(where), text: `${where.join('.')}: expected ${finite}, got ${describeValue(value)}` });
    } else {
      messages.push({ line: lineOf(where), text: `${where.join('.') || '(file)'}: ${issue.message}` });
    }
  }
  return { messages, badKeys };
}

/**
 * The bay's validation messages (`[bay] prop: ...`) for the keys of `data`
 * that passed the schema (the others are left out, as if absent), minus
 * those about `badKeys` (already reported).
 */
function valueMessages(data: Record<string, unknown>, badKeys: ReadonlySet<string>, abs: string): string[] {
  const shape = BAY_CONFIG_SCHEMA.shape as Record<string, unknown>;
  const good = Object.fromEntries(Object.entries(data).filter(([k]) => Object.hasOwn(shape, k) && !badKeys.has(k)));
  const props = toProps(good as z.infer<typeof BAY_CONFIG_SCHEMA>, abs);
  return validateProps(resolveProps(props.name, props))
    .filter((m) => !badKeys.has(/^[A-Za-z_$][\w$]*/.exec(m)?.[0] ?? ''))
    .map((m) => `[${props.name}] ${m}`);
}

/** The bay's props from checked config data: `name` set, `pkiDir` and `clusterCa` files absolute. */
function toProps(v: z.infer<typeof BAY_CONFIG_SCHEMA>, abs: string): BayConfig['props'] {
  const dir = path.dirname(abs);
  const name = typeof v.name === 'string' ? v.name : path.basename(abs).replace(/\.(ya?ml|json)$/i, '');
  // The bay's validation reads (and checks) the CA files.
  const clusterCa = v.clusterCa && {
    certFile: path.resolve(dir, v.clusterCa.certFile),
    keyFile: path.resolve(dir, v.clusterCa.keyFile),
  };
  // Literal unions of the props (loadBalancerApi, keySize...) are checked by the bay's validation.
  const cloudFiles = {
    ...(v.openstackCaFile !== undefined ? { openstackCaFile: path.resolve(dir, v.openstackCaFile) } : {}),
    ...(v.applicationCredential ? { applicationCredential: { ...v.applicationCredential, secretFile: path.resolve(dir, v.applicationCredential.secretFile) } } : {}),
  };
  return { ...v, name, pkiDir: path.resolve(dir, v.pkiDir ?? DEFAULT_PKI_DIR), clusterCa, ...cloudFiles } as BayConfig['props'];
}

/** A bay validation message (`[construct path] prop: <value> problem; fix`) located at its key's line. */
function locateMessage(m: string, data: unknown, lineOf: (k: KeyPath) => number | undefined): Located {
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
    } else if (isSeq(node) && /^\d+$/.test(String(segment))) {
      const item = node.items[Number(segment)] as Node | undefined;
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
    if (/^\d+$/.test(key) && elementOf(schema)) {
      schema = elementOf(schema)!;
      continue;
    }
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

/** The element schema of a (possibly optional) list schema. */
function elementOf(schema: z.ZodType): z.ZodType | undefined {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodArray ? (s.element as z.ZodType) : undefined;
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
  // YAML .nan / .inf / -.inf (JSON would show null)
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '.nan (not a number)' : `${v < 0 ? '-' : ''}.inf (infinity)`;
  if (Array.isArray(v)) return `a list ${JSON.stringify(v)}`;
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
