/**
 * One naming scheme for both outputs. A construct that marks itself a naming
 * root (a bay) prefixes the logical names of everything inside it:
 * `<bay>_<id>`. Logical names are public API: renaming one replaces the
 * resource (and a server).
 */
import { IConstruct } from 'constructs';

const NAMING_ROOT = Symbol.for('kubebay.namingRoot');

/** Makes `scope` a naming root whose prefix is `prefix`. */
export function setNamePrefix(scope: IConstruct, prefix: string): void {
  (scope as any)[NAMING_ROOT] = sanitize(prefix);
}

/** The naming prefix of the nearest enclosing root, if any. */
function namePrefix(c: IConstruct): string | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    const p = (s as any)[NAMING_ROOT];
    if (typeof p === 'string') return p;
  }
  return undefined;
}

/** Lowercase letters, digits and `_`; what HOT and Terraform both accept as a name. */
export function sanitize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
}

/** `<prefix>_<id>`, or the id alone outside a naming root. */
export function logicalName(c: IConstruct): string {
  const prefix = namePrefix(c);
  const id = sanitize(c.node.id);
  return prefix ? `${prefix}_${id}` : id;
}
