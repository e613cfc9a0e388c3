/**
 * What the bootstrap does for the cloud integration: the cloud's CA bundle
 * (every role), and on the first master the controllers' cloud.conf Secret
 * and the add-on manifests (OpenStack CCM, Cinder CSI).
 */
import { ADDONS_MANIFEST, CLOUD_CONFIG_MOUNT, CLOUD_CONFIG_SECRET } from './addons';
import { addonImagesSection } from './egress';
import { UserDataOptions } from './options';
import { placeholder } from './placeholders';

/** The cloud's CA bundle in the system trust store (update-ca-certificates takes `*.crt` there). */
export const OPENSTACK_CA_PATH = '/usr/local/share/ca-certificates/kubebay-openstack-ca.crt';
/** cloud.conf of the controllers (first master, 0600): the source of the `cloud-config` Secret. */
export const CLOUD_CONF_PATH = '/etc/kubernetes/cloud-config/cloud.conf';
/** The add-on manifest the first master applies (CCM, Cinder CSI). */
export const ADDONS_PATH = `/etc/kubernetes/addons/${ADDONS_MANIFEST}`;

/** The first master sets up the controllers' credentials and add-ons. */
export function usesCloudConfig(opts: UserDataOptions): boolean {
  return opts.role === 'first-master' && (opts.cloudControllerManager === true || opts.cinderCsi === true);
}

/**
 * cloud.conf (gcfg) of the CCM and the Cinder CSI plugin: application
 * credential, region, the CA bundle (as `ca.crt` of the same Secret) and the
 * bay subnet for Service load balancers. Values are double-quoted: a secret
 * may hold `;` or `#`, and placeholders never contain `"` or `\`.
 */
export function cloudConf(opts: UserDataOptions): string {
  const q = (name: Parameters<typeof placeholder>[0]) => `"${placeholder(name)}"`;
  return [
    '[Global]',
    `auth-url=${q('OPENSTACK_AUTH_URL')}`,
    `application-credential-id=${q('APPLICATION_CREDENTIAL_ID')}`,
    `application-credential-secret=${q('APPLICATION_CREDENTIAL_SECRET')}`,
    `region=${q('OPENSTACK_REGION')}`,
    ...(opts.openstackCa ? [`ca-file="${CLOUD_CONFIG_MOUNT}/ca.crt"`] : []),
    '',
    '[LoadBalancer]',
    `subnet-id=${q('CLOUD_SUBNET_ID')}`,
    '',
  ].join('\n');
}

/**
 * Installs the CA bundle (written by cloud-init) into the system trust store
 * before anything calls the cloud. Without update-ca-certificates (no
 * ca-certificates package yet), the package's own postinst picks the file
 * up when the packages step installs it.
 */
export function caSection(): string {
  return String.raw`log "OpenStack CA bundle"
if command -v update-ca-certificates >/dev/null; then update-ca-certificates; fi
`;
}

/** First master, after the pod network: the `cloud-config` Secret, then the add-ons. */
export function addonsSection(opts: UserDataOptions): string {
  if (!usesCloudConfig(opts)) return '';
  const ca = opts.openstackCa ? ` --from-file=ca.crt=${OPENSTACK_CA_PATH}` : '';
  const kubectl = 'kubectl --kubeconfig "$K/admin.conf"';
  return String.raw`  log "cloud-config Secret and cloud add-ons"
  cloud_secret() {
    ${kubectl} -n kube-system create secret generic ${CLOUD_CONFIG_SECRET} \
      --from-file=cloud.conf=${CLOUD_CONF_PATH}${ca} --dry-run=client -o yaml | ${kubectl} apply -f -
  }
  retry 20 15 cloud_secret
${addonImagesSection(opts, ADDONS_PATH)}  retry 20 15 ${kubectl} apply -f ${ADDONS_PATH}
`;
}
