/**
 * Writing outputs safely: every file goes to a temporary name in its final
 * directory and is renamed into place, so an interrupted run leaves the old
 * file or the new one, never half of one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OutputFile {
  /** Path relative to the output directory. */
  readonly path: string;
  readonly content: string;
  /** File mode. @default 0o644 */
  readonly mode?: number;
}

/** Writes one file atomically (temp file + rename) with the given mode. */
export function writeFileAtomic(file: string, content: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, content, { mode });
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes every file below `outdir`, each atomically. */
export function writeFiles(outdir: string, files: readonly OutputFile[]): string[] {
  return files.map((f) => {
    const target = path.join(outdir, f.path);
    writeFileAtomic(target, f.content, f.mode);
    return target;
  });
}
