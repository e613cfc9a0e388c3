/**
 * File-system errors in words: Node's `ENOTDIR: not a directory, unlink
 * '…'` or a bare `EISDIR` become a message naming the path, what went wrong
 * and the fix.
 */

interface Explanation {
  readonly what: string;
  readonly fix: string;
}

const EXPLAIN: Readonly<Record<string, Explanation>> = {
  ENOENT: { what: 'it does not exist', fix: 'check the path' },
  EISDIR: { what: 'it is a directory', fix: 'give a file, not a directory' },
  ENOTDIR: { what: 'a part of the path is a file, not a directory', fix: 'remove or rename that file, or choose another path' },
  EACCES: { what: 'permission denied', fix: 'check the permissions of the path and its parent directories, or run as their owner' },
  EPERM: { what: 'operation not permitted', fix: 'check the owner and permissions of the path' },
  ELOOP: { what: 'too many symbolic links (or a symbolic link where none is allowed)', fix: 'replace the symbolic link by the real path' },
  EEXIST: { what: 'it already exists', fix: 'remove it or choose another path' },
  ENOTEMPTY: { what: 'the directory is not empty', fix: 'remove it or choose another path' },
  ENOSPC: { what: 'no space left on the device', fix: 'free disk space' },
  EROFS: { what: 'the file system is read-only', fix: 'choose a writable path' },
  ENAMETOOLONG: { what: 'the path is too long', fix: 'choose a shorter path' },
  EMFILE: { what: 'too many open files', fix: 'raise the open-file limit (ulimit -n)' },
  EBUSY: { what: 'the resource is busy', fix: 'retry when no other process uses it' },
};

/** A Node system error (`code`, `syscall`, `path`). */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  // Duck-typed: errors of Node's fs come from another realm under test runners (instanceof Error fails).
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && typeof (e as { message?: unknown }).message === 'string';
}

/** What went wrong, in words, with the code in brackets: `it is a directory (EISDIR)`. */
export function fsProblem(e: unknown): string {
  if (!isSystemError(e)) return typeof (e as Error)?.message === 'string' ? (e as Error).message : String(e);
  const x = EXPLAIN[e.code];
  return x ? `${x.what} (${e.code})` : e.message;
}

/**
 * A whole message for a system error: `cannot <operation> <path>: <what>
 * (<CODE>); <fix>`, naming the second path of a rename or link too.
 */
export function describeSystemError(e: NodeJS.ErrnoException & { code: string }): string {
  const x = EXPLAIN[e.code];
  const dest = (e as { dest?: string }).dest;
  const where = e.path ? ` ${e.path}${dest ? ` to ${dest}` : ''}` : '';
  const op = e.syscall ? `${e.syscall}` : 'access';
  return `cannot ${op}${where}: ${x ? `${x.what} (${e.code}); ${x.fix}` : e.message}`;
}
