import * as path from 'node:path';
import { KubebayError } from '../core/errors';

/** What the CLI writes to, so that it runs in-process (tests) as well as in a terminal. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** A wrong combination of options: printed with a hint to `--help`, exit status 2. */
export class UsageError extends KubebayError {}

/** Path for messages: relative to the working directory when below it. */
export function shownPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}
