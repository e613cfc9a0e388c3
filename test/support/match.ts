/**
 * Deep partial matching for template assertions, modelled on aws-cdk's
 * `assertions` `Match`: a pattern is a literal (compared with the default
 * rules below) or a `Matcher`.
 *
 * Default rules, as aws-cdk's `Match.objectLike` applies them:
 * - a plain object pattern matches an object that has at least its keys,
 *   each matching recursively (extra keys are fine);
 * - an array pattern matches an array of the same length, element by element;
 * - anything else is compared with `===` (`NaN` never matches).
 */

/** A failure: where in the actual value, and what was wrong. */
export interface MatchFailure {
  readonly path: string;
  readonly message: string;
}

/** A matcher: returns its failures against `actual` (none = match). */
export abstract class Matcher {
  public static isMatcher(x: unknown): x is Matcher {
    return x instanceof Matcher;
  }
  /** Short description shown in failure messages. */
  public abstract readonly name: string;
  public abstract test(actual: unknown, path: string): MatchFailure[];
}

/** Factories of matchers. */
export class Match {
  /** Any value except `undefined` (a present key). */
  public static anyValue(): Matcher {
    return new FnMatcher('anyValue', (a, p) => (a === undefined || a === null ? [{ path: p, message: 'expected a value, got nothing' }] : []));
  }
  /** The key must be missing (or `undefined`). */
  public static absent(): Matcher {
    return new FnMatcher('absent', (a, p) => (a === undefined ? [] : [{ path: p, message: `expected no value, got ${show(a)}` }]));
  }
  /** At least these keys, each matching (the default for plain objects). */
  public static objectLike(pattern: Record<string, unknown>): Matcher {
    return new FnMatcher('objectLike', (a, p) => matchObject(pattern, a, p, false));
  }
  /** Exactly these keys, each matching. */
  public static objectEquals(pattern: Record<string, unknown>): Matcher {
    return new FnMatcher('objectEquals', (a, p) => matchObject(pattern, a, p, true));
  }
  /** An array containing elements matching each of `pattern`, in that order (others may come between). */
  public static arrayWith(pattern: readonly unknown[]): Matcher {
    return new FnMatcher('arrayWith', (a, p) => arrayWith(pattern, a, p));
  }
  /** An array of the same length whose elements match (the default for arrays). */
  public static arrayEquals(pattern: readonly unknown[]): Matcher {
    return new FnMatcher('arrayEquals', (a, p) => matchArray(pattern, a, p));
  }
  /** Deep equality: nested objects must have exactly the pattern's keys. */
  public static exact(pattern: unknown): Matcher {
    return new FnMatcher('exact', (a, p) => exactDiff(pattern, a, p));
  }
  /** A string matching the regular expression. */
  public static stringLikeRegexp(re: RegExp | string): Matcher {
    const rx = typeof re === 'string' ? new RegExp(re) : re;
    return new FnMatcher(`stringLikeRegexp(${rx})`, (a, p) =>
      typeof a === 'string' && rx.test(a) ? [] : [{ path: p, message: `expected a string matching ${rx}, got ${show(a)}` }],
    );
  }
  /** The value must NOT match `pattern`. */
  public static not(pattern: unknown): Matcher {
    return new FnMatcher('not', (a, p) => (matchValue(pattern, a, p).length ? [] : [{ path: p, message: `expected not to match ${show(pattern)}, got ${show(a)}` }]));
  }
  /** A string or structure whose JSON text contains `needle` (e.g. a name inside a Terraform expression). */
  public static mentions(needle: string): Matcher {
    return new FnMatcher(`mentions(${needle})`, (a, p) =>
      a !== undefined && JSON.stringify(a).includes(needle) ? [] : [{ path: p, message: `expected a value mentioning ${JSON.stringify(needle)}, got ${show(a)}` }],
    );
  }
}

class FnMatcher extends Matcher {
  constructor(public readonly name: string, private readonly fn: (actual: unknown, path: string) => MatchFailure[]) {
    super();
  }
  public test(actual: unknown, path: string): MatchFailure[] {
    return this.fn(actual, path);
  }
}

/** Failures of `actual` against `pattern` under the default rules. */
export function matchValue(pattern: unknown, actual: unknown, path = ''): MatchFailure[] {
  if (Matcher.isMatcher(pattern)) return pattern.test(actual, path);
  if (Array.isArray(pattern)) return matchArray(pattern, actual, path);
  if (isPlainObject(pattern)) return matchObject(pattern, actual, path, false);
  return pattern === actual ? [] : [{ path, message: `expected ${show(pattern)}, got ${show(actual)}` }];
}

/** Formats failures one per line, `path: message`. */
export function formatFailures(failures: readonly MatchFailure[]): string {
  return failures.map((f) => `  ${f.path || '(root)'}: ${f.message}`).join('\n');
}

function matchObject(pattern: Record<string, unknown>, actual: unknown, path: string, exact: boolean): MatchFailure[] {
  if (!isPlainObject(actual)) return [{ path, message: `expected an object, got ${show(actual)}` }];
  const failures = Object.entries(pattern).flatMap(([k, v]) => matchValue(v, actual[k], `${path}/${k}`));
  if (exact) {
    for (const k of Object.keys(actual)) if (!(k in pattern)) failures.push({ path: `${path}/${k}`, message: `unexpected key (value ${show(actual[k])})` });
  }
  return failures;
}

function matchArray(pattern: readonly unknown[], actual: unknown, path: string): MatchFailure[] {
  if (!Array.isArray(actual)) return [{ path, message: `expected an array, got ${show(actual)}` }];
  if (actual.length !== pattern.length) return [{ path, message: `expected ${pattern.length} elements, got ${actual.length}: ${show(actual)}` }];
  return pattern.flatMap((p, i) => matchValue(p, actual[i], `${path}/${i}`));
}

function arrayWith(pattern: readonly unknown[], actual: unknown, path: string): MatchFailure[] {
  if (!Array.isArray(actual)) return [{ path, message: `expected an array, got ${show(actual)}` }];
  let next = 0;
  for (const [i, p] of pattern.entries()) {
    while (next < actual.length && matchValue(p, actual[next], path).length) next++;
    if (next >= actual.length) return [{ path, message: `no element matching pattern #${i} ${show(p)} (in order) in ${show(actual)}` }];
    next++;
  }
  return [];
}

function exactDiff(pattern: unknown, actual: unknown, path: string): MatchFailure[] {
  if (Matcher.isMatcher(pattern)) return pattern.test(actual, path);
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual) || actual.length !== pattern.length) return [{ path, message: `expected ${show(pattern)}, got ${show(actual)}` }];
    return pattern.flatMap((p, i) => exactDiff(p, actual[i], `${path}/${i}`));
  }
  if (isPlainObject(pattern)) {
    if (!isPlainObject(actual)) return [{ path, message: `expected an object, got ${show(actual)}` }];
    const keys = new Set([...Object.keys(pattern), ...Object.keys(actual)]);
    return [...keys].flatMap((k) => exactDiff(pattern[k], actual[k], `${path}/${k}`));
  }
  return pattern === actual ? [] : [{ path, message: `expected ${show(pattern)}, got ${show(actual)}` }];
}

function isPlainObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !Matcher.isMatcher(x);
}

function show(x: unknown): string {
  if (Matcher.isMatcher(x)) return `<${x.name}>`;
  if (x === undefined) return 'undefined';
  const s = JSON.stringify(x);
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}
