/**
 * The passphrase of `kubebay pki export|import`: never an argument (argv is
 * visible to every local user in `ps`). From `--passphrase-file FILE` (first
 * line), else the `KUBEBAY_PKI_PASSPHRASE` environment variable, else a
 * prompt on the terminal (not echoed).
 */
import * as fs from 'node:fs';
import { UsageError } from './io';

export const PASSPHRASE_ENV = 'KUBEBAY_PKI_PASSPHRASE';

export async function readPassphrase(file: string | undefined, confirm: boolean): Promise<string> {
  if (file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read the passphrase file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const line = text.split(/\r?\n/)[0];
    if (!line) throw new UsageError(`the passphrase file ${file} is empty`);
    return line;
  }
  const env = process.env[PASSPHRASE_ENV];
  if (env) return env;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(`no passphrase: set ${PASSPHRASE_ENV}, or give --passphrase-file FILE, or run in a terminal to be asked`);
  }
  const first = await prompt('passphrase: ');
  if (confirm && (await prompt('passphrase again: ')) !== first) throw new UsageError('the passphrases differ');
  return first;
}

/** Reads a line from the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let line = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(line);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f') line = line.slice(0, -1);
        else line += ch;
      }
    };
    stdin.on('data', onData);
  });
}
