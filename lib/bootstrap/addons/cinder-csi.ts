/**
 * Cinder CSI plugin, after the upstream release manifests
 * `manifests/cinder-csi-plugin/{cinder-csi-controllerplugin-rbac,
 * cinder-csi-controllerplugin,cinder-csi-nodeplugin-rbac,
 * cinder-csi-nodeplugin,csi-cinder-driver}.yaml` (Apache-2.0). kubebay's
 * changes: `CLUSTER_NAME` is the bay's name; no csi-snapshotter sidecar and
 * role (kubebay installs no VolumeSnapshot CRDs); the plugin reads the
 * kube-system Secret `cloud-config` written by the first master; plus a
 * default StorageClass ({@link DEFAULT_STORAGE_CLASS}), so that
 * PersistentVolumeClaims without a class work.
 */
import { ADDON_IMAGES, CLOUD_CONFIG_MOUNT, CLOUD_CONFIG_SECRET, DEFAULT_STORAGE_CLASS } from './versions';
import { EVENTS, K8sObject, LEASES, clusterRole, clusterRoleBinding, rule, serviceAccount } from './rbac';

const DRIVER = 'cinder.csi.openstack.org';
const CONTROLLER_SA = 'csi-cinder-controller-sa';
const NODE_SA = 'csi-cinder-node-sa';
const PROXY_SOCKET_DIR = '/var/lib/csi/sockets/pluginproxy/';

function controllerRbac(): K8sObject[] {
  const pv = (verbs: string[]) => rule('', ['persistentvolumes'], verbs);
  const roles: [string, ReturnType<typeof rule>[]][] = [
    ['csi-attacher', [
      pv(['get', 'list', 'watch', 'patch']),
      rule('storage.k8s.io', ['csinodes'], ['get', 'list', 'watch']),
      rule('storage.k8s.io', ['volumeattachments'], ['get', 'list', 'watch', 'patch']),
      rule('storage.k8s.io', ['volumeattachments/status'], ['patch']),
      LEASES,
    ]],
    ['csi-provisioner', [
      pv(['get', 'list', 'watch', 'create', 'delete']),
      rule('', ['persistentvolumeclaims'], ['get', 'list', 'watch', 'update']),
      rule('storage.k8s.io', ['storageclasses'], ['get', 'list', 'watch']),
      rule('', ['nodes'], ['get', 'list', 'watch']),
      rule('storage.k8s.io', ['csinodes'], ['get', 'list', 'watch']),
      EVENTS,
      rule('snapshot.storage.k8s.io', ['volumesnapshots'], ['get', 'list']),
      rule('snapshot.storage.k8s.io', ['volumesnapshotcontents'], ['get', 'list']),
      rule('storage.k8s.io', ['volumeattachments'], ['get', 'list', 'watch']),
      LEASES,
    ]],
    ['csi-resizer', [
      pv(['get', 'list', 'watch', 'patch']),
      rule('', ['persistentvolumeclaims'], ['get', 'list', 'watch']),
      rule('', ['pods'], ['get', 'list', 'watch']),
      rule('', ['persistentvolumeclaims/status'], ['patch']),
      EVENTS,
      LEASES,
    ]],
  ];
  return [
    serviceAccount(CONTROLLER_SA),
    ...roles.flatMap(([name, rules]) => [
      clusterRole(`${name}-role`, rules),
      clusterRoleBinding(`${name}-binding`, `${name}-role`, CONTROLLER_SA),
    ]),
  ];
}

function nodeRbac(): K8sObject[] {
  return [
    serviceAccount(NODE_SA),
    clusterRole('csi-nodeplugin-role', [rule('', ['events'], ['get', 'list', 'watch', 'create', 'update', 'patch'])]),
    clusterRoleBinding('csi-nodeplugin-binding', 'csi-nodeplugin-role', NODE_SA),
  ];
}

const secretVolume = { name: 'secret-cinderplugin', secret: { secretName: CLOUD_CONFIG_SECRET } };
const secretMount = { name: 'secret-cinderplugin', mountPath: CLOUD_CONFIG_MOUNT, readOnly: true };
const healthz = { containerPort: 9808, name: 'healthz', protocol: 'TCP' };

/** A sidecar of the controller plugin talking to the plugin's socket. */
function sidecar(name: string, image: string, args: string[]): K8sObject {
  return {
    name,
    image,
    args: ['--csi-address=$(ADDRESS)', ...args],
    env: [{ name: 'ADDRESS', value: `${PROXY_SOCKET_DIR}csi.sock` }],
    imagePullPolicy: 'IfNotPresent',
    volumeMounts: [{ name: 'socket-dir', mountPath: PROXY_SOCKET_DIR }],
  };
}

