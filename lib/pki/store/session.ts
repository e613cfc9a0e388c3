/**
 * A PKI session spans one synthesis: the store locks taken while it runs
 * are held until it ends (so outputs and store can not drift apart under a
 * concurrent synth or rotate), and stores created by it are removed again
 * if it fails — a failed synth leaves no new PKI behind.
 */
import * as fs from 'node:fs';
import { acquire, release } from './lock';

interface Session {
  readonly locks: string[];
  readonly created: { readonly dir: string; readonly record: string }[];
}

let current: Session | undefined;

/** Runs `fn` as a PKI session (nested calls join the outer one). */
export function pkiSession<T>(fn: () => T): T {
  if (current) return fn();
  const session: Session = (current = { locks: [], created: [] });
  try {
    return fn();
  } catch (e) {
    for (const c of [...session.created].reverse()) {
      fs.rmSync(c.dir, { recursive: true, force: true });
      fs.rmSync(c.record, { force: true });
    }
    throw e;
  } finally {
    current = undefined;
    for (const l of session.locks.reverse()) release(l);
  }
}

/** Inside a session: keeps `lockFile` (already held by the caller) until the session ends. */
export function holdForSession(lockFile: string, what: string): void {
  if (!current) return;
  acquire(lockFile, what);
  current.locks.push(lockFile);
}

/** Inside a session: the bay store `dir` and its `record` were created by it (removed if it fails). */
export function noteCreated(dir: string, record: string): void {
  current?.created.push({ dir, record });
}
