import { b64 } from '../../core/encoding';
import { toYaml } from '../../core/yaml';

/** Options of {@link renderKubeconfig}. */
export interface KubeconfigOptions {
  /** Name of the cluster entry (the bay name). */
  readonly clusterName: string;
  /** API server URL, e.g. 'https://203.0.113.10:6443'. */
  readonly server: string;
  /** CA certificate of the API server (PEM). */
  readonly caCertPem: string;
  /** Client certificate (PEM). */
  readonly clientCertPem: string;
  /**
   * Client private key (PEM), or — for a template whose key is filled in at
   * deploy time — `{ data }`: the value of `client-key-data` as is.
   */
  readonly clientKeyPem: string | { readonly data: string } | { readonly file: string };
  /** Name of the user entry. @default 'kubernetes-admin' */
  readonly user?: string;
}

/**
 * Render a kubeconfig (YAML) with one cluster, one user and the context
 * `<user>@<clusterName>` as current context; certificates and key are
 * embedded as base64 `*-data` fields; the key may instead be a path
 * (`client-key`), so that the kubeconfig holds no private key.
 */
export function renderKubeconfig(opts: KubeconfigOptions): string {
  const user = opts.user ?? 'kubernetes-admin';
  const context = `${user}@${opts.clusterName}`;
  return toYaml(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: opts.clusterName, cluster: { 'certificate-authority-data': b64(opts.caCertPem), server: opts.server } }],
      contexts: [{ name: context, context: { cluster: opts.clusterName, user } }],
      'current-context': context,
      preferences: {},
      users: [{ name: user, user: { 'client-certificate-data': b64(opts.clientCertPem), ...clientKey(opts.clientKeyPem) } }],
    },
  );
}

function clientKey(key: KubeconfigOptions['clientKeyPem']): Record<string, string> {
  if (typeof key === 'string') return { 'client-key-data': b64(key) };
  return 'file' in key ? { 'client-key': key.file } : { 'client-key-data': key.data };
}
