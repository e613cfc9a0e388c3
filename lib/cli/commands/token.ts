/**
 * `kubebay token create`: opens a window in which nodes added or replaced
 * later can join, by giving a bootstrap token a new expiry in the cluster (a
 * `bootstrap-token-<id>` Secret, created or replaced through the API with the
 * admin kubeconfig).
 *
 * By default it re-arms the token already in the bay's PKI store (and so in
 * every node's user data): no user data changes, nothing is replaced.
 * `--rotate` makes a new token instead (e.g. after a leak) and records it in
 * the store, where the next synth takes it for the user data: Terraform
 * servers ignore that drift (new and replaced servers get it); Heat replaces
 * every node on the next stack update.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TOKEN_TTL, PkiStore, bootstrapTokenSecret, generateBootstrapToken, parseTokenTtl } from '../../pki';
import { applyObject } from '../../roll';
import { loadConfig } from '../config';
import { CliIo, UsageError } from '../io';

export interface TokenCreateOptions {
  readonly config: string;
  /** The bay's admin kubeconfig. @default - $KUBECONFIG */
  readonly kubeconfig?: string;
  /** Lifetime of the token from now. @default '24h' */
  readonly ttl?: string;
  /** A new token (recorded in the store) instead of re-arming the store's. @default false */
  readonly rotate?: boolean;
  /** Current time (tests). @default - now */
  readonly now?: Date;
}

const SECRETS = '/api/v1/namespaces/kube-system/secrets';

export async function tokenCreateCommand(opts: TokenCreateOptions, io: CliIo): Promise<number> {
  const config = loadConfig(opts.config);
  const bay = config.props.name;
  const store = new PkiStore(config.props.pkiDir);
  if (!store.exists(bay)) throw new UsageError(`bay "${bay}" has no PKI store in ${store.rootDir}: synthesize and deploy it first`);
  const kubeconfig = opts.kubeconfig ?? process.env.KUBECONFIG;
  if (!kubeconfig) throw new UsageError(`token create talks to the Kubernetes API: pass the bay's admin kubeconfig with --kubeconfig FILE (or set KUBECONFIG)`);
  let seconds: number;
  try {
    seconds = parseTokenTtl(opts.ttl ?? DEFAULT_TOKEN_TTL);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const token = opts.rotate ? generateBootstrapToken() : storedToken(store, bay);
  const secret = await armToken(kubeconfig, token, seconds, opts.now);
  if (opts.rotate) store.replaceBootstrapToken(bay, token);
  const until = (secret.stringData as { expiration: string }).expiration;
  const out = (line: string) => io.stdout.write(`kubebay token: ${line}\n`);
  if (!opts.rotate) {
    out(`bootstrap token ${token.split('.')[0]} of bay "${bay}" (the one in the nodes' user data) is valid until ${until}`);
    out('add or replace nodes before then; nothing else changes');
    return 0;
  }
  out(`created bootstrap token ${token.split('.')[0]} of bay "${bay}", valid until ${until}, recorded in the PKI store`);
  out('synthesize again, then add or replace nodes before it expires');
  out('Terraform: existing servers keep their user data (drift ignored); new and replaced ones join with this token');
  out("Heat: the token is in every node's user data, so the next stack update with the new files replaces the nodes (rolling update)");
  out('the previous token stays valid until its own expiry (kubeadm token delete <id> on a master revokes it)');
  return 0;
}

/** The bootstrap token in the bay's store (the one in its nodes' user data). */
function storedToken(store: PkiStore, bay: string): string {
  return fs.readFileSync(path.join(store.dir(bay), 'bootstrap-token'), 'utf8').trim();
}

/** Creates or replaces the token's Secret, valid for `seconds` from `now`; a UsageError if the cluster refuses. */
async function armToken(kubeconfig: string, token: string, seconds: number, now = new Date()): Promise<Record<string, unknown>> {
  const secret = bootstrapTokenSecret(token, new Date(now.getTime() + seconds * 1000));
  try {
    await applyObject(kubeconfig, SECRETS, secret as { metadata: { name: string } });
  } catch (e) {
    throw new UsageError(`the cluster did not take the token (${(e as Error).message}); the store keeps its token`);
  }
  return secret;
}

/**
 * Before nodes are replaced (`kubebay roll`): re-arms the store's token for
 * `ttl` so that the replacements can join, and returns its new expiry; or
 * says why not (a bay whose token never expires, or no store here).
 */
export async function rearmStoredToken(pkiDir: string, bay: string, kubeconfig: string, ttl = DEFAULT_TOKEN_TTL): Promise<{ until?: string; skipped?: string }> {
  const store = new PkiStore(pkiDir);
  if (!store.exists(bay)) return { skipped: `bay "${bay}" has no PKI store in ${store.rootDir}` };
  const secret = await armToken(kubeconfig, storedToken(store, bay), parseTokenTtl(ttl));
  return { until: (secret.stringData as { expiration: string }).expiration };
}
