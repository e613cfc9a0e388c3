/**
 * kubebay's error types and the structured validation issue.
 *
 * Validation returns {@link ValidationIssue}s (`{path, prop, value, problem,
 * fix}`), formatted once by {@link formatIssue} as
 * `[construct path] prop: <value> problem; fix`. Errors a user can see carry
 * the construct path as data (`constructPath`), as aws-cdk's
 * `ValidationError(message, scope)` does, so that a caller (the CLI) maps
 * them to a file and line without parsing the message.
 *
 * Plain `Error`s left in `lib/` are internal invariants (a binding without a
 * Terraform resource, a placeholder without a value): bugs, not bad input.
 */
import type { IConstruct } from 'constructs';

/** One problem with the input: which prop, what value, what is wrong, how to fix it. */
export interface ValidationIssue {
  /** Construct path of the construct the prop belongs to (e.g. `example`). @default - none (not yet placed in a tree) */
  readonly path?: string;
  /**
   * The prop as the message names it: `minionCount`, `clusterCa.certFile`,
   * `nodeGroups[0].count`, `existingNetwork["a b"]`.
   * @default - none: a message from a construct's own validation, not about one prop
   */
  readonly prop?: string;
  /** The offending value (a list prop's element when one element is wrong). */
  readonly value?: unknown;
  /** What is wrong with the value, e.g. `is not a valid master count`. */
  readonly problem: string;
  /** How to fix it, e.g. `use an integer from 1 to 99`. @default - none */
  readonly fix?: string;
}

/** Collects issues: `report(prop, value, problem, fix)`. */
export type IssueReporter = (prop: string, value: unknown, problem: string, fix: string) => void;

/** A value as a message shows it: JSON where possible, never throwing (BigInt, cycles, symbols), at most 80 characters. */
export function show(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v); // JSON would say null
  let s: string | undefined;
  try {
    s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
  } catch {
    s = undefined;
  }
  if (s === undefined || (s === '{}' && typeof v === 'object' && v !== null && Object.getPrototypeOf(v) !== Object.prototype)) {
    try {
      s = typeof v === 'function' ? `function ${v.name || '(anonymous)'}` : String(v);
    } catch {
      s = Object.prototype.toString.call(v);
    }
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The issue without its construct path: `prop: <value> problem; fix` (or the bare problem of a construct's own validation). */
export function formatProblem(issue: ValidationIssue): string {
  const head = issue.prop !== undefined ? `${issue.prop}: ${show(issue.value)} ` : '';
  return `${head}${issue.problem}${issue.fix !== undefined ? `; ${issue.fix}` : ''}`;
}

/** The one format of an issue: `[path] prop: <value> problem; fix`. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.path !== undefined ? `[${issue.path}] ` : ''}${formatProblem(issue)}`;
}

/** The same issues, placed at construct path `path` (issues that have a path keep it). */
export function atPath(path: string, issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((i) => (i.path !== undefined ? i : { ...i, path }));
}

/** Base class of kubebay's errors: `constructPath` names the construct concerned, as data. */
export class KubebayError extends Error {
  /** Construct path of the construct concerned. @default - none */
  public readonly constructPath?: string;
  constructor(message: string, scope?: IConstruct | string) {
    super(message);
    this.name = new.target.name;
    this.constructPath = typeof scope === 'string' ? scope : scope?.node.path;
  }
}

/**
 * Bad input detected while building or synthesizing one construct (aws-cdk's
 * `ValidationError(message, scope)`): the message names the prop and the fix.
 */
export class ValidationError extends KubebayError {}

/** A problem with files the user owns (PKI store, record, export, output directory): the message names the file and the fix. */
export class FileError extends KubebayError {}

/** All validation issues of a tree, reported together; nothing is written while any remains. */
export class BayValidationError extends KubebayError {
  /** Every issue, structured. */
  public readonly issues: readonly ValidationIssue[];
  /** Every issue, formatted (`[path] prop: <value> problem; fix`). */
  public readonly errors: readonly string[];
  constructor(issues: readonly (ValidationIssue | string)[]) {
    const structured = issues.map((i) => (typeof i === 'string' ? { problem: i } : i));
    const errors = structured.map(formatIssue);
    super(`kubebay: ${errors.length} validation error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'BayValidationError';
    this.issues = structured;
    this.errors = errors;
  }
}
