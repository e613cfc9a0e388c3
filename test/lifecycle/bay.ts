/** The bay of the lifecycle suite: 3 masters + 3 minions, synthesized by the CLI to both formats. */
import * as fs from 'node:fs';
import * as path from 'node:path';
// Not ../helpers nor ../cli/run-cli at import time: they make a PKI dir, and a skipped file runs no cleanup hook.
import { tmpDir } from '../tmp';

export const BAY = 'life';

/** Config lines of the suite's bay (`extra` appended). */
export function lifeConfig(extra: string[] = []): string[] {
  return [
    `name: ${BAY}`,
    'image: ubuntu-24.04',
    'keyName: ops',
    'externalNetwork: public',
    'masterCount: 3',
    'minionCount: 3',
    'dockerVolumeSize: 10',
    // Heat's rolling update really sleeps between master batches; the tools' servers boot at once.
    'masterUpdatePauseTime: 0',
    'sshAllowedCidrs: [198.51.100.0/24]',
    ...extra,
  ];
}

export interface Checkout {
  /** Directory of bay.yaml and its PKI store (.kubebay/pki). */
  readonly dir: string;
  readonly config: string;
  readonly out: string;
  readonly tfDir: string;
  readonly hotDir: string;
}

/** Writes bay.yaml into `dir` (new temp dir by default) and synthesizes it to `<dir>/out`. */
export async function synthCheckout(lines: string[], dir = tmpDir('kubebay-life-')): Promise<Checkout> {
  const config = path.join(dir, 'bay.yaml');
  fs.writeFileSync(config, lines.join('\n') + '\n');
  const out = path.join(dir, 'out');
  const { cli } = await import('../cli/run-cli');
  const r = await cli('synth', '--config', config, '--out', out);
  if (r.status !== 0) throw new Error(`kubebay synth failed: ${r.stderr}`);
  const name = lines.find((l) => l.startsWith('name: '))!.slice(6);
  return { dir, config, out, tfDir: path.join(out, 'terraform', 'stacks', name), hotDir: path.join(out, 'hot', name) };
}
