/**
 * `kubebay roll`: replaces the servers of a Terraform-deployed bay one at a
 * time so that they boot with their current user data (see lib/roll).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { CommandResult, kubeNodeReader, kubectlEtcdRemover, roll, RollError, RollRole } from '../../roll';
import { loadConfig } from '../config';
import { rearmStoredToken } from './token';
import { CliIo, shownPath, UsageError } from '../io';

export interface RollCommandOptions {
  readonly config: string;
  readonly dir?: string;
  readonly kubeconfig?: string;
  readonly batch?: string;
  readonly only?: 'masters' | 'minions';
  readonly node?: string[];
  readonly timeout: string;
  readonly varFile?: string[];
  readonly dryRun?: boolean;
  readonly terraform: string;
  readonly kubectl: string;
}

export async function rollCommand(opts: RollCommandOptions, io: CliIo): Promise<number> {
  const config = loadConfig(opts.config);
  const bay = config.props.name;
  const kubeconfig = opts.kubeconfig ?? process.env.KUBECONFIG;
  if (!kubeconfig && !opts.dryRun) {
    throw new UsageError(`roll waits for nodes through the Kubernetes API: pass the bay's admin kubeconfig with --kubeconfig FILE (or set KUBECONFIG)`);
  }
  const positive = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name}: "${v}" is not a positive integer`);
    return n;
  };
  const dir = path.resolve(opts.dir ?? path.join('out', 'terraform', 'stacks', bay));
  const log = (line: string) => io.stdout.write(`kubebay roll: ${line}\n`);
  log(`bay "${bay}", Terraform directory ${shownPath(dir)}`);
  try {
    if (!opts.dryRun && kubeconfig) await rearmToken(config.props, kubeconfig, log);
    await roll(
      {
        dir,
        bay,
        batchSize: positive('--batch', opts.batch) ?? config.props.updateMaxBatchSize ?? 1,
        roles: opts.only ? [opts.only === 'masters' ? 'master' : 'minion'] as RollRole[] : undefined,
        nodes: opts.node,
        timeoutSeconds: positive('--timeout', opts.timeout),
        applyArgs: (opts.varFile ?? []).map((f) => `-var-file=${path.resolve(f)}`),
        dryRun: opts.dryRun,
      },
      {
        run: runCommand,
        terraform: opts.terraform,
        readNode: kubeconfig ? kubeNodeReader(kubeconfig) : async () => undefined,
        removeEtcdMember: kubectlEtcdRemover(kubeconfig ?? '', runCommand, opts.kubectl),
        log,
      },
    );
    return 0;
  } catch (e) {
    if (e instanceof RollError) {
      io.stderr.write(`kubebay roll: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/**
 * Replaced nodes join with the bootstrap token in their user data, which
 * expires (bootstrapTokenTtl): re-arm it for the roll first, or stop before
 * anything is replaced.
 */
async function rearmToken(props: { name: string; pkiDir: string; bootstrapTokenTtl?: string }, kubeconfig: string, log: (line: string) => void): Promise<void> {
  if (props.bootstrapTokenTtl === '0s') return; // a token that never expires
  let r: { until?: string; skipped?: string };
  try {
    r = await rearmStoredToken(props.pkiDir, props.name, kubeconfig);
  } catch (e) {
    throw new RollError(`${(e as Error).message}: nothing was replaced (replaced nodes could not join with an expired token; fix the access or run kubebay token create)`);
  }
  if (r.until) log(`bootstrap token re-armed until ${r.until}: replaced nodes can join`);
  else log(`bootstrap token not re-armed (${r.skipped}): replaced nodes join only while it is valid (kubebay token create)`);
}

/** Runs a program with the environment of this process; captures its output. */
function runCommand(command: string, args: readonly string[], cwd?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { cwd, env: { ...process.env, TF_IN_AUTOMATION: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: `cannot run ${command}: ${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
