/**
 * Sets of integers as inclusive intervals, and their projection to a regular
 * expression: a deploy-time parameter whose format cannot exclude values
 * (a HOT number parameter has only `range` and `allowed_values`) is checked
 * with a pattern that matches exactly the allowed decimal integers.
 */
import toRegexRange from 'to-regex-range';

/** Integers from `min` to `max`, inclusive, and why they are there. */
export interface IntRange {
  readonly min: number;
  readonly max: number;
  /** What the range is (e.g. `etcd client`), for messages. @default - none */
  readonly what?: string;
}

/** The integers of `[min, max]` outside every range of `excluded`, as sorted disjoint intervals. */
function allowedIntervals(min: number, max: number, excluded: readonly IntRange[]): [number, number][] {
  const out: [number, number][] = [];
  let next = min;
  for (const e of [...excluded].sort((a, b) => a.min - b.min)) {
    if (e.max < next) continue;
    if (e.min > max) break;
    if (e.min > next) out.push([next, e.min - 1]);
    next = e.max + 1;
  }
  if (next <= max) out.push([next, max]);
  return out;
}

/**
 * A pattern matching exactly the decimal integers (no sign, no leading
 * zeros) of `[min, max]` minus `excluded`, anchored at its end with `$`, so
 * that a prefix match (Heat: Python `re.match`, then a check that the match
 * ends at the value's end) cannot stop at a shorter alternative.
 */
export function integerPattern(min: number, max: number, excluded: readonly IntRange[]): string {
  const parts = allowedIntervals(min, max, excluded).map(([a, b]) => toRegexRange(a, b, { capture: false, shorthand: false }));
  return `(?:${parts.join('|')})$`;
}
