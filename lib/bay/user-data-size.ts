/**
 * Nova refuses user data whose base64 exceeds 65,535 bytes. The user data is
 * only complete at deploy time, so the bay estimates its size at synth time
 * from what it knows: the rendered text, the literal values, the sizes of the
 * secret files, and generous sizes for deploy-time values (a Heat signal
 * command, ids, addresses). The bootstrap script is gzipped at render time,
 * so it is counted as the bytes sent; its deploy-time values sit as
 * placeholders in its plain environment file and count like the others.
 * The first master with RSA-4096 keys, a volume, a 2-certificate CA bundle
 * and the cloud add-ons is the largest, about 61 KB of the 65,535
 * (scripts/check-userdata.mjs measures it): a larger CA bundle can push it over.
 */
import * as fs from 'node:fs';
import { ParamRef, SecretRef, Value } from '../core/expr';
import { placeholderPattern } from '../core/placeholder';

export const NOVA_USER_DATA_LIMIT = 65535;

/** Upper estimates of deploy-time values, in bytes (WC_NOTIFY: a Heat `curl_cli` with its token). */
const DEPLOY_TIME: Readonly<Record<string, number>> = {
  WC_NOTIFY: 700,
  VOLUME_ID: 36,
  CLOUD_SUBNET_ID: 36,
  API_VIP: 15,
  API_PUBLIC_ADDRESS: 15,
};
const UNKNOWN = 64;

function valueSize(name: string, v: Value): number {
  if (typeof v === 'string' || typeof v === 'number') return String(v).length;
  if (v instanceof SecretRef) {
    const bytes = v.secret.props.size ?? fs.statSync(v.secret.props.file).size;
    return (v.secret.props.encoding ?? 'base64') === 'base64' ? Math.ceil(bytes / 3) * 4 : bytes;
  }
  if (v instanceof ParamRef && DEPLOY_TIME[name] === undefined) return String(v.param.props.default).length;
  return DEPLOY_TIME[name] ?? UNKNOWN;
}

/** Estimated base64 size of `text` once every `@@NAME@@` is replaced by its value. */
export function estimatedBase64Size(text: string, values: Readonly<Record<string, Value>>): number {
  let size = Buffer.byteLength(text, 'utf8');
  for (const m of text.matchAll(placeholderPattern())) size += valueSize(m[1], values[m[1]]) - m[0].length;
  return Math.ceil(size / 3) * 4;
}
