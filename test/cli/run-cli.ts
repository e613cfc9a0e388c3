/** Runs the CLI in-process and captures what it prints. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../lib/cli/run';
import { PKI_DIR, tmpDir } from '../helpers';

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const status = await run(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { status, stdout, stderr };
}

/** A config file of a valid bay (the shared test PKI store), with `extra` YAML lines appended. */
export const BASE_CONFIG = [
  'name: demo',
  'image: ubuntu-24.04',
  'keyName: ops',
  'externalNetwork: public',
  'masterCount: 3',
  'minionCount: 2',
  'dockerVolumeSize: 10',
  'sshAllowedCidrs:',
  '  - 198.51.100.0/24',
  `pkiDir: ${PKI_DIR}`,
];

/** Writes `lines` as `<new temp dir>/<name>` and returns its path. */
export function writeConfig(lines: readonly string[], name = 'bay.yaml'): string {
  const file = path.join(tmpDir('kubebay-cli-'), name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