/** The cinder-csi-plugin container; `cluster` for the controller (it names volumes after the cluster). */
function plugin(clusterName: string | undefined, probe: { timeoutSeconds: number; periodSeconds: number }): K8sObject {
  const env = [
    { name: 'CSI_ENDPOINT', value: 'unix://csi/csi.sock' },
    { name: 'CLOUD_CONFIG', value: `${CLOUD_CONFIG_MOUNT}/cloud.conf` },
    ...(clusterName ? [{ name: 'CLUSTER_NAME', value: clusterName }] : []),
  ];
  return {
    name: 'cinder-csi-plugin',
    image: ADDON_IMAGES.cinderCsiPlugin,
    args: [
      '/bin/cinder-csi-plugin',
      '--endpoint=$(CSI_ENDPOINT)',
      '--cloud-config=$(CLOUD_CONFIG)',
      ...(clusterName ? ['--cluster=$(CLUSTER_NAME)'] : []),
      '--v=1',
    ],
    env,
    imagePullPolicy: 'IfNotPresent',
    ports: [healthz],
    livenessProbe: { failureThreshold: 5, httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, ...probe },
  };
}

function controllerPlugin(clusterName: string): K8sObject {
  const labels = { app: 'csi-cinder-controllerplugin' };
  const timeout = '--timeout=3m';
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: 'csi-cinder-controllerplugin', namespace: 'kube-system' },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: CONTROLLER_SA,
          containers: [
            sidecar('csi-attacher', ADDON_IMAGES.csiAttacher, [timeout, '--leader-election=true', '--default-fstype=ext4']),
            sidecar('csi-provisioner', ADDON_IMAGES.csiProvisioner, [
              timeout, '--default-fstype=ext4', '--feature-gates=Topology=true', '--extra-create-metadata', '--leader-election=true',
            ]),
            sidecar('csi-resizer', ADDON_IMAGES.csiResizer, [timeout, '--handle-volume-inuse-error=false', '--leader-election=true']),
            sidecar('liveness-probe', ADDON_IMAGES.livenessProbe, []),
            {
              ...plugin(clusterName, { timeoutSeconds: 10, periodSeconds: 60 }),
              volumeMounts: [{ name: 'socket-dir', mountPath: '/csi' }, secretMount],
            },
          ],
          volumes: [{ name: 'socket-dir', emptyDir: {} }, secretVolume],
        },
      },
    },
  };
}

function nodePlugin(): K8sObject {
  const labels = { app: 'csi-cinder-nodeplugin' };
  const hostPath = (name: string, path: string, type: string) => ({ name, hostPath: { path, type } });
  const socket = { name: 'socket-dir', mountPath: '/csi' };
  return {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    metadata: { name: 'csi-cinder-nodeplugin', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          tolerations: [{ operator: 'Exists' }],
          serviceAccountName: NODE_SA,
          hostNetwork: true,
          containers: [
            {
              name: 'node-driver-registrar',
              image: ADDON_IMAGES.nodeDriverRegistrar,
              args: ['--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)'],
              env: [
                { name: 'ADDRESS', value: '/csi/csi.sock' },
                { name: 'DRIVER_REG_SOCK_PATH', value: `/var/lib/kubelet/plugins/${DRIVER}/csi.sock` },
                { name: 'KUBE_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              ],
              imagePullPolicy: 'IfNotPresent',
              volumeMounts: [socket, { name: 'registration-dir', mountPath: '/registration' }],
            },
            { name: 'liveness-probe', image: ADDON_IMAGES.livenessProbe, args: ['--csi-address=/csi/csi.sock'], volumeMounts: [socket] },
            {
              ...plugin(undefined, { timeoutSeconds: 3, periodSeconds: 10 }),
              securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] }, allowPrivilegeEscalation: true },
              volumeMounts: [
                socket,
                { name: 'kubelet-dir', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' },
                { name: 'pods-probe-dir', mountPath: '/dev', mountPropagation: 'HostToContainer' },
                secretMount,
              ],
            },
          ],
          volumes: [
            hostPath('socket-dir', `/var/lib/kubelet/plugins/${DRIVER}`, 'DirectoryOrCreate'),
            hostPath('registration-dir', '/var/lib/kubelet/plugins_registry/', 'Directory'),
            hostPath('kubelet-dir', '/var/lib/kubelet', 'Directory'),
            hostPath('pods-probe-dir', '/dev', 'Directory'),
            secretVolume,
          ],
        },
      },
    },
  };
}

function driverAndClass(): K8sObject[] {
  return [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name: DRIVER },
      spec: { attachRequired: true, podInfoOnMount: true, volumeLifecycleModes: ['Persistent', 'Ephemeral'] },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: DRIVER,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    },
  ];
}

/** The Cinder CSI objects: RBAC, controller Deployment, node DaemonSet, CSIDriver, default StorageClass. */
export function cinderCsiObjects(clusterName: string): K8sObject[] {
  return [...controllerRbac(), controllerPlugin(clusterName), ...nodeRbac(), nodePlugin(), ...driverAndClass()];
}
