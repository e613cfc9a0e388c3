/**
 * Compute and storage kinds of a node: server, Cinder volume and its
 * attachment, server group; and the Heat wait condition a node signals when
 * its kubelet is up (HOT only: Terraform has no equivalent).
 */
import type {
  blockstorageVolumeV3 as vol,
  computeInstanceV2 as server,
  computeServergroupV2 as sg,
  computeVolumeAttachV2 as attach,
  dataOpenstackImagesImageV2 as dataImage,
} from '../../.gen/providers/openstack';
import { Value } from '../core/expr';
import { defineKind } from '../core/kind';

export interface ServerProps {
  readonly name: Value;
  readonly image: Value;
  readonly flavor: Value;
  readonly keyName: Value;
  readonly port: Value;
  readonly userData: Value;
  readonly serverGroup?: Value;
  /** Nova availability zone. @default - the cloud's default */
  readonly availabilityZone?: Value;
  /**
   * Boot from a new Cinder volume made from the image (deleted with the
   * server) instead of the flavor's disk. `imageId`: an image lookup's id
   * (Terraform needs the id; HOT resolves the name). `type`: Terraform only.
   * @default - boot from the image on the flavor's disk
   */
  readonly bootVolume?: { readonly imageId: Value; readonly size: Value; readonly type?: Value };
  /** Terraform create timeout in minutes; HOT uses the stack timeout. @default - none */
  readonly createTimeoutMinutes?: number;
  /**
   * HOT `user_data_update_policy`: 'REPLACE' the server when its user data
   * changes, or 'IGNORE' the change. Terraform always ignores user-data
   * drift (`kubebay roll` replaces servers). @default - Heat's default, REPLACE
   */
  readonly userDataUpdatePolicy?: Value;
}

/** Terraform attributes of a server whose changes wait for `kubebay roll` (`lifecycle.ignore_changes`). */
const ROLLED_ATTRIBUTES = ['user_data', 'image_name', 'flavor_name', 'key_pair'] as const;

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Nova::Server
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/compute_instance_v2
 */
export const SERVER = defineKind<ServerProps>({
  name: 'server',
  hot: {
    type: 'OS::Nova::Server',
    properties: (p) => ({
      name: p.name,
      image: p.bootVolume ? undefined : p.image,
      block_device_mapping_v2: p.bootVolume && [
        // Heat's block_device_mapping_v2 has no volume_type: the bay's validation refuses bootVolumeType for HOT.
        { image: p.bootVolume.imageId, boot_index: 0, volume_size: p.bootVolume.size, delete_on_termination: true },
      ],
      flavor: p.flavor,
      key_name: p.keyName,
      networks: [{ port: p.port }],
      user_data_format: 'RAW',
      // A new image replaces the server (a clean first boot that runs the user data), in the group's rolling batches; Heat's default rebuilds it.
      image_update_policy: 'REPLACE',
      user_data: p.userData,
      user_data_update_policy: p.userDataUpdatePolicy,
      scheduler_hints: p.serverGroup === undefined ? undefined : { group: p.serverGroup },
      availability_zone: p.availabilityZone,
    }),
  },
  tf: {
    type: 'openstack_compute_instance_v2',
    config: (p): server.ComputeInstanceV2Config => ({
      name: p.name,
      imageName: p.bootVolume ? undefined : p.image,
      blockDevice: p.bootVolume && [
        {
          uuid: p.bootVolume.imageId,
          sourceType: 'image',
          destinationType: 'volume',
          bootIndex: 0,
          volumeSize: p.bootVolume.size,
          volumeType: p.bootVolume.type,
          deleteOnTermination: true,
        },
      ],
      flavorName: p.flavor,
      keyPair: p.keyName,
      network: [{ port: p.port }],
      userData: p.userData,
      schedulerHints: p.serverGroup === undefined ? undefined : [{ group: p.serverGroup }],
      availabilityZone: p.availabilityZone,
      timeouts: p.createTimeoutMinutes ? { create: `${p.createTimeoutMinutes}m` } : undefined,
      // user_data, image and key pair are ForceNew, a flavor change resizes
      // (reboots) in place: a plan must never replace or reboot every server
      // at once (kubernetes_version, a new CA, a new image ...). They reach a
      // server when `kubebay roll` replaces it (README "Day 2").
      lifecycle: { ignoreChanges: [...ROLLED_ATTRIBUTES] },
    }),
  },
});

/**
 * A Glance image looked up by name: HOT passes the name through (Heat
 * resolves it); Terraform reads the newest image of that name (a data source).
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/data-sources/images_image_v2
 */
