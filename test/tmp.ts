/**
 * Temporary directories of the tests: made under the OS temp dir and
 * removed after each test file (`test/setup/cleanup.ts`), so `npm test`
 * leaves nothing behind (some hold CA keys).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

/** A fresh empty directory, removed after the test file. */
export function tmpDir(prefix = 'kubebay-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * A fresh path under the OS temp dir that is not created here (the code
 * under test creates it), removed after the test file like {@link tmpDir}.
 * For module-level constants: a test file whose tests are all skipped runs
 * no hooks, so a directory made at import would be left behind.
 */
export function tmpPath(prefix = 'kubebay-test-'): string {
  const dir = path.join(os.tmpdir(), `${prefix}${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  made.push(dir);
  return dir;
}

/**
 * Removes every directory made by {@link tmpDir} so far, with the bay-record
 * sibling `<dir>.bays` that the PKI store writes when a temp dir is used as
 * the store root (the record lives next to the store, not in it).
 */
export function removeTmpDirs(): void {
  for (const dir of made.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(`${dir}.bays`, { recursive: true, force: true });
  }
}
