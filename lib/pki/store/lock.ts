/**
 * An exclusive, re-entrant lock on a bay's store directory, held by a
 * process for a whole synth (or rotate, import): `<root>/.<bay>.lock`,
 * created with O_EXCL, holding the owner's pid and host. A lock whose
 * process is gone (killed run) is taken over; a live one is waited for.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { isProcessAlive, sleepSync } from '../../core/process';
import { FileError } from '../../core/errors';

/** How long to wait for another process's lock. @default 120 s (`KUBEBAY_LOCK_TIMEOUT_MS` overrides) */
const DEFAULT_TIMEOUT_MS = 120_000;

const HELD = new Map<string, number>();

/** Runs `fn` holding the lock file `lockFile` (re-entrant within this process). */
export function withLock<T>(lockFile: string, what: string, fn: () => T): T {
  acquire(lockFile, what);
  try {
    return fn();
  } finally {
    release(lockFile);
  }
}

/** Takes the lock (or counts one more hold of it). */
export function acquire(lockFile: string, what: string): void {
  const held = HELD.get(lockFile);
  if (held) {
    HELD.set(lockFile, held + 1);
    return;
  }
  const timeout = Number(process.env.KUBEBAY_LOCK_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeout;
  for (;;) {
    if (tryCreate(lockFile)) break;
    const owner = readOwner(lockFile);
    if (owner && owner.host === os.hostname() && !isProcessAlive(owner.pid)) {
      takeOver(lockFile, owner.pid);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new FileError(
        `${what} is locked by process ${owner?.pid ?? '?'} on ${owner?.host ?? '?'} (${lockFile}) for more than ${Math.round(timeout / 1000)} s; ` +
          'wait for that kubebay run to finish, or remove the lock file if that process is gone',
      );
    }
    sleepSync(50 + Math.floor(Math.random() * 100));
  }
  HELD.set(lockFile, 1);
}

/** Drops one hold; the last one removes the lock file. */
export function release(lockFile: string): void {
  const held = HELD.get(lockFile) ?? 0;
  if (held > 1) {
    HELD.set(lockFile, held - 1);
    return;
  }
  HELD.delete(lockFile);
  if (readOwner(lockFile)?.pid === process.pid) fs.rmSync(lockFile, { force: true });
}

/** Creates the lock with its content in one step: a private temp file hard-linked to the lock's name (fails if it exists). */
function tryCreate(lockFile: string): boolean {
  const tmp = `${lockFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${process.pid}\n${os.hostname()}\n`, { mode: 0o600, flag: 'w' });
  try {
    fs.linkSync(tmp, lockFile);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readOwner(lockFile: string): { pid: number; host: string } | undefined {
  try {
    const [pid, host] = fs.readFileSync(lockFile, 'utf8').split('\n');
    return { pid: Number(pid), host: host ?? '' };
  } catch {
    return undefined; // gone, or being written: the next round sees it
  }
}

/** Removes a dead process's lock: renamed aside first, so of two processes taking it over only one removes it. */
function takeOver(lockFile: string, deadPid: number): void {
  const aside = `${lockFile}.stale-${process.pid}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return; // another process took it over first
  }
  // Put back a live lock grabbed by mistake (created between our read and the rename).
  if (readOwner(aside)?.pid !== deadPid) fs.renameSync(aside, lockFile);
  else fs.rmSync(aside, { force: true });
}
