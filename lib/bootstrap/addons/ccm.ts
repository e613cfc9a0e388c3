/**
 * OpenStack cloud-controller-manager, after the upstream release manifests
 * `manifests/controller-manager/{cloud-controller-manager-roles,
 * cloud-controller-manager-role-bindings,openstack-cloud-controller-manager-ds}.yaml`
 * (Apache-2.0). kubebay's changes: `CLUSTER_NAME` is the bay's name (the CCM
 * names the Octavia load balancers of Services after it, so two bays in one
 * project do not collide); `--cloud-config` reads the kube-system Secret
 * `cloud-config` written by the first master.
 */
import { ADDON_IMAGES, CLOUD_CONFIG_MOUNT, CLOUD_CONFIG_SECRET } from './versions';
import { K8sObject, clusterRole, clusterRoleBinding, rule, serviceAccount } from './rbac';

const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';

function roles(): K8sObject[] {
  const events = rule('', ['events'], ['create', 'patch', 'update']);
  const nodes = [rule('', ['nodes'], ['*']), rule('', ['nodes/status'], ['patch'])];
  return [
    clusterRole('system:cloud-controller-manager', [
      rule('coordination.k8s.io', ['leases'], ['get', 'create', 'update']),
      events,
      ...nodes,
      rule('', ['services'], ['list', 'patch', 'update', 'watch']),
      rule('', ['services/status'], ['patch']),
      rule('', ['serviceaccounts'], ['create', 'get']),
      rule('', ['serviceaccounts/token'], ['create']),
      rule('', ['persistentvolumes'], ['*']),
      rule('', ['endpoints'], ['create', 'get', 'list', 'watch', 'update']),
      rule('', ['configmaps'], ['get', 'list', 'watch']),
      rule('', ['secrets'], ['list', 'get', 'watch']),
    ]),
    clusterRole('system:cloud-node-controller', [...nodes, events]),
    clusterRoleBinding('system:cloud-node-controller', 'system:cloud-node-controller', 'cloud-node-controller'),
    clusterRoleBinding('system:cloud-controller-manager', 'system:cloud-controller-manager', 'cloud-controller-manager'),
  ];
}

function daemonSet(clusterName: string): K8sObject {
  const labels = { 'k8s-app': 'openstack-cloud-controller-manager' };
  const hostPath = (name: string, path: string) => ({ name, hostPath: { path, type: 'DirectoryOrCreate' } });
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'openstack-cloud-controller-manager', namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { [CONTROL_PLANE]: '' },
          securityContext: { runAsUser: 1001 },
          tolerations: [
            { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
            { key: CONTROL_PLANE, effect: 'NoSchedule' },
          ],
          serviceAccountName: 'cloud-controller-manager',
          containers: [
            {
              name: 'openstack-cloud-controller-manager',
              image: ADDON_IMAGES.cloudControllerManager,
              args: [
                '/bin/openstack-cloud-controller-manager',
                '--v=1',
                '--cluster-name=$(CLUSTER_NAME)',
                '--cloud-config=$(CLOUD_CONFIG)',
                '--cloud-provider=openstack',
                '--use-service-account-credentials=false',
                '--bind-address=127.0.0.1',
              ],
              volumeMounts: [
                { mountPath: '/etc/kubernetes/pki', name: 'k8s-certs', readOnly: true },
                { mountPath: '/etc/ssl/certs', name: 'ca-certs', readOnly: true },
                { mountPath: CLOUD_CONFIG_MOUNT, name: 'cloud-config-volume', readOnly: true },
              ],
              resources: { requests: { cpu: '200m' } },
              env: [
                { name: 'CLOUD_CONFIG', value: `${CLOUD_CONFIG_MOUNT}/cloud.conf` },
                { name: 'CLUSTER_NAME', value: clusterName },
              ],
            },
          ],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: true,
          volumes: [
            hostPath('k8s-certs', '/etc/kubernetes/pki'),
            hostPath('ca-certs', '/etc/ssl/certs'),
            { name: 'cloud-config-volume', secret: { secretName: CLOUD_CONFIG_SECRET } },
          ],
        },
      },
    },
  };
}

/** The CCM's objects: RBAC, service account, DaemonSet on the control-plane nodes. */
export function cloudControllerManagerObjects(clusterName: string): K8sObject[] {
  return [...roles(), serviceAccount('cloud-controller-manager'), daemonSet(clusterName)];
}
