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
