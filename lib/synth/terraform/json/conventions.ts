/**
 * cdktf 0.21's document conventions, reproduced for the direct writer: how
 * overrides nest, how fragments merge (arrays concatenate, `undefined`
 * deletes), how meta-argument keys are snake-cased, and how resolution drops
 * `undefined`. Each function mirrors the cdktf function named in its comment;
 * the equivalence test (test/synth/terraform-json.test.ts) compares the two
 * writers byte for byte.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** cdktf `deepMerge`: objects merge, arrays concatenate, `undefined` deletes the key. Mutates and returns `target`. */
export function deepMerge(target: Json, ...sources: Json[]): Json {
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      if (isObject(value)) {
        if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
        deepMerge(target[key] as Json, value);
      } else if (Array.isArray(value)) {
        const prev = target[key];
        target[key] = Array.isArray(prev) ? [...prev, ...value] : value;
      } else if (value === undefined) {
        delete target[key];
      } else {
        target[key] = value;
      }
    }
  }
  return target;
}

/** cdktf `TerraformElement.addOverride` applied in order: a dotted path into nested objects. */
export function overridesObject(overrides: readonly (readonly [string, unknown])[]): Json {
  const raw: Json = {};
  for (const [path, value] of overrides) {
    const parts = path.split('.');
    let curr = raw;
    while (parts.length > 1) {
      const key = parts.shift()!;
      if (!isObject(curr[key])) curr[key] = {};
      curr = curr[key] as Json;
    }
    curr[parts[0]] = value;
  }
  return raw;
}

/** cdktf `snakeCase`. */
export function snakeCase(str: string): string {
  return str
    .replace(/^[^A-Za-z0-9]*|[^A-Za-z0-9]*$/g, '')
    .replace(/([a-z0-9])([A-Z])/g, (_m, a: string, b: string) => a + '_' + b.toLowerCase())
    .replace(/[^A-Za-z0-9]+|_+/g, '_')
    .toLowerCase();
}

/** cdktf `keysToSnakeCase` (keys `tags` and `environment` keep their values' keys). */
export function keysToSnakeCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((e) => (typeof e === 'object' ? keysToSnakeCase(e) : e));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    out[snakeCase(key)] = key === 'tags' || key === 'environment' || typeof v !== 'object' ? v : keysToSnakeCase(v);
  }
  return out;
}

/** cdktf `resolve` of a token-free value: `undefined` goes (object keys and array elements); the rest stays. */
export function resolved(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolved).filter((x) => x !== undefined);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const r = resolved(v);
    if (r !== undefined) out[k] = r;
  }
  return out;
}
