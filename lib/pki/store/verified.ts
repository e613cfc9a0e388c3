/**
 * The cache of a bay directory's last full check (`verified.json`): the
 * SHA-256 of its material files (names and bytes), what the check derived
 * from them (the discovery hash, the record fingerprints) and when the first
 * of its certificates expires. Not secret; a cache only — deleting it costs
 * one full check (key parsing dominates loading a warm store). Any changed
 * byte of a material file, or the first expiry passing, invalidates it.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { readIfExists, writeFileAtomic } from './atomic';
import { PKI_FILES, PkiFileName } from './material';
import { PkiFingerprints } from './record';

/** Name of the cache file in a bay's directory. */
export const VERIFIED_FILE = 'verified.json';

/** Content of `verified.json`. */
export interface Verified {
  readonly digest: string;
  readonly discoveryHash: string;
  /** Earliest `notAfter` of the CA and admin certificates (ISO 8601). */
  readonly notAfter: string;
  /** The record fingerprints of the same bytes (a cache without them, written by an earlier version, counts as none). */
  readonly fingerprints: PkiFingerprints;
}

/** Every material file of `dir` by name (undefined where absent); never follows a link. */
export function readMaterial(dir: string): Map<PkiFileName, string | undefined> {
  return new Map(PKI_FILES.map((n) => [n, readIfExists(path.join(dir, n))]));
}

/** SHA-256 over the names and bytes of `contents` (a missing file counts as such). */
export function digestOf(contents: ReadonlyMap<string, string | undefined>): string {
  const h = createHash('sha256');
  for (const [name, text] of contents) h.update(`${name}\0${text === undefined ? '-' : `${Buffer.byteLength(text)}\0${text}`}\0`);
  return h.digest('hex');
}

/** The cached check of `dir` if it is for these `contents` and nothing has expired since; else undefined. */
export function readVerified(dir: string, contents: ReadonlyMap<string, string | undefined>): Verified | undefined {
  try {
    const v = JSON.parse(readIfExists(path.join(dir, VERIFIED_FILE)) ?? 'null') as Partial<Verified> | null;
    if (!v || typeof v.discoveryHash !== 'string' || typeof v.notAfter !== 'string') return undefined;
    // A cache from before the fingerprints were recorded: one full check writes them.
    if (!v.fingerprints || !Object.values(v.fingerprints).every((f) => typeof f === 'string') || Object.keys(v.fingerprints).length !== 4) return undefined;
    if (v.digest !== digestOf(contents)) return undefined;
    return Date.now() < Date.parse(v.notAfter) ? (v as Verified) : undefined;
  } catch {
    return undefined;
  }
}

/** Records a full check of `contents` (written only when it differs from what is stored: a warm load writes nothing). */
export function writeVerified(dir: string, contents: ReadonlyMap<string, string | undefined>, v: Omit<Verified, 'digest'>): void {
  const file = path.join(dir, VERIFIED_FILE);
  const text = `${JSON.stringify({ digest: digestOf(contents), discoveryHash: v.discoveryHash, notAfter: v.notAfter, fingerprints: v.fingerprints }, null, 2)}\n`;
  if (readIfExists(file) !== text) writeFileAtomic(file, text);
}
