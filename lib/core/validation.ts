/**
 * Collecting validation errors of a construct tree: every construct's
 * `node.validate()` messages, prefixed with its path. Synthesis writes no file
 * while any error remains.
 */
import { IConstruct } from 'constructs';
import { BayValidationError, formatIssue, ValidationIssue } from './errors';

export { BayValidationError } from './errors';

/** Runs every validation below (and including) `scope`; returns the issues, each with its construct path. */
export function collectIssues(scope: IConstruct): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const c of scope.node.findAll()) {
    // A message that names its own construct path (`[path] ...`) keeps it.
    for (const msg of c.node.validate()) issues.push(msg.startsWith('[') ? { problem: msg } : { path: c.node.path, problem: msg });
  }
  return issues;
}

/** Runs every validation below (and including) `scope`; returns the messages. */
export function collectErrors(scope: IConstruct): string[] {
  return collectIssues(scope).map(formatIssue);
}

/** Throws a `BayValidationError` listing every error below `scope`. */
export function assertValid(scope: IConstruct): void {
  const issues = collectIssues(scope);
  if (issues.length) throw new BayValidationError(issues);
}
