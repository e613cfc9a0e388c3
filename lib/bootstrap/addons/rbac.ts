/** Small builders for the RBAC objects of the add-on manifests. */
export type K8sObject = Record<string, unknown>;

export interface Rule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

/** A rule on the core API group (`''`) or another group. */
export function rule(group: string, resources: string[], verbs: string[]): Rule {
  return { apiGroups: [group], resources, verbs };
}

export function serviceAccount(name: string): K8sObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'kube-system' } };
}

export function clusterRole(name: string, rules: Rule[]): K8sObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules };
}

/** ClusterRoleBinding of `role` to the kube-system service account `account`. */
export function clusterRoleBinding(name: string, role: string, account: string): K8sObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: account, namespace: 'kube-system' }],
  };
}

/** The leases rule of leader-electing sidecars. */
export const LEASES = rule('coordination.k8s.io', ['leases'], ['get', 'watch', 'list', 'delete', 'update', 'create']);
/** The events rule of the sidecars. */
export const EVENTS = rule('', ['events'], ['list', 'watch', 'create', 'update', 'patch']);