export const IMAGE_LOOKUP = defineKind<{ name: Value }>({
  name: 'image',
  hot: { passThrough: (p) => p.name },
  tf: {
    type: 'openstack_images_image_v2',
    dataSource: true,
    config: (p): dataImage.DataOpenstackImagesImageV2Config => ({ name: p.name, mostRecent: true }),
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Nova::ServerGroup
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/compute_servergroup_v2
 */
export const SERVER_GROUP = defineKind<{ name: Value; policy: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity' }>({
  name: 'server-group',
  hot: { type: 'OS::Nova::ServerGroup', properties: (p) => ({ name: p.name, policies: [p.policy] }) },
  tf: {
    type: 'openstack_compute_servergroup_v2',
    config: (p): sg.ComputeServergroupV2Config => ({ name: p.name, policies: [p.policy] }),
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Cinder::Volume
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/blockstorage_volume_v3
 */
export const VOLUME = defineKind<{ name: Value; size: Value; volumeType?: Value; availabilityZone?: Value }>({
  name: 'volume',
  hot: {
    type: 'OS::Cinder::Volume',
    properties: (p) => ({ name: p.name, size: p.size, volume_type: p.volumeType, availability_zone: p.availabilityZone }),
  },
  tf: {
    type: 'openstack_blockstorage_volume_v3',
    config: (p): vol.BlockstorageVolumeV3Config => ({
      name: p.name,
      size: p.size,
      volumeType: p.volumeType,
      availabilityZone: p.availabilityZone,
    }),
  },
});

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Cinder::VolumeAttachment
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/compute_volume_attach_v2
 */
export const VOLUME_ATTACHMENT = defineKind<{ server: Value; volume: Value }>({
  name: 'volume-attachment',
  hot: { type: 'OS::Cinder::VolumeAttachment', properties: (p) => ({ instance_uuid: p.server, volume_id: p.volume }) },
  tf: {
    type: 'openstack_compute_volume_attach_v2',
    config: (p): attach.ComputeVolumeAttachV2Config => ({ instanceId: p.server, volumeId: p.volume }),
  },
});

const NO_WAIT =
  'Terraform has no wait condition: `terraform apply` returns when the servers exist, not when their kubelets are up';

/**
 * Attribute `curlCli`: the command prefix a node runs to signal (Terraform: `true`, a no-op).
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Heat::WaitConditionHandle
 */
export const WAIT_HANDLE = defineKind<Record<string, never>>({
  name: 'wait-condition-handle',
  hot: { type: 'OS::Heat::WaitConditionHandle', properties: () => ({}), attrs: { curlCli: ['curl_cli'] } },
  tf: { omitted: NO_WAIT, attrs: { curlCli: 'true' } },
});

/**
 * Attribute `data`: the signals received so far, JSON `{"<signal id>": <data>}`.
 * `deletion_policy: Retain`: deleting a wait condition (Heat replaces one whose
 * timeout changed or that failed) would otherwise empty its handle's signals,
 * which {@link SERVER_WAIT_CONDITION} counts; a wait condition owns nothing
 * outside Heat, so retaining it leaves nothing behind.
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Heat::WaitCondition
 */
export const WAIT_CONDITION = defineKind<{ handle: Value; timeout: Value }>({
  name: 'wait-condition',
  hot: { type: 'OS::Heat::WaitCondition', properties: (p) => ({ handle: p.handle, timeout: p.timeout, count: 1 }), deletionPolicy: 'Retain' },
  tf: { omitted: NO_WAIT, attrs: {} },
});

/**
 * yaql of {@link SERVER_WAIT_CONDITION}'s `count`: 1 + the number of servers
 * other than the current one that signalled the handle (a node signals under
 * its server's UUID, cloud-init's instance id; signals without an id, such as
 * those of nodes booted from older kubebay user data, are numbered by Heat and
 * do not count).
 */
export const SERVER_SIGNAL_COUNT =
  "let(server => $.data.server) -> regex('(?<=\")[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\": )')" +
  ".searchAll($.data.signals or '{}').where($ != $server).distinct().len() + 1";

/**
 * The wait condition of a node's current server, re-armed whenever the
 * server is replaced. A handle keeps every signal it received and Heat cannot
 * replace one with the server it serves (a handle has no property to key it
 * on), so the count grows instead: `count` is {@link SERVER_SIGNAL_COUNT} of
 * the signals so far (`signals`, the first-boot wait condition's `data`) and
 * the server's id. Unchanged while the server is; when an update replaces the
 * server it becomes one more than the servers that signalled before, and the
 * update waits (`count` is updated in place, which restarts the wait) for the
 * new server's own signal, or fails at `timeout`.
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Heat::WaitCondition
 */
export const SERVER_WAIT_CONDITION = defineKind<{ handle: Value; timeout: Value; signals: Value; server: Value }>({
  name: 'server-wait-condition',
  hot: {
    type: 'OS::Heat::WaitCondition',
    properties: (p) => ({
      handle: p.handle,
      timeout: p.timeout,
      count: { yaql: { expression: SERVER_SIGNAL_COUNT, data: { signals: p.signals, server: p.server } } },
    }),
    deletionPolicy: 'Retain',
  },
  tf: { omitted: NO_WAIT, attrs: {} },
});
