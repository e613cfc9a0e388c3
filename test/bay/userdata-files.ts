/**
 * Reading the user data of synthesized bays in tests: the cloud-config of a
 * HOT server (first master, other masters, minions) and of a Terraform
 * server, with its files by path (gz+b64 files decoded).
 */
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';

export interface CloudConfigFiles {
  /** The whole `#cloud-config` text (HOT: placeholders; Terraform: HCL-unquoted, `${...}` kept). */
  readonly text: string;
  /** Content of each write_files entry, by path. */
  readonly files: Map<string, string>;
}

/**
 * The `str_replace` of a HOT server's `user_data`: `first`, the first
 * master's branch of the masters' `if`; `deployTime`, the deploy-time
 * rendering (the `registries_default` condition's else branch), else the one
 * rendered with the props.
 */
export function hotUserData(userData: any, first = true, deployTime = false): { template: string; params: Record<string, any> } {
  let v = userData;
  if (v.if && v.if[0] !== 'registries_default') v = v.if[first ? 1 : 2];
  if (v.if && v.if[0] === 'registries_default') v = v.if[deployTime ? 2 : 1];
  return v.str_replace;
}

/** The cloud-config of a HOT server's `user_data` (see {@link hotUserData}). */
export function hotCloudConfig(userData: any, first = true, deployTime = false): CloudConfigFiles {
  return files(hotUserData(userData, first, deployTime).template);
}

/**
 * The cloud-config of a Terraform server's `user_data`: a plain string, or an
 * HCL conditional of HCL-quoted texts (masters: the first master's branch).
 * Interpolations become `x`.
 */
export function tfCloudConfig(userData: string): CloudConfigFiles {
  if (userData.startsWith('#cloud-config')) return files(userData);
  const start = userData.indexOf('"#cloud-config') + 1;
  const end = userData.indexOf('" : "#cloud-config', start);
  const quoted = userData.slice(start, end > 0 ? end : userData.lastIndexOf('"'));
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
  return files(blankInterpolations(quoted).replace(/\\(["\\nrt])/g, (_m, c: string) => escapes[c] ?? c));
}

/** Every `${...}` (nested braces included) replaced by `x`. */
function blankInterpolations(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      out += 'x';
      i = j;
    } else out += text[i];
  }
  return out;
}

function files(text: string): CloudConfigFiles {
  const cloudConfig = parse(blankInterpolations(text));
  const out = new Map<string, string>();
  for (const f of cloudConfig.write_files) {
    out.set(f.path, f.encoding === 'gz+b64' ? gunzipSync(Buffer.from(f.content, 'base64')).toString('utf8') : f.content);
  }
  return { text, files: out };
}
