/**
 * Writing files safely: every file goes to a temporary name in its final
 * directory and is renamed into place, so an interrupted run leaves the old
 * file or the new one, never half of one. The one home of atomic writes.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OutputFile {
  /** Path relative to the output directory. */
  readonly path: string;
  readonly content: string;
  /** File mode. @default 0o644 */
  readonly mode?: number;
}

/** How {@link writeFileAtomic} writes. */
export interface AtomicWriteOptions {
  /** File mode, applied whatever the umask. @default 0o644 */
  readonly mode?: number;
  /** Create missing parent directories (default mode). The PKI store creates its own, 0700. @default true */
  readonly createParents?: boolean;
}

/**
 * The one atomic write of kubebay (outputs, graph files, the PKI store):
 * a new temporary file (exclusive create, random name) in the target's
 * directory, its mode set with fchmod (the umask may have cleared bits),
 * the data fsynced, then renamed over the target. Readers see the old
 * content or the new, never part of it, even after a crash; on error the
 * temporary file is removed.
 */
export function writeFileAtomic(file: string, content: string, options: AtomicWriteOptions | number = {}): void {
  const { mode = 0o644, createParents = true } = typeof options === 'number' ? { mode: options } : options;
  if (createParents) fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.fchmodSync(fd, mode);
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes every file below a fresh staging directory that is then renamed
 * into place whole (`replaceDirs`): nobody reads the files before that
 * rename, so each is written directly, with its mode, and not fsynced — as
 * the Terraform half (and cdktf) writes `cdk.tf.json`. An interrupted run
 * leaves the previous directory; a power loss right after the rename may
 * leave files the next synth rewrites (they are derived from the config and
 * the PKI store, which keeps its own fsync'd writes). The fsync of each file
 * was ≈ 20–27 ms wall per bay (BENCHMARKS.md, issue 15).
 */
export function writeStagedFiles(stagingDir: string, files: readonly OutputFile[]): string[] {
  return files.map((f) => {
    const target = path.join(stagingDir, f.path);
    const mode = f.mode ?? 0o644;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content, { mode, flag: 'wx' });
    fs.chmodSync(target, mode); // the umask may have cleared bits
    return target;
  });
}

/** Writes every file below `outdir`, each atomically. */
export function writeFiles(outdir: string, files: readonly OutputFile[]): string[] {
  return files.map((f) => {
    const target = path.join(outdir, f.path);
    writeFileAtomic(target, f.content, f.mode);
    return target;
  });
}
