import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** File mode of stored PKI files. */
export const FILE_MODE = 0o600;
/** Directory mode of PKI directories. */
export const DIR_MODE = 0o700;

/**
 * Write `data` to `file` atomically: into a temp file (mode 0600) in the same
 * directory, fsync, then rename over `file`. Readers see the old or the new
 * content, never a partial file.
 */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', FILE_MODE);
    try {
      fs.fchmodSync(fd, FILE_MODE); // the umask may have cleared bits of the requested mode
      fs.writeFileSync(fd, data);
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

/** Content of `file`, or undefined if it does not exist. */
export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** chmod `p` to `mode` if its permission bits differ (no-op on Windows). */
export function ensureMode(p: string, mode: number): void {
  if (process.platform === 'win32') return;
  if ((fs.statSync(p).mode & 0o777) !== mode) fs.chmodSync(p, mode);
}
