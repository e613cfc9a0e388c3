/**
 * The `kubebay` command line, runnable in-process: `run(argv, io)` parses
 * with commander, runs one command and resolves to the exit status
 * (0 success, 1 invalid input or failed command, 2 usage error).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { describeSystemError, isSystemError } from '../core/fs-errors';
import { BayValidationError } from '../core/validation';
import { synthCommand } from './commands/synth';
import { ConfigError } from './config';
import { CliIo, UsageError } from './io';
// The other commands are loaded when they run (`synth` is the hot path: it does not load `roll`, `pki` or `graph`).
/* eslint-disable @typescript-eslint/no-require-imports */
const loadGraph = () => require('./commands/graph') as typeof import('./commands/graph');
const loadPki = () => require('./commands/pki') as typeof import('./commands/pki');
const loadRoll = () => require('./commands/roll') as typeof import('./commands/roll');
const loadToken = () => require('./commands/token') as typeof import('./commands/token');
/* eslint-enable @typescript-eslint/no-require-imports */

const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit status. */
export async function run(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  let status = 0;
  const program = buildProgram(io, (p) => {
    status = p;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (e) {
    return report(e, io);
  }
}

function report(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // commander has already printed the help or the message.
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
  }
  if (e instanceof UsageError) {
    io.stderr.write(`kubebay: ${e.message}\n(run with --help for usage)\n`);
    return 2;
  }
  if (e instanceof ConfigError || e instanceof BayValidationError) {
    const messages = e instanceof ConfigError ? e.messages : e.errors;
    io.stderr.write(`kubebay: ${messages.length} error${messages.length === 1 ? '' : 's'}; nothing was written\n`);
    for (const m of messages) io.stderr.write(`${m}\n`);
    return 1;
  }
  if (e instanceof Error && e.name === 'GraphvizMissingError') {
    io.stderr.write(`kubebay: ${e.message}\n`);
    return 1;
  }
  if (isSystemError(e)) {
    // A raw ENOTDIR/EACCES/EISDIR...: name the path, say what it means and the fix.
    io.stderr.write(`kubebay: error: ${describeSystemError(e)}\n`);
    return 1;
  }
  io.stderr.write(`kubebay: error: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}

type SetStatus = (status: number) => void;

function buildProgram(io: CliIo, setStatus: SetStatus): Command {
  const program = new Command('kubebay')
    .description("OpenStack Magnum's Kubernetes bay as constructs: synthesize it to Heat HOT or Terraform JSON")
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .helpCommand(false);
  addSynth(program, io, setStatus);
  addGraph(program, io, setStatus);
  addRoll(program, io, setStatus);
  addToken(program, io, setStatus);
  addPki(program, io, setStatus);
  return program;
}

const configOption = () => new Option('-c, --config <file>', 'bay config file (YAML or JSON): the KubernetesBay props').makeOptionMandatory();

function addSynth(program: Command, io: CliIo, setStatus: SetStatus): void {
  program
    .command('synth')
    .description('synthesize the bay of a config file to Terraform JSON (<out>/terraform) and/or HOT (<out>/hot/<bay>/)')
    .addOption(configOption())
    .addOption(new Option('-t, --target <target>', 'output format').choices(['hot', 'terraform', 'all']).default('all'))
    .addOption(new Option('-o, --out <dir>', 'output directory').default('out'))
    .option('--include-secrets', 'HOT: also write the hidden parameter values (CA keys, bootstrap token) into stack-create.json, mode 0600')
    .action(async (opts) => setStatus(await synthCommand(opts, io)));
}

function addGraph(program: Command, io: CliIo, setStatus: SetStatus): void {
  program
    .command('graph')
    .description('draw the topology of the bay of a config file: network, security groups and rules, load balancers, node groups')
    .addOption(configOption())
    .addOption(new Option('-f, --format <format>', 'output format (svg needs Graphviz dot)').choices(['dot', 'svg', 'mermaid']).default('dot'))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (opts) => setStatus(await loadGraph().graphCommand(opts, io)));
}

function addRoll(program: Command, io: CliIo, setStatus: SetStatus): void {
  program
    .command('roll')
    .description('replace the servers of a Terraform-deployed bay one at a time (masters, then minions in batches) so that they boot with their current user data, waiting for each to be Ready')
    .addOption(configOption())
    .option('-d, --dir <dir>', 'directory Terraform runs in, initialised, with the state (default: out/terraform/stacks/<bay>)')
    .option('-k, --kubeconfig <file>', "the bay's admin kubeconfig (default: $KUBECONFIG)")
    .option('-b, --batch <n>', 'minions replaced at once (default: updateMaxBatchSize of the config, 1)')
    .addOption(new Option('--only <role>', 'roll only the masters or only the minions').choices(['masters', 'minions']))
    .option('-n, --node <role/key...>', 'roll only these nodes, e.g. master/1 minion/4')
    .option('--timeout <seconds>', 'time each step may take to bring its nodes back Ready', '1800')
    .option('--var-file <file...>', 'extra -var-file for terraform apply')
    .option('--dry-run', 'print the steps, change nothing')
    .option('--terraform <bin>', 'terraform binary', 'terraform')
    .option('--kubectl <bin>', 'kubectl binary (etcd member removal through the API)', 'kubectl')
    .action(async (opts) => setStatus(await loadRoll().rollCommand(opts, io)));
}

function addToken(program: Command, io: CliIo, setStatus: SetStatus): void {
  program
    .command('token')
    .description('bootstrap tokens of a running bay')
    .helpCommand(false)
    .command('create')
    .description("make the bay's bootstrap token valid for --ttl in the cluster (admin kubeconfig), so that nodes can be added or replaced; nothing is replaced")
    .addOption(configOption())
    .option('-k, --kubeconfig <file>', "the bay's admin kubeconfig (default: $KUBECONFIG)")
    .option('--ttl <duration>', 'lifetime from now, e.g. 24h, 90m, 1h30m', '24h')
    .option('--rotate', 'a new token, recorded in the PKI store for the next synth (Heat then replaces every node on update)')
    .action(async (opts) => setStatus(await loadToken().tokenCreateCommand(opts, io)));
}

function addPki(program: Command, io: CliIo, setStatus: SetStatus): void {
  const pki = program
    .command('pki')
    .description("the bay's certificate store (CAs, service-account key, admin certificate, bootstrap token)")
    .helpCommand(false);
  pki
    .command('show')
    .description('print paths, subjects, validity, key sizes and the discovery hash (never private key contents)')
    .addOption(configOption())
    .action(async (opts) => setStatus(await loadPki().pkiShowCommand(opts, io)));
  pki
    .command('rotate')
    .description('generate new material; the old directory is kept as <bay>.rotated-<time> (the next update replaces every server)')
    .addOption(configOption())
    .action(async (opts) => setStatus(await loadPki().pkiRotateCommand(opts, io)));
  const passphraseFile = () =>
    new Option('--passphrase-file <file>', 'file whose first line is the passphrase (default: $KUBEBAY_PKI_PASSPHRASE, else asked on the terminal)');
  pki
    .command('export')
    .description("write the bay's store, encrypted with a passphrase (scrypt + AES-256-GCM), to a new file to share with the team")
    .addOption(configOption())
    .addOption(new Option('-o, --out <file>', 'the file to write (mode 0600; never overwritten)').makeOptionMandatory())
    .addOption(passphraseFile())
    .action(async (opts) => setStatus(await loadPki().pkiExportCommand({ ...opts, file: opts.out }, io)));
  pki
    .command('import')
    .description("restore the bay's store from a `pki export` file (checked against the bay record)")
    .addOption(configOption())
    .addOption(new Option('-i, --in <file>', 'the export file').makeOptionMandatory())
    .addOption(passphraseFile())
    .action(async (opts) => setStatus(await loadPki().pkiImportCommand({ ...opts, file: opts.in }, io)));
}

/** The version in package.json (found upwards from this file: lib/cli or dist/lib/cli). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  }
  return '0.0.0';
}
