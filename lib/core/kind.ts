/**
 * Resource kinds: one binding per kind holds its HOT mapping and its
 * Terraform mapping side by side, so the two formats cannot drift apart.
 */

/** Props after a synthesizer resolved every expression into its own syntax. */
export type Resolved<P> = { [K in keyof P]: any };

/** How a kind is written in a HOT template. */
export interface HotMapping<P> {
  /** HOT resource type, e.g. `OS::Neutron::Net`. */
  readonly type: string;
  /** HOT `properties` from the resolved neutral props. */
  readonly properties: (p: Resolved<P>) => Record<string, unknown>;
  /** Neutral attribute → `get_attr` path after the resource name. `id` is always `get_resource`. */
  readonly attrs?: Readonly<Record<string, readonly (string | number)[]>>;
  /** HOT `deletion_policy` of every resource of the kind. @default - Heat's (Delete) */
  readonly deletionPolicy?: 'Retain';
}

/** A lookup (Terraform data source) that HOT needs no resource for: references resolve to a value. */
export interface HotPassThrough<P> {
  /** The value a reference to `attr` resolves to in HOT (usually a parameter the lookup was given). */
  readonly passThrough: (p: Resolved<P>, attr: string | undefined) => unknown;
}

/** How a kind is written in Terraform JSON (through the generated cdktf binding). */
export interface TfMapping<P> {
  /** Terraform type, e.g. `openstack_networking_network_v2`. */
  readonly type: string;
  /** A data source rather than a managed resource. @default false */
  readonly dataSource?: boolean;
  /** Config of the generated cdktf class (camelCase keys, checked by the compiler). */
  readonly config: (p: Resolved<P>) => object;
  /** Neutral attribute → Terraform attribute expression (e.g. `all_fixed_ips[0]`). @default - the attribute's own name */
  readonly attrs?: Readonly<Record<string, string>>;
}

/** A kind that has no Terraform counterpart on purpose; references resolve to fixed values. */
export interface TfOmitted {
  /** Why Terraform has no such resource (shown in docs and inventories). */
  readonly omitted: string;
  /** Neutral attribute → the literal Terraform uses instead. */
  readonly attrs: Readonly<Record<string, string>>;
}

export interface ResourceKind<P> {
  /** Neutral kind name, e.g. `network`, `security-group-rule`. */
  readonly name: string;
  /** HOT mapping; absent = the HOT synthesizer refuses this kind with an error naming `hotMissing`. */
  readonly hot?: HotMapping<P> | HotPassThrough<P>;
  /** Terraform mapping; absent = the Terraform target refuses this kind with an error naming `tfMissing`. */
  readonly tf?: TfMapping<P> | TfOmitted;
  /** Why HOT cannot express the kind, and the fix. */
  readonly hotMissing?: string;
  /** Why Terraform cannot express the kind, and the fix. */
  readonly tfMissing?: string;
}

/** Declares a kind; a helper so that `P` is inferred once for both mappings. */
export function defineKind<P>(kind: ResourceKind<P>): ResourceKind<P> {
  return kind;
}

export function isPassThrough<P>(m: HotMapping<P> | HotPassThrough<P>): m is HotPassThrough<P> {
  return 'passThrough' in m;
}

export function isOmitted<P>(m: TfMapping<P> | TfOmitted): m is TfOmitted {
  return 'omitted' in m;
}
