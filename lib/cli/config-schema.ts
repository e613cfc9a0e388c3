/**
 * Keys and types of a config file, as one plain description. A config that
 * matches it is checked without zod (the CLI's happy path loads no schema
 * library: about 90 ms of CPU); only a config with problems builds the zod
 * schema from the same description, for zod's every-problem-at-once issues.
 */
import type { z } from 'zod';
import { KubernetesBayProps } from '../bay/props';

/** The type of a config key. */
export type FieldSpec =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'unknown' }
  | { readonly kind: 'list'; readonly of: FieldSpec }
  | { readonly kind: 'map'; readonly of: FieldSpec }
  | { readonly kind: 'union'; readonly of: readonly FieldSpec[] }
  | ObjectSpec;

/** A mapping with known keys only; `required` lists those that must be there. */
export interface ObjectSpec {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly required: readonly string[];
}

const str = { kind: 'string' } as const;
const num = { kind: 'number' } as const;
const bool = { kind: 'boolean' } as const;
const strings = { kind: 'list', of: str } as const;
const stringMap = { kind: 'map', of: str } as const;
const object = (fields: Record<string, FieldSpec>, required: readonly string[] = Object.keys(fields)): ObjectSpec => ({ kind: 'object', fields, required });

/**
 * Keys and types of a config file. Values (ranges, CIDRs, allowed
 * protocols) are left to the bay's validation, the single place that knows
 * them. `pkiProgress` is code, not config: it is not accepted.
 */
export const BAY_CONFIG_FIELDS = {
  name: str, image: str, keyName: str, externalNetwork: str,
  existingNetwork: object({ networkId: str, subnetId: str }),
  masterFlavor: str, minionFlavor: str, masterCount: num, minionCount: num,
  fixedNetworkCidr: str, dnsNameservers: strings, portalNetworkCidr: str, podNetworkCidr: str,
  dockerVolumeSize: num, kubernetesPort: num, loadBalancingProtocol: str, floatingIps: bool,
  etcdLoadBalancer: bool, loadBalancerApi: str, minionsToRemove: strings, createTimeoutMinutes: num,
  kubernetesVersion: str, preinstalledPackages: bool, waitConditionTimeout: num,
  apiAllowedCidrs: strings, sshAllowedCidrs: strings, nodePortAllowedCidrs: strings, allowInsecureWorldRules: bool,
  keySize: num, bootstrapTokenTtl: str, pkiDir: str, clusterCa: object({ certFile: str, keyFile: str }), allowPublicFixedNetwork: bool,
  nodeGroups: {
    kind: 'list',
    of: object(
      {
        name: str, count: num, flavor: str, image: str, dockerVolumeSize: num, dockerVolumeType: str,
        availabilityZone: str, affinityPolicy: str, labels: stringMap,
        taints: { kind: 'list', of: object({ key: str, value: str, effect: str }, ['key', 'effect']) },
        nodesToRemove: strings,
      },
      ['name'],
    ),
  },
  availabilityZone: str, masterAffinityPolicy: str, nodesAffinityPolicy: str, dockerVolumeType: str,
  masterImage: str, minionImage: str, masterLbFloatingIp: bool, octaviaProvider: str, octaviaLbAlgorithm: str,
  kubeletExtraArgs: stringMap, apiServerExtraArgs: stringMap, controllerManagerExtraArgs: stringMap, schedulerExtraArgs: stringMap,
  kubeProxyConfig: { kind: 'map', of: { kind: 'unknown' } },
  labels: { kind: 'map', of: { kind: 'union', of: [str, num, bool] } },
  bootVolumeSize: num, bootVolumeType: str, dnsClusterDomain: str,
  openstackCaFile: str, openstackAuthUrl: str, openstackRegion: str,
  applicationCredential: object({ id: str, secretFile: str }),
  cloudControllerManager: bool, cinderCsi: bool, updateMaxBatchSize: num, masterUpdatePauseTime: num,
  httpProxy: str, httpsProxy: str, noProxy: strings, containerInfraPrefix: str, registryMirrors: stringMap,
  insecureRegistries: strings, dnsServiceIp: str, flannelBackend: str, flannelNetworkSubnetlen: num, masterLbEnabled: bool, fixedApiVip: bool,
  networkDriver: str, calicoEncapsulation: str, calicoManifest: object({ url: str, sha256: str }),
  flannelManifest: object({ url: str, sha256: str }),
} as const satisfies Record<string, FieldSpec>;

/** The config file as a whole: `image`, `keyName` and `externalNetwork` are required. */
export const BAY_CONFIG_SPEC: ObjectSpec = object(BAY_CONFIG_FIELDS, ['image', 'keyName', 'externalNetwork']);

// The description must list exactly the props that data can hold: a prop added to
// KubernetesBayProps without a config key (or the reverse) fails to compile.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const FIELDS_COVER_PROPS: SameKeys<keyof typeof BAY_CONFIG_FIELDS, Exclude<keyof KubernetesBayProps, 'pkiProgress' | 'provider' | 'pki'>> = true;
void FIELDS_COVER_PROPS;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/**
 * Whether `v` matches `spec` (no message: the fast path). Never laxer than
 * the zod schema of the same spec: a doubtful value (a `__proto__` key, a
 * class instance) does not match, and zod then reports or accepts it.
 */
export function conforms(spec: FieldSpec, v: unknown): boolean {
  switch (spec.kind) {
    case 'unknown':
      return true;
    case 'string':
    case 'boolean':
      return typeof v === spec.kind;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'list':
      return Array.isArray(v) && v.every((x) => conforms(spec.of, x));
    case 'map':
      return isPlainObject(v) && Object.entries(v).every(([k, x]) => k !== '__proto__' && conforms(spec.of, x));
    case 'union':
      return spec.of.some((s) => conforms(s, v));
    case 'object':
      return (
        isPlainObject(v) &&
        spec.required.every((k) => Object.hasOwn(v, k)) &&
        Object.entries(v).every(([k, x]) => Object.hasOwn(spec.fields, k) && k !== '__proto__' && conforms(spec.fields[k], x))
      );
  }
}

/** The zod schema of `spec`: built (and zod loaded) only for a config that does not conform. */
export function zodSchema(spec: FieldSpec): z.ZodType {
  const zod = (require('zod') as typeof import('zod')).z;
  const build = (s: FieldSpec): z.ZodType => {
    switch (s.kind) {
      case 'unknown':
        return zod.unknown();
      case 'string':
        return zod.string();
      case 'number':
        return zod.number();
      case 'boolean':
        return zod.boolean();
      case 'list':
        return zod.array(build(s.of));
      case 'map':
        return zod.record(zod.string(), build(s.of));
      case 'union':
        return zod.union(s.of.map(build) as [z.ZodType, z.ZodType, ...z.ZodType[]]);
      case 'object':
        return zod.strictObject(Object.fromEntries(Object.entries(s.fields).map(([k, f]) => [k, s.required.includes(k) ? build(f) : build(f).optional()])));
    }
  };
  return build(spec);
}

/** The keys the spec knows at an object path (for suggestions); list indexes step into the element. */
export function keysAt(where: readonly string[]): string[] {
  let spec: FieldSpec = BAY_CONFIG_SPEC;
  for (const key of where) {
    if (/^\d+$/.test(key) && spec.kind === 'list') {
      spec = spec.of;
      continue;
    }
    if (spec.kind !== 'object' || !Object.hasOwn(spec.fields, key)) return [];
    spec = spec.fields[key];
  }
  return spec.kind === 'object' ? Object.keys(spec.fields) : [];
}
