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
import type { z } from 'zod';
import { resolveProps } from '../bay/defaults';
import { KubernetesBayProps } from '../bay/props';
import { suggestKey, validateProps } from '../bay/validate';
import { atPath, formatIssue, formatProblem, KubebayError, ValidationIssue } from '../core/errors';
import { fsProblem } from '../core/fs-errors';
import { DEFAULT_PKI_DIR } from '../pki';
import { BAY_CONFIG_FIELDS, BAY_CONFIG_SPEC, conforms, keysAt, zodSchema } from './config-schema';
import { shownPath } from './io';

/** A config file's data once its keys and types are right. */
type ConfigData = Omit<KubernetesBayProps, 'pkiProgress' | 'provider' | 'pki'>;

/** Props that only a program can pass, and why a file cannot. */
const CODE_ONLY_PROPS: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  pkiProgress: ' (a function: pass it in code, not in a file)',
  provider: ' (a cdktf provider construct: pass it in code, not in a file)',
  pki: ' (PKI material: pass it in code, or let the bay use its store under pkiDir)',
});

/** A config file that cannot be used; `messages` are `file:line: key: problem` lines. */
export class ConfigError extends KubebayError {
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
  /** The bay's validation issues as `file:line: prop: ...` lines (issues not about a key of the file: `file: [path] ...`). */
  locate(issues: readonly ValidationIssue[]): string[];
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

/** A parsed config file: its data and where each key is. */
interface ConfigDocument {
  readonly abs: string;
  readonly data: Record<string, unknown>;
  lineOf(keyPath: KeyPath): number | undefined;
  /** `file:line: text` lines, sorted by line (messages without a line last). */
  report(messages: readonly Located[]): string[];
}

/** Reads, parses and checks a config file; throws `ConfigError` listing every problem (keys, types and values) at once. */
export function loadConfig(file: string): BayConfig {
  const doc = parseConfig(path.resolve(file));
  const locate = (issues: readonly ValidationIssue[]) => doc.report(issues.map((i) => locateIssue(i, doc)));
  // The happy path: keys and types right, checked without zod.
  if (conforms(BAY_CONFIG_SPEC, doc.data)) return { file: doc.abs, props: toProps(doc.data as ConfigData, doc.abs), locate };
  const parsed = zodSchema(BAY_CONFIG_SPEC).safeParse(doc.data);
  if (parsed.success) return { file: doc.abs, props: toProps(parsed.data as ConfigData, doc.abs), locate };
  const { messages, badKeys } = schemaMessages(parsed.error.issues, doc);
  // Every problem at once: the values of the keys whose type is right, checked by the bay's validation.
  const values = valueIssues(doc.data, badKeys, doc.abs).map((i) => locateIssue(i, doc));
  throw new ConfigError(doc.report([...messages, ...values]));
}

/** The file read and parsed as YAML (JSON is YAML), its data a mapping; a `ConfigError` otherwise. */
function parseConfig(abs: string): ConfigDocument {
  const shown = shownPath(abs);
  const lineCounter = new LineCounter();
  const doc = parseDocument(readConfigText(abs, shown), { lineCounter, prettyErrors: false });
  const report = (messages: readonly Located[]) =>
    [...messages]
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity))
      .map((m) => `${shown}:${m.line === undefined ? '' : `${m.line}:`} ${m.text}`);
  if (doc.errors.length) {
    const text = (msg: string) =>
      /Maximum call stack/.test(msg) ? 'nests too deeply to be a bay config (lists or mappings inside each other thousands of levels deep); check the file' : msg.split('\n')[0];
    throw new ConfigError(report(doc.errors.map((e) => ({ line: lineCounter.linePos(e.pos[0]).line, text: text(e.message) }))));
  }
  const data = documentData(doc, shown);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const got = data === null ? 'an empty file' : Array.isArray(data) ? 'a list' : typeof data;
    throw new ConfigError(report([{ text: `expected a mapping of bay props (image, keyName, externalNetwork, ...), got ${got}` }]));
  }
  const lineOf = (keyPath: KeyPath): number | undefined => {
    const offset = offsetOf(doc.contents, keyPath);
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  return { abs, data: data as Record<string, unknown>, lineOf, report };
}

