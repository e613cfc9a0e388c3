import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic as writeAtomic } from '../../core/files';
import { FileError } from '../../core/errors';

/** File mode of stored PKI files. */
export const FILE_MODE = 0o600;
/** Directory mode of PKI directories. */
export const DIR_MODE = 0o700;

/**
 * Write `data` to `file` atomically, mode 0600, into an existing directory
 * (see `core/files.ts`, the one atomic write): readers see the old or the
 * new content, never a partial file.
 */
export function writeFileAtomic(file: string, data: string): void {
  writeAtomic(file, data, { mode: FILE_MODE, createParents: false });
}

/** Content of `file`, or undefined if it does not exist. Never follows a symbolic link. */
export function readIfExists(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw symlinkError(file);
    throw e;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new FileError(`${file} is not a regular file; the PKI store holds only regular files`);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function symlinkError(p: string): Error {
  return new Error(`${p} is a symbolic link; kubebay never follows links in the PKI store: replace it with the file or directory itself`);
}

/** Throws unless `p` is a directory or file (as `kind`) owned by this user, not a symbolic link. */
export function assertOwned(p: string, kind: 'directory' | 'file'): fs.Stats {
  const st = fs.lstatSync(p);
  if (st.isSymbolicLink()) throw symlinkError(p);
  if (kind === 'directory' ? !st.isDirectory() : !st.isFile()) throw new FileError(`${p} is not a ${kind}; the PKI store expects one there`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new FileError(
      `${p} is owned by uid ${st.uid}, not by you (uid ${uid}): another user could swap in their own CA. ` +
        'Use a PKI store you own (pkiDir), or fix the ownership (chown -R)',
    );
  }
  return st;
}

/** Sets `p`'s permission bits to `mode` after checking it (owned, not a link); no-op on Windows. */
export function ensureMode(p: string, mode: number): void {
  if (process.platform === 'win32') return;
  const st = assertOwned(p, (mode & 0o100) !== 0 ? 'directory' : 'file');
  if ((st.mode & 0o777) === mode) return;
  const flags = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | (st.isDirectory() ? fs.constants.O_DIRECTORY : 0);
  const fd = fs.openSync(p, flags);
  try {
    fs.fchmodSync(fd, mode);
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates `dir` and its missing parents with mode 0700 (whatever the umask), then checks the whole created path and `dir`. */
export function secureMkdirs(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d) && d !== path.dirname(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode: DIR_MODE });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    ensureMode(d, DIR_MODE);
  }
  ensureMode(dir, DIR_MODE);
}
