/**
 * Security-group kinds. Every rule is its own resource in both formats (the
 * Terraform provider has no inline rules, and a rule whose peer is a group
 * must be separate in HOT to avoid reference cycles).
 */
import type { networkingSecgroupRuleV2 as rule, networkingSecgroupV2 as sg } from '../../.gen/providers/openstack';
import { Value } from '../core/expr';
import { defineKind } from '../core/kind';

/**
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::SecurityGroup
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_secgroup_v2
 */
export const SECURITY_GROUP = defineKind<{ name: Value; description: Value }>({
  name: 'security-group',
  // `rules: []` keeps Heat from adding its default ingress rules; egress stays open.
  hot: { type: 'OS::Neutron::SecurityGroup', properties: (p) => ({ name: p.name, description: p.description, rules: [] }) },
  tf: {
    type: 'openstack_networking_secgroup_v2',
    config: (p): sg.NetworkingSecgroupV2Config => ({ name: p.name, description: p.description }),
  },
});

export interface SecurityGroupRuleProps {
  readonly securityGroup: Value;
  /** 'ipip' is written as its protocol number, '4': Heat's rule accepts no 'ipip' name. */
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'ipip';
  readonly portMin?: number | Value;
  readonly portMax?: number | Value;
  /** Exactly one of `remoteCidr` and `remoteGroup`. */
  readonly remoteCidr?: string;
  readonly remoteGroup?: Value;
  readonly description: string;
}

/** The protocol as both formats take it: a name, or IP-in-IP's number. */
function protocolOf(p: SecurityGroupRuleProps['protocol']): string {
  return p === 'ipip' ? '4' : p;
}

/**
 * An ingress rule.
 * @see https://docs.openstack.org/heat/latest/template_guide/openstack.html#OS::Neutron::SecurityGroupRule
 * @see https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_secgroup_rule_v2
 */
export const SECURITY_GROUP_RULE = defineKind<SecurityGroupRuleProps>({
  name: 'security-group-rule',
  hot: {
    type: 'OS::Neutron::SecurityGroupRule',
    properties: (p) => ({
      security_group: p.securityGroup,
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: protocolOf(p.protocol),
      port_range_min: p.portMin,
      port_range_max: p.portMax,
      remote_ip_prefix: p.remoteCidr,
      remote_group: p.remoteGroup,
      description: p.description,
    }),
  },
  tf: {
    type: 'openstack_networking_secgroup_rule_v2',
    config: (p): rule.NetworkingSecgroupRuleV2Config => ({
      securityGroupId: p.securityGroup,
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: protocolOf(p.protocol),
      portRangeMin: p.portMin,
      portRangeMax: p.portMax,
      remoteIpPrefix: p.remoteCidr,
      remoteGroupId: p.remoteGroup,
      description: p.description,
    }),
  },
});
