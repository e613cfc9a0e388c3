/**
 * `kubebay pki show|rotate`: the certificate store of a config file's bay.
 * `show` prints paths, subjects, validity, key sizes and the discovery hash,
 * never the contents of a private key or the bootstrap token. `rotate`
 * moves the bay's directory aside (kept) and generates new material.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoveryHash, exportPki, importPki, PKI_FILES, PkiStore, SECRET_FILES } from '../../pki';
import { loadConfig } from '../config';
import { CliIo, shownPath, UsageError } from '../io';
import { readPassphrase } from '../passphrase';

export interface PkiCommandOptions {
  readonly config: string;
}

export interface PkiTransferOptions extends PkiCommandOptions {
  /** Export: file to write (0600, refused if it exists); import: file to read. */
  readonly file: string;
  /** File whose first line is the passphrase. @default - KUBEBAY_PKI_PASSPHRASE, else a prompt */
  readonly passphraseFile?: string;
}

/** `kubebay pki export`: the bay's store, encrypted with a passphrase, into one file (safe to share; not the passphrase). */
export async function pkiExportCommand(opts: PkiTransferOptions, io: CliIo): Promise<number> {
  const config = loadConfig(opts.config);
  const out = path.resolve(opts.file);
  if (fs.existsSync(out)) throw new UsageError(`${shownPath(out)} exists; give a new file name (an export is never overwritten)`);
  const passphrase = await readPassphrase(opts.passphraseFile, true);
  const text = exportPki(new PkiStore(config.props.pkiDir), config.props.name, passphrase);
  fs.writeFileSync(out, text, { mode: 0o600, flag: 'wx' });
  fs.chmodSync(out, 0o600);
  io.stdout.write(`kubebay: wrote the PKI of bay "${config.props.name}" to ${shownPath(out)} (encrypted; share the passphrase separately)\n`);
  return 0;
}

/** `kubebay pki import`: restores the bay's store from an export (checked against the bay's record). */
export async function pkiImportCommand(opts: PkiTransferOptions, io: CliIo): Promise<number> {
  const config = loadConfig(opts.config);
  const file = path.resolve(opts.file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${shownPath(file)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const passphrase = await readPassphrase(opts.passphraseFile, false);
  const store = new PkiStore(config.props.pkiDir);
  importPki(store, config.props.name, text, passphrase, shownPath(file), { fixedApiVip: config.props.fixedApiVip });
  io.stdout.write(`kubebay: restored the PKI of bay "${config.props.name}" into ${shownPath(store.dir(config.props.name))}\n`);
  return 0;
}

export async function pkiShowCommand(opts: PkiCommandOptions, io: CliIo): Promise<number> {
  const config = loadConfig(opts.config);
  const store = new PkiStore(config.props.pkiDir);
  const name = config.props.name;
  if (!store.exists(name)) {
    io.stderr.write(`kubebay: bay "${name}" has no certificate store in ${shownPath(store.rootDir)} yet; \`kubebay synth\` creates it\n`);
    return 1;
  }
  io.stdout.write(describeStore(store.dir(name), name));
  return 0;
}

export async function pkiRotateCommand(opts: PkiCommandOptions, io: CliIo): Promise<number> {
  const config = loadConfig(opts.config);
  const p = config.props;
  const store = new PkiStore(p.pkiDir);
  const ca = p.clusterCa && { certPem: fs.readFileSync(p.clusterCa.certFile, 'utf8'), keyPem: fs.readFileSync(p.clusterCa.keyFile, 'utf8') };
  const existed = store.exists(p.name);
  const pki = store.rotate(p.name, {
    keySize: p.keySize,
    clusterCa: ca,
    fixedApiVip: p.fixedApiVip,
    onProgress: (m) => io.stderr.write(`kubebay: ${m}\n`),
  });
  io.stdout.write(describeStore(store.dir(p.name), p.name));
  for (const w of pki.warnings) io.stdout.write(`warning: ${w}\n`);
  io.stdout.write(
    existed
      ? 'The previous material is kept beside it (*.rotated-<time>), and the bay record now names the new CAs (commit it). ' +
          'Every node\'s user data changes with the CA: the next update replaces every server of the bay, and running nodes do not trust the new CA until then. ' +
          'Outputs synthesized before the rotation fail at plan (their ca_fingerprint check): synthesize again.\n'
      : 'The bay had no material yet; nothing was moved.\n',
  );
  return 0;
}

/** A text description of a bay's store directory; secret files are described, never printed. */
function describeStore(dir: string, bay: string): string {
  const lines: string[] = [];
  const meta = readJson(path.join(dir, 'meta.json'));
  lines.push(`PKI of bay "${bay}": ${shownPath(dir)}`);
  if (meta?.createdAt) lines.push(`  created:        ${meta.createdAt}`);
  if (meta?.keySize) lines.push(`  key size:       RSA-${meta.keySize}`);
  const ca = path.join(dir, 'ca.crt');
  if (fs.existsSync(ca)) lines.push(`  discovery hash: ${discoveryHash(fs.readFileSync(ca, 'utf8'))}  (kubeadm --discovery-token-ca-cert-hash)`);
  for (const name of PKI_FILES) {
    const file = path.join(dir, name);
    lines.push(`  ${name}`);
    lines.push(`    path:     ${shownPath(file)}`);
    if (!fs.existsSync(file)) {
      lines.push('    missing');
      continue;
    }
    lines.push(`    mode:     ${(fs.statSync(file).mode & 0o777).toString(8).padStart(4, '0')}`);
    try {
      lines.push(...describeFile(name, fs.readFileSync(file, 'utf8')).map((l) => `    ${l}`));
    } catch (e) {
      lines.push(`    unreadable: ${(e as Error).message}`);
    }
  }
  return lines.join('\n') + '\n';
}

function describeFile(name: string, text: string): string[] {
  if (name.endsWith('.crt')) {
    const cert = new X509Certificate(text);
    return [
      `subject:  ${cert.subject.replace(/\n/g, ', ')}`,
      `issuer:   ${cert.issuer.replace(/\n/g, ', ')}`,
      `valid:    ${iso(cert.validFrom)} to ${iso(cert.validTo)}${new Date(cert.validTo) <= new Date() ? '  EXPIRED' : ''}`,
      `key:      RSA-${cert.publicKey.asymmetricKeyDetails?.modulusLength ?? '?'}`,
      `serial:   ${cert.serialNumber}`,
    ];
  }
  if (name.endsWith('.pub')) return [`key:      public, RSA-${createPublicKey(text).asymmetricKeyDetails?.modulusLength ?? '?'}`];
  if (name.endsWith('.key')) return [`key:      private, RSA-${createPrivateKey(text).asymmetricKeyDetails?.modulusLength ?? '?'} (contents not shown)`];
  if ((SECRET_FILES as readonly string[]).includes(name)) return ['secret:   contents not shown'];
  return [];
}

function iso(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function readJson(file: string): Record<string, any> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
