import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as forge from 'node-forge';
import { removeTmpDirs, tmpDir } from '../tmp';

/** A fresh empty directory under the OS temp dir (removed after the test file, see test/tmp.ts). */
export function freshDir(): string {
  return tmpDir('kubebay-pki-');
}

/** Remove the directories made so far; call in afterAll (the test setup does it too). */
export function removeFreshDirs(): void {
  removeTmpDirs();
}

/** Run openssl with `args`, feeding `input` on stdin; returns stdout. */
export function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A self-signed CA made by the openssl CLI, with a UTF-8 subject. */
export function opensslCa(dir: string, subj = '/C=DE/O=Bäy Örg/CN=Corp Root CA'): { certPem: string; keyPem: string } {
  const key = path.join(dir, 'corp.key');
  const crt = path.join(dir, 'corp.crt');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-utf8', '-keyout', key, '-out', crt, '-days', '30', '-subj', subj]);
  return { certPem: fs.readFileSync(crt, 'utf8'), keyPem: fs.readFileSync(key, 'utf8') };
}

/** A parsed forge extension of a certificate. */
export function ext(certPem: string, name: string): Record<string, unknown> | undefined {
  return forge.pki.certificateFromPem(certPem).getExtension(name) as Record<string, unknown> | undefined;
}

export const YEAR_MS = 365.25 * 24 * 3600 * 1000;
