/**
 * The bay's security groups (base for every node, master, minion) and their
 * rules, each rule its own resource with an id derived from its content.
 */
import { Construct } from 'constructs';
import { Value } from '../core/expr';
import { BayResource } from '../core/model';
import { SECURITY_GROUP, SECURITY_GROUP_RULE } from './kinds';
import { deriveRules, GroupName, RuleSpec, TopologyForRules, worldOpenViolations } from './rules';

/** Props of `BaySecurityGroups`: the topology the rules derive from (`TopologyForRules`) and naming. */
export interface BaySecurityGroupsProps extends TopologyForRules {
  /** Name prefix of the groups: `<name>-base`, `<name>-master`, `<name>-minion`. */
  readonly name: string;
  /** Let rules open sensitive ports to the world (escape hatch). @default false */
  readonly allowInsecureWorldRules?: boolean;
  /**
   * Port of the API rules (`ports: 'api'`), e.g. the kubernetes_port
   * parameter, so that the rules follow a deploy-time override. The
   * world-open check still uses `kubernetesPort`. @default kubernetesPort
   */
  readonly apiPort?: Value;
}

/**
 * The bay's security groups — `base` (every node), `master`, `minion` —
 * and their rules, derived from the topology by `deriveRules` (a pure
 * function). Every rule is its own resource, named from its content
 * (`rule_<group>_from_<peer>_<protocol>_<ports>`), so adding a rule never
 * renames another; a peer group is a remote-group rule (no reference
 * cycles). A validation refuses rules that open a sensitive port to the
 * world unless `allowInsecureWorldRules` is set.
 */
export class BaySecurityGroups extends Construct {
  /** The three groups by name. */
  public readonly groups: Readonly<Record<GroupName, BayResource<any>>>;
  /** The derived rules, one resource each. */
  public readonly rules: readonly RuleSpec[];

  constructor(scope: Construct, id: string, props: BaySecurityGroupsProps) {
    super(scope, id);
    const group = (gid: GroupName, description: string) =>
      new BayResource(this, `secgroup_${gid}`, SECURITY_GROUP, { name: `${props.name}-${gid}`, description });
    this.groups = {
      base: group('base', 'kubebay: every node of the bay'),
      master: group('master', 'kubebay: Kubernetes masters (API, etcd)'),
      minion: group('minion', 'kubebay: Kubernetes minions (workers)'),
    };
    this.rules = deriveRules(props);
    const apiPort = props.apiPort ?? props.kubernetesPort;
    for (const r of this.rules) {
      const [portMin, portMax]: [Value, Value] = r.ports === 'api' ? [apiPort, apiPort] : [r.ports?.[0], r.ports?.[1]];
      new BayResource(this, `rule_${r.id}`, SECURITY_GROUP_RULE, {
        securityGroup: this.groups[r.group].id,
        protocol: r.protocol,
        portMin,
        portMax,
        remoteCidr: 'cidr' in r.peer ? r.peer.cidr : undefined,
        remoteGroup: 'group' in r.peer ? this.groups[r.peer.group].id : undefined,
        description: r.purpose,
      });
    }
    this.node.addValidation({
      validate: () =>
        props.allowInsecureWorldRules
          ? []
          : worldOpenViolations(this.rules, props.kubernetesPort).map(
              (m) => `${m}; narrow the CIDRs, or set allowInsecureWorldRules: true if you really mean it`,
            ),
    });
  }
}
