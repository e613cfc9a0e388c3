/**
 * The bay's parameters (Magnum's names): HOT `parameters` and Terraform
 * `variable`s with the same names, defaults from the props and the same
 * constraints.
 */
import { ipv4CidrPattern, PRIVATE_IPV4 } from '../core/cidr';
import { BayParameterProps } from '../core/model';
import { API_PORT_EXCLUSIONS, apiPortConstraintDescription, TCP_PORT_RANGE } from '../security/api-port';
import { MIN_KUBERNETES_MINOR, kubernetesVersionPattern } from '../core/version';
import { ResolvedBayProps } from './defaults';
import { egressParameters } from './egress';
import { networkingParameters } from './networking';
import { optionParameters } from './options';
import { INTEGER_SPECS, IntegerSpec, rangeConstraint } from './specs';

/** Why number_of_masters cannot change on a deployed bay, and the safe way (the message of the refusal). */
const MASTERS_FIXED =
  'removing or adding masters in one update would drop etcd members without removing them from the cluster ' +
  '(quorum loss) or fork the control plane; as Magnum, the master count of a deployed bay cannot change. ' +
  'Keep number_of_masters (masterCount) at its deployed value; to change the control-plane size create a new bay ' +
  'and move the workloads (README "Day 2")';

/**
 * The masters' pause, shortened when the pauses of one rolling update would
 * not fit in the stack timeout (Heat refuses such an update).
 */
function masterPause(c: ResolvedBayProps): number {
  if (c.createTimeoutMinutes <= 0 || c.masterCount <= 1) return c.masterUpdatePauseTime;
  const fits = Math.floor((c.createTimeoutMinutes * 60 - 1) / (c.masterCount - 1));
  return Math.max(0, Math.min(c.masterUpdatePauseTime, fits));
}

/** The bay's parameters by name (their order is the order of the outputs): nodes, network, volume, API, updates, those of the options, and the cluster network's (fixed at synthesis). */
export function parameterDefinitions(c: ResolvedBayProps): Record<string, BayParameterProps> {
  return {
    ...sizeParameters(c),
    ...networkParameters(c),
    docker_volume_size: dockerVolumeParameter(c),
    ...apiParameters(c),
    ...updateParameters(c),
    ...optionParameters(c),
    ...egressParameters(c),
    ...networkingParameters(c),
  };
}

const text = (description: string, dflt: string): BayParameterProps => ({
  type: 'string',
  description,
  default: dflt,
  constraints: { pattern: '.+', description: 'must not be empty' },
});

/** Node counts, flavors, image, keypair, external network. */
function sizeParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  const count = (what: string, spec: IntegerSpec, dflt: number): BayParameterProps => ({
    type: 'number',
    description: `Number of ${what}`,
    default: dflt,
    constraints: rangeConstraint(spec),
  });
  return {
    number_of_masters: {
      ...count('Kubernetes masters (odd keeps etcd quorum)', INTEGER_SPECS.masterCount, c.masterCount),
      immutable: MASTERS_FIXED,
    },
    number_of_minions: count('Kubernetes minions', INTEGER_SPECS.minionCount, c.minionCount),
    master_flavor: text('Nova flavor of the masters', c.masterFlavor),
    minion_flavor: text('Nova flavor of the minions', c.minionFlavor),
    server_image: text('Glance image of every node', c.image),
    ssh_key_name: text('Nova keypair injected into every node', c.keyName),
    external_network: text('Name of the external network (router gateway, floating IPs)', c.externalNetwork),
  };
}

/** The container-storage volume (0 = none). */
function dockerVolumeParameter(c: ResolvedBayProps): BayParameterProps {
  return {
    type: 'number',
    description: 'Size in GiB of the Cinder volume for container storage on every node (0 = none)',
    default: c.dockerVolumeSize,
    constraints: rangeConstraint(INTEGER_SPECS.dockerVolumeSize, `must be 0 or a size in GiB up to ${INTEGER_SPECS.dockerVolumeSize.max}`),
  };
}

