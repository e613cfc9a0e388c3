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

/**
 * Replaces `finalDir` with `staging`. If the swap fails, the previous
 * directory is put back; the old directory is removed only after the new one
 * is in place.
 */
export function commitDir(staging: string, finalDir: string): void {
  commitDirs([{ staging, finalDir }]);
}

interface Staged {
  readonly staging: string;
  readonly finalDir: string;
}

/**
 * Swaps every staging dir into place. On an error, the dirs already swapped
 * are swapped back (in reverse order), so either all are replaced or none is.
 */
function commitDirs(staged: readonly Staged[]): void {
  const done: { final: string; old?: string; staging: string }[] = [];
  try {
    for (const { staging, finalDir } of staged) {
      const abs = path.resolve(finalDir);
      const old = `${abs}.old-${process.pid}`;
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.rmSync(old, { recursive: true, force: true });
      const hadOld = fs.existsSync(abs);
      if (hadOld) fs.renameSync(abs, old);
      try {
        fs.renameSync(staging, abs);
      } catch (e) {
        if (hadOld) fs.renameSync(old, abs);
        throw e;
      }
      done.push({ final: abs, old: hadOld ? old : undefined, staging });
    }
  } catch (e) {
    for (const d of done.reverse()) {
      fs.renameSync(d.final, d.staging); // the caller removes staging dirs
      if (d.old) fs.renameSync(d.old, d.final);
    }
    throw e;
  }
  // Committed: the previous outputs go. A failure here leaves a stray `.old-<pid>` dir, not a failed synth.
  for (const d of done) {
    try {
      if (d.old) fs.rmSync(d.old, { recursive: true, force: true });
    } catch {
      // the next commit of this directory removes it
    }
  }
}

/** Runs `write(staging)` and commits the result into `finalDir`; on error the staging dir is removed and `finalDir` untouched. */
export function replaceDir<T>(finalDir: string, write: (staging: string) => T): T {
  return replaceDirs((stage) => write(stage(finalDir)));
}

/**
 * Runs `write(stage)`, where `stage(finalDir)` returns a fresh staging dir
 * for `finalDir`, and commits every staged dir together once `write`
 * returned: all outputs are replaced, or — on any error, in `write` or in
 * the swap — none is, and no staging dir remains.
 */
export function replaceDirs<T>(write: (stage: (finalDir: string) => string) => T): T {
  const staged: Staged[] = [];
  try {
    const result = write((finalDir) => {
      const abs = path.resolve(finalDir);
      const clash = staged.find((s) => s.finalDir === abs || abs.startsWith(s.finalDir + path.sep) || s.finalDir.startsWith(abs + path.sep));
      if (clash) throw new Error(`output directories ${clash.finalDir} and ${abs} overlap; give separate directories`);
      const staging = stagingDir(abs);
      staged.push({ staging, finalDir: abs });
      return staging;
    });
    commitDirs(staged);
    return result;
  } finally {
    for (const s of staged) fs.rmSync(s.staging, { recursive: true, force: true });
  }
}
