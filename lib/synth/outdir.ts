/**
 * Output directories that are replaced whole or not at all: synthesis writes
 * into a staging sibling (same depth, so relative paths inside the outputs
 * are the same) and swaps it in only after everything succeeded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A staging directory next to `finalDir`, created empty. */
export function stagingDir(finalDir: string): string {
  const abs = path.resolve(finalDir);
  const staging = `${abs}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  return staging;
}

/** Replaces `finalDir` with `staging` (the old directory is removed only after the new one is in place). */
export function commitDir(staging: string, finalDir: string): void {
  const abs = path.resolve(finalDir);
  const old = `${abs}.old-${process.pid}`;
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  if (fs.existsSync(abs)) fs.renameSync(abs, old);
  fs.renameSync(staging, abs);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Runs `write(staging)` and commits the result into `finalDir`; on error the staging dir is removed and `finalDir` untouched. */
export function replaceDir<T>(finalDir: string, write: (staging: string) => T): T {
  const staging = stagingDir(finalDir);
  try {
    const result = write(staging);
    commitDir(staging, finalDir);
    return result;
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
