/** Small statistics and formatting helpers of the benchmark. */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** `123 (118–130)` with `digits` decimals. */
export function fmt(s: Summary, digits = 0): string {
  const f = (x: number) => x.toFixed(digits);
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

export function ratio(a: number, b: number): number {
  return a / b;
}

export function fmtRatio(r: number): string {
  return `${r.toFixed(2)}×`;
}

export function mib(kib: number): number {
  return kib / 1024;
}