/** The bay subnet and its nameservers. */
function networkParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  return {
    fixed_network_cidr: {
      type: 'string',
      description: 'CIDR of the bay subnet',
      default: c.fixedNetworkCidr,
      // An input of the node templates since no_proxy follows it (bay/egress.ts): existing members must validate.
      nestedDefault: true,
      // As the synth-time check: private unless allowPublicFixedNetwork.
      constraints: c.fixedApiVip
        ? { allowedValues: [c.fixedNetworkCidr], description: 'fixedApiVip: the API VIP and the allocation pool were computed from this CIDR at synthesis; change fixedNetworkCidr and synthesize again' }
        : c.allowPublicFixedNetwork === true
          ? { pattern: '(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}', description: 'must be an IPv4 CIDR' }
          : { pattern: ipv4CidrPattern(PRIVATE_IPV4), description: `must be a private IPv4 CIDR inside ${PRIVATE_IPV4.join(', ')} (allowPublicFixedNetwork is off)` },
    },
    dns_nameserver: {
      type: 'list',
      description: 'DNS nameservers of the bay subnet',
      default: c.dnsNameservers,
      constraints: { pattern: '(\\d{1,3}\\.){3}\\d{1,3}', description: 'must be IPv4 addresses' },
    },
  };
}

/** The API's port, version and load-balancer protocol. */
function apiParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  return {
    kubernetes_port: {
      type: 'number',
      description: 'Port of the Kubernetes API on its load balancer',
      default: c.kubernetesPort,
      // The synth-time check's spec: a deploy-time override cannot open etcd, kubelet, SSH...
      constraints: {
        range: { min: TCP_PORT_RANGE[0], max: TCP_PORT_RANGE[1] },
        excluded: API_PORT_EXCLUSIONS,
        description: apiPortConstraintDescription(),
      },
    },
    kubernetes_version: {
      type: 'string',
      description:
        'Kubernetes version installed at boot: v1.<minor> (newest patch from the pkgs.k8s.io repository of the minor) ' +
        `or v1.<minor>.<patch> (packages and control plane pinned); at least v1.${MIN_KUBERNETES_MINOR}`,
      default: c.kubernetesVersion,
      // The one grammar (core/version.ts): the bootstrap's check at boot accepts exactly these.
      constraints: {
        pattern: kubernetesVersionPattern(),
        description: `must be v1.<minor> or v1.<minor>.<patch>, at least v1.${MIN_KUBERNETES_MINOR} (kubeadm config v1beta4)`,
      },
    },
    loadbalancing_protocol: {
      type: 'string',
      description: 'Protocol of the API load-balancer pool (the API always serves TLS)',
      default: c.loadBalancingProtocol,
      constraints: { allowedValues: ['TCP', 'HTTPS'], description: 'must be TCP or HTTPS' },
    },
  };
}

/** Removal of named minions and the pace of rolling updates. */
function updateParameters(c: ResolvedBayProps): Record<string, BayParameterProps> {
  return {
    minions_to_remove: {
      type: 'list',
      description: 'Minion keys (HOT: also private IPs) to remove on the next update; the others keep their keys',
      default: c.minionsToRemove,
      // HOT has no pattern constraint on lists (it also accepts private IPs); Terraform checks every entry.
      constraints: {
        pattern: '[0-9]+',
        description: 'must be minion keys such as 3: Terraform cannot map a private IP to a key at plan time (see the kube_minions_by_key output)',
      },
    },
    update_max_batch_size: {
      type: 'number',
      description: 'Minions replaced at once by an update that changes their definition (masters: one at a time)',
      default: c.updateMaxBatchSize,
      constraints: rangeConstraint(INTEGER_SPECS.updateMaxBatchSize),
    },
    master_update_pause_time: {
      type: 'number',
      description: 'Seconds between two master replacements of a rolling update (time for a new master to join etcd)',
      default: masterPause(c),
      constraints: rangeConstraint(INTEGER_SPECS.masterUpdatePauseTime, `must be 0 to ${INTEGER_SPECS.masterUpdatePauseTime.max} seconds`),
    },
    wait_condition_timeout: {
      type: 'number',
      description: 'Seconds each node may take to report its kubelet up (HOT wait conditions)',
      default: c.waitConditionTimeout,
      constraints: rangeConstraint(INTEGER_SPECS.waitConditionTimeout, `must be ${INTEGER_SPECS.waitConditionTimeout.min} to ${INTEGER_SPECS.waitConditionTimeout.max} seconds`),
    },
  };
}
