/**
 * cdktf's JSON layout (it writes with `json-stable-stringify`, `space: 2`):
 * keys sorted, two-space indentation, `undefined` members left out (`null`
 * in arrays), and an empty array or object still broken over two lines
 * (`[` newline indent `]`). Written here rather than loading that library:
 * its dependency chain (call-bind, get-intrinsic, ...: about 50 modules)
 * cost about as much CPU as the whole direct Terraform writer, in a writer
 * whose point is start-up time. A property test compares the two on random
 * JSON (test/synth/terraform-json.test.ts).
 */
export function stableStringify(value: unknown, level = 0): string | undefined {
  const v = value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  const indent = '\n' + '  '.repeat(level);
  const member = indent + '  ';
  if (Array.isArray(v)) return '[' + v.map((x) => member + (stableStringify(x, level + 1) ?? 'null')).join(',') + indent + ']';
  const out: string[] = [];
  for (const key of Object.keys(v).sort()) {
    const s = stableStringify((v as Record<string, unknown>)[key], level + 1);
    if (s) out.push(member + JSON.stringify(key) + ': ' + s);
  }
  return '{' + out.join(',') + indent + '}';
}
