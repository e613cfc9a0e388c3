/**
 * PKI of a bay: CAs, service-account keys, admin client certificate,
 * bootstrap token and kubeconfig, generated once and persisted by `PkiStore`.
 */
export * from './keys';
export * from './certs';
export * from './token';
export * from './discovery';
export * from './kubeconfig';
export * from './store';
export * from './store/transfer';

import { BayPki, PkiOptions, PkiStore } from './store';

/**
 * A bay's material from the store in `dir` (generated and written there on
 * first use, reused byte for byte afterwards): what a `KubernetesBay` uses
 * when it is given no `pki` prop.
 */
export function loadBayPki(dir: string, bayName: string, opts: PkiOptions = {}): BayPki {
  return new PkiStore(dir).loadOrCreate(bayName, opts);
}
