/**
 * Removing a master's etcd member before its server is replaced, through
 * the Kubernetes API (`kubectl exec` into a surviving master's etcd static
 * pod, with the admin kubeconfig): the replacement joins as a new member,
 * and the cluster never counts a dead member towards its quorum.
 */

/** Runs a command; resolves with its exit status and output. */
export type CommandRunner = (command: string, args: readonly string[], cwd?: string) => Promise<CommandResult>;

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Removes the etcd member named `member` using `survivor`'s etcd pod; resolves to the removed member id, or undefined when none had that name. */
export type EtcdMemberRemover = (member: string, survivor: string) => Promise<string | undefined>;

const ETCD_PKI = '/etc/kubernetes/pki/etcd';
const ETCDCTL = [
  'etcdctl',
  '--endpoints=https://127.0.0.1:2379',
  `--cacert=${ETCD_PKI}/ca.crt`,
  `--cert=${ETCD_PKI}/healthcheck-client.crt`,
  `--key=${ETCD_PKI}/healthcheck-client.key`,
];

/** The hex id of the member named `name` in `etcdctl member list` (simple format) output. */
export function memberId(list: string, name: string): string | undefined {
  for (const line of list.split('\n')) {
    const f = line.split(',').map((x) => x.trim());
    if (f.length >= 3 && f[2] === name && /^[0-9a-f]+$/.test(f[0])) return f[0];
  }
  return undefined;
}

/** An `EtcdMemberRemover` that runs `kubectl` with `kubeconfig`. */
export function kubectlEtcdRemover(kubeconfig: string, run: CommandRunner, kubectl = 'kubectl'): EtcdMemberRemover {
  const exec = async (survivor: string, args: string[]) => {
    const r = await run(kubectl, ['--kubeconfig', kubeconfig, '-n', 'kube-system', 'exec', `etcd-${survivor}`, '--', ...ETCDCTL, ...args]);
    if (r.code !== 0) throw new Error(`etcdctl ${args.join(' ')} in etcd-${survivor} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
  };
  return async (member, survivor) => {
    const id = memberId(await exec(survivor, ['member', 'list']), member);
    if (id) await exec(survivor, ['member', 'remove', id]);
    return id;
  };
}
