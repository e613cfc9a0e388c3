/**
 * The bootstrap environment file: the deploy-time values the bootstrap
 * script needs, as a small plain shell file the script sources.
 *
 * The script itself is fixed at synth time, so it can be written gzipped
 * (cloud-init `encoding: gz+b64`): Nova's 65,535-byte user-data limit is
 * mostly taken by key material. Every deploy-time value the script reads
 * (`@@NAME@@` placeholders, substituted by HOT `str_replace` / Terraform
 * `replace()`) lives here instead, one line each:
 *
 *     KUBEBAY_API_VIP='@@API_VIP@@'
 *     kubebay_notify() { @@WC_NOTIFY@@ "$@"; }
 *
 * Values sit in single quotes, as they did in the script: the placeholders
 * the script may read are addresses, numbers, ids, a version, an image prefix
 * and registry hosts, constrained
 * by their HOT parameters / Terraform variables (none admits a quote). The
 * wait-condition command (a shell command prefix with its own quoting) is the
 * body of a function.
 */
import { Placeholder, placeholder } from './placeholders';

/** Where cloud-init writes the environment file (0600: the Heat signal URL carries a token). */
export const BOOTSTRAP_ENV_PATH = '/etc/kubebay/bootstrap.env';

/** The shell function that signals the wait condition (defined by the environment file). */
export const NOTIFY_FUNCTION = 'kubebay_notify';

/** The placeholders the script may read, as `$KUBEBAY_<NAME>` variables. */
export const SCRIPT_VALUES = [
  'API_VIP',
  'KUBERNETES_PORT',
  'KUBERNETES_VERSION',
  'VOLUME_ID',
  'WAIT_CONDITION_TIMEOUT',
  'CONTAINER_INFRA_PREFIX',
  'INSECURE_REGISTRY_URL',
] as const satisfies readonly Placeholder[];

/** A placeholder the script reads through the environment file. */
export type ScriptValue = (typeof SCRIPT_VALUES)[number];

/** The shell variable of a value (upper case: shellcheck takes it for an environment variable). */
export function envVar(name: ScriptValue): string {
  return `KUBEBAY_${name}`;
}

/** How the script reads a value: `$KUBEBAY_<NAME>`. */
export function envRef(name: ScriptValue): string {
  return `$${envVar(name)}`;
}

/**
 * The environment file for `script`: exactly the variables it references
 * (and the notify function when it calls it), so each role's user data only
 * carries the placeholders that role uses.
 */
export function bootstrapEnv(script: string): string {
  const lines = ['# kubebay: deploy-time values, sourced by the bootstrap script'];
  for (const name of SCRIPT_VALUES) {
    if (new RegExp(`\\$${envVar(name)}\\b`).test(script)) lines.push(`${envVar(name)}='${placeholder(name)}'`);
  }
  if (script.includes(NOTIFY_FUNCTION)) lines.push(`${NOTIFY_FUNCTION}() { ${placeholder('WC_NOTIFY')} "$@"; }`);
  return `${lines.join('\n')}\n`;
}

/** The script's first lines after `set`: source the environment file. */
export function sourceEnv(): string {
  return `# shellcheck source=/dev/null\n. ${BOOTSTRAP_ENV_PATH}\n`;
}
