/**
 * Magnum-grade options of the default groups and the load balancers
 * (placement, volumes, images, Octavia): validation and the parameters
 * they add. An option left unset adds no parameter and no property, so the
 * outputs of a bay without it stay as they were.
 */
import { BayParameterProps } from '../core/model';
import { DEFAULT_LB_ALGORITHM } from '../loadbalancer/kinds';
import { ResolvedBayProps } from './defaults';
import { AFFINITY_POLICIES, Reporter } from './node-groups';
import { AffinityPolicy } from './props';
import { fixedParameter } from './specs';

export { validateComponents } from './components';

const OCTAVIA_LB_ALGORITHMS = ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT'] as const;

/** Parameters of the options that are set (Magnum's names). */
export function optionParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  const out: Record<string, BayParameterProps> = {};
  const text = (name: string, description: string, value: string | undefined) => {
    if (value !== undefined) out[name] = { type: 'string', description, default: value, constraints: { pattern: '.+', description: 'must not be empty' } };
  };
  text('availability_zone', 'Nova and Cinder availability zone of the masters, the minions and their volumes', c.availabilityZone);
  text('docker_volume_type', 'Cinder volume type of the container-storage volumes', c.dockerVolumeType);
  text('master_image', 'Glance image of the masters', c.masterImage);
  text('minion_image', 'Glance image of the minions', c.minionImage);
  if (c.bootVolumeSize > 0) {
    out.boot_volume_size = {
      type: 'number',
      description: 'Size in GiB of the boot volume of every node (made from its image)',
      default: c.bootVolumeSize,
      constraints: { range: { min: 1 }, description: 'must be a size in GiB' },
    };
    text('boot_volume_type', 'Cinder volume type of the boot volumes', c.bootVolumeType);
  }
  return { ...out, ...octaviaParameters(c), ...affinityParameter(c) };
}

/**
 * Octavia's parameters (Magnum's names), for bays with Octavia load
 * balancers: `octavia_lb_algorithm`, which Octavia changes in place on the
 * pools (a deploy-time value), and `octavia_provider` when set, fixed at
 * synthesis (another provider would replace the load balancers).
 */
function octaviaParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  if (!c.masterLbEnabled || c.loadBalancerApi !== 'octavia') return {};
  const algorithms: readonly string[] = c.octaviaProvider === 'ovn' ? ['SOURCE_IP_PORT'] : OCTAVIA_LB_ALGORITHMS;
  return {
    octavia_lb_algorithm: {
      type: 'string',
      description: "Algorithm of the load balancers' pools (the API's, etcd's), changed in place",
      default: c.octaviaLbAlgorithm,
      constraints: {
        allowedValues: algorithms,
        description: c.octaviaProvider === 'ovn' ? "must be SOURCE_IP_PORT (the only algorithm of Octavia's 'ovn' provider)" : `must be one of ${algorithms.join(', ')}`,
      },
    },
    ...(c.octaviaProvider === undefined
      ? {}
      : { octavia_provider: fixedParameter('octavia_provider', 'octaviaProvider', 'Octavia provider of the load balancers', c.octaviaProvider, 'the load balancers (another provider would replace them and their addresses)') }),
  };
}

/** `nodes_affinity_policy` when set, fixed at synthesis: another policy is a new server group, which replaces every minion. */
function affinityParameter(c: ResolvedBayProps): Record<string, BayParameterProps> {
  if (c.nodesAffinityPolicy === undefined) return {};
  return {
    nodes_affinity_policy: fixedParameter('nodes_affinity_policy', 'nodesAffinityPolicy', "Nova server-group policy of the minions", c.nodesAffinityPolicy,
      "the minions' server group and scheduler hints (another policy would replace every minion)"),
  };
}

/** Checks the options; messages through `err`. */
export function validateOptions(p: ResolvedBayProps, err: Reporter, terraform = false): void {
  if (p.bootVolumeType !== undefined && !terraform) {
    err('bootVolumeType', p.bootVolumeType, "cannot be expressed in HOT (Heat's block_device_mapping_v2 has no volume_type)", 'drop it to use the default volume type, or synthesize Terraform only (--target terraform)');
  }
  const size: unknown = p.bootVolumeSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 16384) {
    err('bootVolumeSize', size, 'is not a volume size in GiB (0 = boot from the image)', 'use an integer from 0 to 16384');
  } else if (size === 0 && p.bootVolumeType !== undefined) {
    err('bootVolumeType', p.bootVolumeType, 'is set but bootVolumeSize is 0 (nodes boot from the image, without a boot volume)', 'set bootVolumeSize, or drop bootVolumeType');
  }
  for (const prop of ['availabilityZone', 'dockerVolumeType', 'masterImage', 'minionImage', 'octaviaProvider', 'bootVolumeType'] as const) {
    const v: unknown = p[prop];
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) err(prop, v, 'is not a non-empty string', 'give a name, or leave it out for the default');
  }
  if (!AFFINITY_POLICIES.includes(p.masterAffinityPolicy)) {
    err('masterAffinityPolicy', p.masterAffinityPolicy, 'is not a Nova server-group policy', `use one of ${AFFINITY_POLICIES.join(', ')}`);
  }
  if (p.nodesAffinityPolicy !== undefined && !AFFINITY_POLICIES.includes(p.nodesAffinityPolicy as AffinityPolicy)) {
    err('nodesAffinityPolicy', p.nodesAffinityPolicy, 'is not a Nova server-group policy', `use one of ${AFFINITY_POLICIES.join(', ')}, or leave it out for no server group`);
  }
  if (typeof p.masterLbFloatingIp !== 'boolean') err('masterLbFloatingIp', p.masterLbFloatingIp, 'is not a boolean', 'use true or false');
  if (!(OCTAVIA_LB_ALGORITHMS as readonly string[]).includes(p.octaviaLbAlgorithm)) {
    err('octaviaLbAlgorithm', p.octaviaLbAlgorithm, 'is not an Octavia pool algorithm', `use one of ${OCTAVIA_LB_ALGORITHMS.join(', ')}`);
  } else if (p.loadBalancerApi === 'lbaas-v1' && (p.octaviaLbAlgorithm !== DEFAULT_LB_ALGORITHM || p.octaviaProvider !== undefined)) {
    err(p.octaviaProvider !== undefined ? 'octaviaProvider' : 'octaviaLbAlgorithm', p.octaviaProvider ?? p.octaviaLbAlgorithm, "is an Octavia option, but loadBalancerApi is 'lbaas-v1'", "use loadBalancerApi: 'octavia', or drop the option");
  }
  if (p.octaviaProvider === 'ovn' && p.octaviaLbAlgorithm !== 'SOURCE_IP_PORT') {
    err('octaviaLbAlgorithm', p.octaviaLbAlgorithm, "is not supported by the Octavia 'ovn' provider", "set octaviaLbAlgorithm: 'SOURCE_IP_PORT'");
  }
}
