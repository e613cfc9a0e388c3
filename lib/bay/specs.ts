/**
 * Specs of the bay's numeric props: one source for the synth-time check
 * (`validateProps`) and the deploy-time constraint of the matching parameter
 * (HOT `range`, Terraform variable validation), so that an override of a
 * deployed bay (`-P number_of_masters=100`) is refused where synthesis would
 * refuse the prop. The version grammar lives in `core/version.ts`, the API
 * port's exclusions in `security/api-port.ts`, CIDRs in `core/cidr.ts`.
 */
import { BayParameterProps, ParameterConstraints } from '../core/model';
import { TCP_PORT_RANGE } from '../security/api-port';

/** An integer prop: its inclusive range and what it is (for the message `is not <what>`). */
export interface IntegerSpec {
  readonly min: number;
  readonly max: number;
  readonly what: string;
}

/** The integer props of `KubernetesBayProps`, in the order validation reports them. */
export const INTEGER_SPECS = {
  masterCount: { min: 1, max: 99, what: 'a valid master count' },
  minionCount: { min: 0, max: 10000, what: 'a valid minion count (0 = control-plane-only bay)' },
  dockerVolumeSize: { min: 0, max: 16384, what: 'a volume size in GiB (0 = no volume)' },
  createTimeoutMinutes: { min: 0, max: 10080, what: 'a timeout in minutes (0 = none)' },
  waitConditionTimeout: { min: 60, max: 86400, what: 'a timeout in seconds' },
  updateMaxBatchSize: { min: 1, max: 10000, what: 'a batch size (minions replaced at once)' },
  masterUpdatePauseTime: { min: 0, max: 3600, what: 'a pause in seconds between master replacements' },
  kubernetesPort: { min: TCP_PORT_RANGE[0], max: TCP_PORT_RANGE[1], what: 'a TCP port' },
} as const satisfies Record<string, IntegerSpec>;

/** A node group's count: as minionCount. */
export const NODE_GROUP_COUNT: IntegerSpec = { min: 0, max: 10000, what: 'a valid node count' };

/** Whether `v` is an integer inside `spec`. */
export function inSpec(v: unknown, spec: IntegerSpec): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= spec.min && v <= spec.max;
}

/** The fix of a value outside `spec`. */
export function specFix(spec: IntegerSpec): string {
  return `use an integer from ${spec.min} to ${spec.max}`;
}

/** The deploy-time constraint of an integer parameter: the same range, described as `description` (or "must be an integer from min to max"). */
export function rangeConstraint(spec: IntegerSpec, description = `must be an integer from ${spec.min} to ${spec.max}`): ParameterConstraints {
  return { range: { min: spec.min, max: spec.max }, description };
}

/**
 * A Magnum parameter fixed at synthesis: its only allowed value is the
 * prop's; the refusal says what was rendered for it and names the prop.
 */
export function fixedParameter(name: string, prop: string, description: string, value: string | number, rendered: string): BayParameterProps {
  return {
    type: typeof value === 'number' ? 'number' : 'string',
    description: `${description}; fixed at synthesis (${prop})`,
    default: value,
    constraints: {
      allowedValues: [value],
      description:
        `${name} is fixed at synthesis: ${rendered} are rendered for ${JSON.stringify(value)}, and a running cluster cannot change it. ` +
        `For a new bay set ${prop} and synthesize again`,
    },
  };
}
