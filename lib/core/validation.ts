/**
 * Collecting validation errors of a construct tree: every construct's
 * `node.validate()` messages, prefixed with its path. Synthesis writes no file
 * while any error remains.
 */
import { IConstruct } from 'constructs';

/** All errors of a tree, reported together. */
export class BayValidationError extends Error {
  constructor(public readonly errors: readonly string[]) {
    super(`kubebay: ${errors.length} validation error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'BayValidationError';
  }
}

/** Runs every validation below (and including) `scope`; returns the messages. */
export function collectErrors(scope: IConstruct): string[] {
  const errors: string[] = [];
  for (const c of scope.node.findAll()) {
    for (const msg of c.node.validate()) errors.push(msg.startsWith('[') ? msg : `[${c.node.path}] ${msg}`);
  }
  return errors;
}

/** Throws a `BayValidationError` listing every error below `scope`. */
export function assertValid(scope: IConstruct): void {
  const errors = collectErrors(scope);
  if (errors.length) throw new BayValidationError(errors);
}
