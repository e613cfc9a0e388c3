/**
 * The little of the Kubernetes API that `kubebay roll` needs, over HTTPS
 * with the admin kubeconfig's client certificate: a node's Ready condition
 * and boot id (a replaced server boots with a new one).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { parse } from 'yaml';
import { FileError } from '../core/errors';

/** What `roll` knows of a node. */
export interface NodeState {
  readonly ready: boolean;
  /** `status.nodeInfo.bootID`: changes when the server behind the node is replaced. */
  readonly bootId: string;
}

/** Reads a node; `undefined` when the API has no such node. */
export type NodeReader = (name: string) => Promise<NodeState | undefined>;

interface Credentials {
  readonly server: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly token?: string;
}

/** The current context's server and credentials of a kubeconfig file (inline `*-data` or file paths). */
export function readKubeconfig(file: string): Credentials {
  const doc = parse(fs.readFileSync(file, 'utf8')) ?? {};
  const current = doc['current-context'];
  const ctx = (doc.contexts ?? []).find((c: any) => c.name === current)?.context ?? doc.contexts?.[0]?.context;
  const cluster = (doc.clusters ?? []).find((c: any) => c.name === ctx?.cluster)?.cluster;
  const user = (doc.users ?? []).find((u: any) => u.name === ctx?.user)?.user ?? {};
  if (!cluster?.server) throw new FileError(`${file}: no cluster server in the current context; pass the bay's admin kubeconfig with --kubeconfig`);
  const bytes = (data?: string, path?: string) => (data ? Buffer.from(data, 'base64') : path ? fs.readFileSync(path) : undefined);
  return {
    server: String(cluster.server).replace(/\/+$/, ''),
    ca: bytes(cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: bytes(user['client-certificate-data'], user['client-certificate']),
    key: bytes(user['client-key-data'], user['client-key']),
    token: user.token,
  };
}

/** A `NodeReader` for the cluster of a kubeconfig file; each request times out after `timeoutMs`. */
export function kubeNodeReader(kubeconfigFile: string, timeoutMs = 10_000): NodeReader {
  const c = readKubeconfig(kubeconfigFile);
  return (name) =>
    new Promise((resolve, reject) => {
      const url = new URL(`${c.server}/api/v1/nodes/${encodeURIComponent(name)}`);
      // http: for `kubectl proxy` (http://127.0.0.1:8001); otherwise the API's TLS with the kubeconfig's CA.
      const get = url.protocol === 'http:' ? http.get : https.get;
      const req = get(
        url,
        { ca: c.ca, cert: c.cert, key: c.key, headers: c.token ? { authorization: `Bearer ${c.token}` } : {}, timeout: timeoutMs },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (body += d));
          res.on('end', () => {
            if (res.statusCode === 404) return resolve(undefined);
            if (res.statusCode !== 200) return reject(new Error(`GET ${url.pathname}: HTTP ${res.statusCode}`));
            try {
              resolve(nodeState(JSON.parse(body)));
            } catch (e) {
              reject(e);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
    });
}

/** Ready condition and boot id of a Node object. */
export function nodeState(node: any): NodeState {
  const ready = (node?.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  return { ready, bootId: String(node?.status?.nodeInfo?.bootID ?? '') };
}

/**
 * POSTs `body` (JSON) to `apiPath` (e.g. `/api/v1/namespaces/kube-system/secrets`)
 * with a kubeconfig's credentials; rejects (an Error with `status`) with the
 * HTTP status and the API's message unless it answers 201.
 */
export function createObject(kubeconfigFile: string, apiPath: string, body: unknown, timeoutMs = 10_000): Promise<void> {
  return send('POST', kubeconfigFile, apiPath, body, timeoutMs);
}

/**
 * Creates `body` in the collection `apiPath`, or replaces the object of the
 * same name (PUT, unconditional) when it exists (HTTP 409).
 */
export async function applyObject(kubeconfigFile: string, apiPath: string, body: { metadata: { name: string } }, timeoutMs = 10_000): Promise<void> {
  try {
    await send('POST', kubeconfigFile, apiPath, body, timeoutMs);
  } catch (e) {
    if ((e as { status?: number }).status !== 409) throw e;
    await send('PUT', kubeconfigFile, `${apiPath}/${encodeURIComponent(body.metadata.name)}`, body, timeoutMs);
  }
}

function send(method: 'POST' | 'PUT', kubeconfigFile: string, apiPath: string, body: unknown, timeoutMs: number): Promise<void> {
  const c = readKubeconfig(kubeconfigFile);
  const url = new URL(`${c.server}${apiPath}`);
  const data = JSON.stringify(body);
  const request = url.protocol === 'http:' ? http.request : https.request;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) };
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca: c.ca, cert: c.cert, key: c.key, headers, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        if (res.statusCode === 201 || (method === 'PUT' && res.statusCode === 200)) return resolve();
        let message = text.slice(0, 300);
        try {
          message = JSON.parse(text).message ?? message;
        } catch {
          // not JSON: the raw text
        }
        reject(Object.assign(new Error(`${method} ${url.pathname}: HTTP ${res.statusCode}: ${message}`), { status: res.statusCode }));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}
