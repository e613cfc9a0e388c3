/**
 * The outputs of a bay case: byte counts per format, a digest for the
 * run-to-run determinism check, and the comparison "same bytes apart from
 * the node-count defaults".
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Relative path → content of every file below `dir`, sorted by path. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

export interface CaseOutputs {
  /** `<out>/tf/stacks/example/cdk.tf.json` (the stack; cdktf's manifest.json is left out). */
  readonly tf: Map<string, Buffer>;
  /** Every file of every bay's HOT set (`<out>/hot/<bay>/...`). */
  readonly hot: Map<string, Buffer>;
}

export function readOutputs(outDir: string): CaseOutputs {
  const tf = new Map([...readTree(path.join(outDir, 'tf'))].filter(([p]) => p.endsWith('cdk.tf.json')));
  return { tf, hot: readTree(path.join(outDir, 'hot')) };
}

export function bytes(files: Map<string, Buffer>): number {
  let n = 0;
  for (const b of files.values()) n += b.length;
  return n;
}

export function digest(files: Map<string, Buffer>): string {
  const h = createHash('sha256');
  for (const [p, b] of files) h.update(p).update('\0').update(b).update('\0');
  return h.digest('hex');
}

/**
 * Replaces the values of the node-count parameters (`number_of_masters`,
 * `number_of_minions`; Terraform `<bay>_number_of_...`) with `<N>`: their
 * defaults in parameter/variable definitions (JSON or YAML, `default:` within
 * the next few lines) and their values in environment files / API payloads.
 * Returns the text and how many values were replaced.
 */
export function normalizeCounts(text: string): { text: string; replaced: number } {
  let replaced = 0;
  const key = String.raw`number_of_(?:masters|minions)"?:`;
  // A definition: the key opens a block and `default: N` follows within 4 lines.
  const definition = new RegExp(String.raw`(${key}[ \t]*\{?[ \t]*\n(?:(?![ \t]*"?[a-z_]*number_of_)[^\n]*\n){0,4}?[ \t]*"?default"?:[ \t]*)(\d+)`, 'g');
  // A value: `number_of_minions: N` (YAML environment) or `"number_of_minions": N` (JSON parameters).
  const value = new RegExp(String.raw`(${key}[ \t]*)(\d+)`, 'g');
  const out = text
    .replace(definition, (_m, pre: string) => {
      replaced++;
      return `${pre}<N>`;
    })
    .replace(value, (_m, pre: string) => {
      replaced++;
      return `${pre}<N>`;
    });
  return { text: out, replaced };
}

export interface Comparison {
  /** Byte-identical after normalizing the count values. */
  readonly same: boolean;
  /** Count values normalized in `a` and `b`. */
  readonly replaced: readonly [number, number];
  /** Where the first difference is, if any. */
  readonly firstDifference?: string;
}

/** Compares two outputs file by file after {@link normalizeCounts}. */
export function compareNormalized(a: Map<string, Buffer>, b: Map<string, Buffer>): Comparison {
  let ra = 0;
  let rb = 0;
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const name of names) {
    const fa = a.get(name);
    const fb = b.get(name);
    if (!fa || !fb) return { same: false, replaced: [ra, rb], firstDifference: `${name} exists in only one output` };
    const na = normalizeCounts(fa.toString('utf8'));
    const nb = normalizeCounts(fb.toString('utf8'));
    ra += na.replaced;
    rb += nb.replaced;
    if (na.text !== nb.text) {
      let i = 0;
      while (i < na.text.length && na.text[i] === nb.text[i]) i++;
      const line = na.text.slice(0, i).split('\n').length;
      const show = (t: string) => JSON.stringify(t.slice(Math.max(0, i - 40), i + 40));
      return { same: false, replaced: [ra, rb], firstDifference: `${name}:${line}: ${show(na.text)} vs ${show(nb.text)}` };
    }
  }
  return { same: ra > 0 && ra === rb, replaced: [ra, rb] };
}
