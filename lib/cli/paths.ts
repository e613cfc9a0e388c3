/**
 * Output paths checked before anything is generated, so that a wrong
 * `--out` is reported as the option and the fix instead of a raw
 * `ENOTDIR ... unlink ...staging` or `EACCES mkdir` after key generation.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './config';
import { shownPath } from './io';

/**
 * Throws a `ConfigError` naming `option` when `dir` cannot become a
 * directory kubebay writes in: it, or its nearest existing ancestor, is
 * not a directory, or that ancestor is not writable.
 */
export function checkOutputDir(option: string, dir: string): void {
  const abs = path.resolve(dir);
  let existing = abs;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const fail = (problem: string, fix: string) => new ConfigError([`${option} ${dir}: ${problem}; ${fix}`]);
  if (!fs.statSync(existing).isDirectory()) {
    throw existing === abs
      ? fail('is a file, not a directory', 'choose a directory (it is created if missing)')
      : fail(`${shownPath(existing)} is a file, not a directory (ENOTDIR)`, 'choose an output directory that is not below a file');
  }
  try {
    fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw fail(`cannot write in ${shownPath(existing)} (permission denied, EACCES)`, 'choose a directory you can write in, or fix its permissions');
  }
}
