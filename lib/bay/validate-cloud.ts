/**
 * Validation of the cloud-integration props: the CA bundle, the application
 * credential and the controllers that need it. Issues `{prop, value, problem, fix}`, like validate.ts.
 */
import * as fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { ResolvedBayProps } from './defaults';
import { ValidationIssue } from '../core/errors';

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
/** Values pasted into user data as they are (see lib/bootstrap/placeholders.ts). */
const SAFE = /^[^\s"\\]+$/;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Problems of a CA bundle file: unreadable, no certificate, or a block that does not parse. */
function caBundleProblem(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  if (/PRIVATE KEY-----/.test(text)) return 'holds a private key (only CA certificates belong in a trust bundle)';
  const blocks = text.match(PEM_CERT) ?? [];
  if (blocks.length === 0) return 'holds no PEM certificate';
  for (const [i, pem] of blocks.entries()) {
    try {
      new X509Certificate(pem);
    } catch (e) {
      return `certificate ${i + 1} does not parse (${(e as Error).message})`;
    }
  }
  return undefined;
}

/** Every problem with the cloud-integration props. */
export function validateCloudProps(p: ResolvedBayProps): ValidationIssue[] {
  const errors: ValidationIssue[] = [];
  const err = (prop: string, value: unknown, problem: string, fix: string) => errors.push({ prop, value, problem, fix });
  if (p.openstackCaFile !== undefined) {
    const problem = nonEmpty(p.openstackCaFile) ? caBundleProblem(p.openstackCaFile) : 'is not a file path';
    if (problem) err('openstackCaFile', p.openstackCaFile, problem, "give the PEM file of your cloud's CA certificates (e.g. the one in clouds.yaml's cacert)");
  }
  if (!nonEmpty(p.openstackRegion) || !SAFE.test(p.openstackRegion)) {
    err('openstackRegion', p.openstackRegion, 'is not a region name', "give the region of your cloud, e.g. 'RegionOne' (openstack region list)");
  }
  for (const prop of ['cloudControllerManager', 'cinderCsi'] as const) {
    if (p[prop] !== undefined && typeof p[prop] !== 'boolean') err(prop, p[prop], 'is not a boolean', 'use true or false');
  }
  const cred: unknown = p.applicationCredential;
  if (cred === undefined || cred === null) {
    for (const prop of ['cloudControllerManager', 'cinderCsi'] as const) {
      if (p[prop] === true) err(prop, p[prop], 'needs OpenStack credentials', 'set applicationCredential (and openstackAuthUrl), or drop this prop');
    }
    return errors;
  }
  if (typeof cred !== 'object' || Array.isArray(cred)) {
    err('applicationCredential', cred, 'is not an object', "give { id: '<application credential id>', secretFile: 'appcred.secret' }");
    return errors;
  }
  const { id, secretFile } = cred as Record<string, unknown>;
  if (!nonEmpty(id) || !SAFE.test(id)) err('applicationCredential.id', id, 'is not an application credential id', 'give the id printed by `openstack application credential create`');
  if (!nonEmpty(secretFile)) {
    err('applicationCredential.secretFile', secretFile, 'is not a file path', 'give a file (mode 0600) holding only the secret');
  } else {
    let secret: string | undefined;
    try {
      secret = fs.readFileSync(secretFile, 'utf8').trim();
    } catch (e) {
      err('applicationCredential.secretFile', secretFile, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'give the path of an existing file holding the secret');
    }
    if (secret !== undefined && !SAFE.test(secret)) {
      err('applicationCredential.secretFile', secretFile, 'does not hold a one-line secret without spaces, quotes or backslashes', 'write only the secret into the file (openstack application credential create prints it once)');
    }
  }
  if (!nonEmpty(p.openstackAuthUrl) || !/^https?:\/\/[^\s"\\]+$/.test(p.openstackAuthUrl)) {
    err('openstackAuthUrl', p.openstackAuthUrl, p.openstackAuthUrl === undefined ? 'is missing (the controllers need the Keystone URL)' : 'is not an http(s) URL', "give the Keystone v3 URL, e.g. 'https://keystone.example.com:5000/v3' (OS_AUTH_URL)");
  }
  return errors;
}