/** The document as plain data, aliases expanded up to {@link MAX_CONFIG_ALIASES}. */
function documentData(doc: ReturnType<typeof parseDocument>, shown: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch (e) {
    const bomb = /alias count|resource exhaustion/i.test((e as Error).message);
    throw new ConfigError([
      bomb
        ? `${shown}: YAML aliases expand to too many values (more than ${MAX_CONFIG_ALIASES} alias references, as in a "billion laughs" document); write the values out instead of nesting aliases`
        : `${shown}: cannot read the YAML (${(e as Error).message}); check the file's syntax`,
    ]);
  }
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
function schemaMessages(issues: readonly z.core.$ZodIssue[], doc: ConfigDocument): { messages: Located[]; badKeys: Set<string> } {
  const messages: Located[] = [];
  const badKeys = new Set<string>();
  for (const issue of issues) {
    const where = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        badKeys.add(where[0] ?? key);
        messages.push(unknownKeyMessage(where, key, doc));
      }
      continue;
    }
    if (where.length) badKeys.add(where[0]);
    messages.push(typeMessage(issue, where, doc));
  }
  return { messages, badKeys };
}

function unknownKeyMessage(where: readonly string[], key: string, doc: ConfigDocument): Located {
  const hint = suggestKey(key, keysAt(where));
  const note = CODE_ONLY_PROPS[key] ?? '';
  return { line: doc.lineOf([...where, key]), text: `unknown key "${[...where, key].join('.')}"${note}${hint ? `; did you mean "${hint}"?` : ''}` };
}

function typeMessage(issue: z.core.$ZodIssue, where: readonly string[], doc: ConfigDocument): Located {
  const value = valueAt(doc.data, where);
  if (issue.code === 'invalid_type' && value === undefined) {
    return { line: doc.lineOf(where.slice(0, -1)), text: `${where.join('.')}: required key is missing` };
  }
  if (issue.code === 'invalid_type') {
    const finite = typeof value === 'number' && issue.expected === 'number' ? 'a finite number' : describeExpected(issue.expected);
    return { line: doc.lineOf(where), text: `${where.join('.')}: expected ${finite}, got ${describeValue(value)}` };
  }
  return { line: doc.lineOf(where), text: `${where.join('.') || '(file)'}: ${issue.message}` };
}

/**
 * The bay's validation issues for the keys of `data` that passed the schema
 * (the others are left out, as if absent), minus those about `badKeys`
 * (already reported).
 */
function valueIssues(data: Record<string, unknown>, badKeys: ReadonlySet<string>, abs: string): ValidationIssue[] {
  const good = Object.fromEntries(Object.entries(data).filter(([k]) => Object.hasOwn(BAY_CONFIG_FIELDS, k) && !badKeys.has(k)));
  const props = toProps(good as ConfigData, abs);
  const issues = validateProps(resolveProps(props.name, props)).filter((i) => i.prop === undefined || !badKeys.has(String(propKeyPath(i.prop)[0])));
  return atPath(props.name, issues);
}

/** The bay's props from checked config data: `name` set, `pkiDir` and `clusterCa` files absolute. */
function toProps(v: ConfigData, abs: string): BayConfig['props'] {
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

/**
 * The key path of an issue's prop: `nodeGroups[0].labels` is
 * `['nodeGroups', 0, 'labels']`, `existingNetwork["a b"]` is
 * `['existingNetwork', 'a b']`.
 */
export function propKeyPath(prop: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of prop.matchAll(/([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]) as string)));
  }
  return out;
}

/** A bay validation issue located at its key's line (an issue about no key of the file keeps its construct path). */
function locateIssue(issue: ValidationIssue, doc: ConfigDocument): Located {
  const keyPath = issue.prop === undefined ? [] : propKeyPath(issue.prop);
  if (!keyPath.length || !Object.hasOwn(BAY_CONFIG_FIELDS, keyPath[0])) return { text: formatIssue(issue) };
  const value = valueAt(doc.data, keyPath.map(String));
  // A list prop: point at the element the issue is about, if it can be found.
  const shown = JSON.stringify(issue.value);
  const index = Array.isArray(value) && !Array.isArray(issue.value) ? value.findIndex((x) => JSON.stringify(x) === shown) : -1;
  const line = (index >= 0 ? doc.lineOf([...keyPath, index]) : undefined) ?? doc.lineOf(keyPath);
  const note = value !== undefined ? '' : issue.prop === 'name' ? ' (from the file name)' : ' (default)';
  return { line, text: formatProblem({ ...issue, prop: `${issue.prop}${note}` }) };
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
