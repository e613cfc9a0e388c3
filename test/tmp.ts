/**
 * Temporary directories of the tests: made under the OS temp dir and
 * removed after each test file (`test/setup/cleanup.ts`), so `npm test`
 * leaves nothing behind (some hold CA keys).
 */
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

/** Removes every directory made by {@link tmpDir} so far. */
export function removeTmpDirs(): void {
  for (const dir of made.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
    // A PKI store at <dir> keeps its bay records beside it, in <dir>.bays.
    fs.rmSync(`${dir}.bays`, { recursive: true, force: true });
  }
}
