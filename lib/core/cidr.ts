/**
 * The one place that decides what a set of CIDRs exposes: "world-like"
 * (the API-open warning, the listener's allowed_cidrs, the rule lint, the
 * SSH/NodePort warnings) and "private" (the bay's own networks).
 *
 * A set of CIDRs is **world-like** when the *publicly routable* addresses
 * its union covers amount to at least {@link WORLD_LIKE_IPV4} IPv4
 * addresses (a /8: 16.8 million, about 0.45% of the public IPv4 space) or
 * {@link WORLD_LIKE_IPV6} IPv6 addresses (a /32, a whole ISP allocation).
 * So `0.0.0.0/0`, `::/0`, `0.0.0.0/1` + `128.0.0.0/1`, 512 disjoint /9s, a
 * public /8 such as `8.0.0.0/8`, `2000::/3` and `::ffff:0:0/96` (every IPv4
 * address written as IPv6) are world-like; `10.0.0.0/8` (private) and
 * `203.0.113.0/24` are not. IPv4-mapped (`::ffff:a.b.c.d`) and NAT64
 * (`64:ff9b::a.b.c.d`) IPv6 ranges count as the IPv4 addresses they carry.
 * Special-purpose ranges (RFC 6890: private, CGNAT, loopback, link-local,
 * documentation, multicast, reserved; ULA and link-local IPv6) are not
 * public and do not count.
 */
import * as ipaddr from 'ipaddr.js';
import toRegexRange from 'to-regex-range';

/** Public IPv4 addresses from which a set of CIDRs counts as the world: 2^24, a /8. */
export const WORLD_LIKE_IPV4 = 2n ** 24n;
/** Public IPv6 addresses from which a set of CIDRs counts as the world: 2^96, a /32. */
const WORLD_LIKE_IPV6 = 2n ** 96n;

/** An address range of one family: inclusive bounds as integers. */
export interface AddressRange {
  readonly family: 'ipv4' | 'ipv6';
  readonly first: bigint;
  readonly last: bigint;
}

type Interval = readonly [bigint, bigint];

const DOTTED = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/;

/**
 * The range a CIDR covers (host bits ignored: `10.1.2.3/8` is 10.0.0.0/8),
 * IPv4 in dotted-quad form or IPv6; undefined when it is neither.
 */
export function cidrRange(text: unknown): AddressRange | undefined {
  const m = typeof text === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(text.trim()) : null;
  if (!m) return undefined;
  const prefix = Number(m[2]);
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    if (DOTTED.test(m[1])) addr = ipaddr.IPv4.parse(m[1]);
    else if (m[1].includes(':') && ipaddr.IPv6.isValid(m[1])) addr = ipaddr.IPv6.parse(m[1]);
    else return undefined;
  } catch {
    return undefined;
  }
  const bits = addr.kind() === 'ipv4' ? 32 : 128;
  if (prefix > bits) return undefined;
  const value = addr.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n);
  const size = 1n << BigInt(bits - prefix);
  const first = value - (value % size);
  return { family: addr.kind(), first, last: first + size - 1n };
}

/** The intervals of the parseable `cidrs` of one family. */
function ranges(cidrs: readonly string[], family: 'ipv4' | 'ipv6'): Interval[] {
  return cidrs
    .map(cidrRange)
    .filter((r): r is AddressRange => r?.family === family)
    .map((r) => [r.first, r.last] as Interval);
}

/** Sorted, merged intervals. */
function union(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1n) last[1] = b > last[1] ? b : last[1];
    else out.push([a, b]);
  }
  return out;
}

/** Intervals of `list` minus those of `minus` (both merged). */
function subtract(list: readonly Interval[], minus: readonly Interval[]): Interval[] {
  let rest: Interval[] = [...list];
  for (const [ma, mb] of minus) {
    rest = rest.flatMap(([a, b]): Interval[] => {
      if (mb < a || ma > b) return [[a, b]];
      const parts: Interval[] = [];
      if (a < ma) parts.push([a, ma - 1n]);
      if (b > mb) parts.push([mb + 1n, b]);
      return parts;
    });
  }
  return rest;
}

/** Intersection of merged intervals with one interval, shifted by `-base`. */
function within(list: readonly Interval[], [lo, hi]: Interval): Interval[] {
  return list.filter(([a, b]) => b >= lo && a <= hi).map(([a, b]) => [(a > lo ? a : lo) - lo, (b < hi ? b : hi) - lo] as Interval);
}

const size = (list: readonly Interval[]) => list.reduce((n, [a, b]) => n + (b - a + 1n), 0n);
const intervalsOf = (cidrs: readonly string[]) => cidrs.map((c) => cidrRange(c)!).map((r) => [r.first, r.last] as Interval);

/** Private IPv4 networks a bay's own networks may use: RFC 1918 and shared address space (CGNAT, RFC 6598). */
export const PRIVATE_IPV4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] as const;

/** IPv4 ranges that are not publicly routable (RFC 6890 special-purpose registry). */
const NON_PUBLIC_IPV4 = union(
  intervalsOf([
    ...PRIVATE_IPV4,
    '0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15',
    '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
  ]),
);
/** IPv6 ranges that carry IPv4 addresses: IPv4-mapped and the NAT64 well-known prefix. */
const IPV4_IN_IPV6 = intervalsOf(['::ffff:0:0/96', '64:ff9b::/96']);
/** IPv6 ranges that are not publicly routable, or are counted as IPv4. */
const NON_PUBLIC_IPV6 = union(
  intervalsOf(['::/96', '::ffff:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48', '100::/64', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'ff00::/8']),
);

/** Publicly routable addresses covered by the union of `cidrs` (unparseable entries are ignored). */
export function publicCoverage(cidrs: readonly string[]): { readonly ipv4: bigint; readonly ipv6: bigint } {
  const v6 = union(ranges(cidrs, 'ipv6'));
  const mapped = IPV4_IN_IPV6.flatMap((r) => within(v6, r));
  const v4 = union([...ranges(cidrs, 'ipv4'), ...mapped]);
  return { ipv4: size(subtract(v4, NON_PUBLIC_IPV4)), ipv6: size(subtract(v6, NON_PUBLIC_IPV6)) };
}

/**
 * Whether the union of `cidrs` is world-like: it covers at least a /8 of
 * public IPv4 addresses or a /32 of public IPv6 addresses (see the module
 * comment). Unparseable entries are ignored (validation reports them).
 */
export function isWorldLike(cidrs: string | readonly string[]): boolean {
  const c = publicCoverage(typeof cidrs === 'string' ? [cidrs] : cidrs);
  return c.ipv4 >= WORLD_LIKE_IPV4 || c.ipv6 >= WORLD_LIKE_IPV6;
}

/** Whether an IPv4 CIDR lies entirely inside {@link PRIVATE_IPV4}. */
export function isPrivateIpv4(cidr: string): boolean {
  const r = cidrRange(cidr);
  if (!r || r.family !== 'ipv4') return false;
  return intervalsOf(PRIVATE_IPV4).some(([a, b]) => r.first >= a && r.last <= b);
}

/** Whether an address (IPv4 or IPv6) lies inside a CIDR; false when either does not parse. */
export function containsAddress(cidr: string, address: string): boolean {
  const r = cidrRange(cidr);
  const a = cidrRange(`${address}/${address.includes(':') ? 128 : 32}`);
  return !!r && !!a && r.family === a.family && a.first >= r.first && a.last <= r.last;
}

/** How a coverage reads in a message: "2147483648 public IPv4 addresses". */
export function describeCoverage(cidrs: readonly string[]): string {
  const c = publicCoverage(cidrs);
  const parts = [c.ipv4 > 0n ? `${c.ipv4} public IPv4 addresses` : '', c.ipv6 > 0n ? `2^${c.ipv6.toString(2).length - 1}+ public IPv6 addresses` : ''];
  return parts.filter(Boolean).join(' and ') || 'no public addresses';
}

/**
 * Whether the union of `cidrs` is every IPv4 address (`0.0.0.0/0`, or
 * `0.0.0.0/1` + `128.0.0.0/1`, ...): a filter by these CIDRs filters nothing.
 */
export function coversAllIpv4(cidrs: readonly string[]): boolean {
  const v6 = union(ranges(cidrs, 'ipv6'));
  const v4 = union([...ranges(cidrs, 'ipv4'), ...within(v6, IPV4_IN_IPV6[0])]);
  return v4.length === 1 && v4[0][0] === 0n && v4[0][1] === 2n ** 32n - 1n;
}

/**
 * A pattern matching exactly the dotted-quad IPv4 CIDRs (no leading zeros)
 * that lie inside one of `within` (e.g. {@link PRIVATE_IPV4}), anchored at
 * its end with `$` (see `integerPattern`): the deploy-time constraint of a
 * CIDR parameter that synth-time validation keeps private.
 */
export function ipv4CidrPattern(within: readonly string[]): string {
  const range = (a: number, b: number) => (a === b ? String(a) : toRegexRange(a, b, { capture: false, shorthand: false }));
  const alternatives = within.map((cidr) => {
    const [address, p] = cidr.split('/');
    const prefix = Number(p);
    const octets = address.split('.').map(Number);
    const parts = octets.map((o, i) => {
      const fixedBits = Math.min(8, Math.max(0, prefix - 8 * i));
      return range(o, o + 2 ** (8 - fixedBits) - 1);
    });
    return `${parts.join('\\.')}/${range(prefix, 32)}`;
  });
  return `(?:${alternatives.join('|')})$`;
}

/** An IPv4 network in CIDR notation, parsed: inclusive bounds as integers. */
export interface Ipv4Cidr {
  readonly text: string;
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

/** One dotted-quad octet without leading zeros (0-999; the range check follows). */
const OCTET = '(0|[1-9]\\d{0,2})';
const DOTTED_ADDRESS = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const DOTTED_CIDR = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\/(0|[1-9]\\d?)$`);

/** The problem of a CIDR that is not dotted-quad IPv4 (what {@link parseIpv4Cidr} returns). */
export const NOT_AN_IPV4_CIDR = 'is not an IPv4 CIDR such as 10.0.0.0/24';

/**
 * Parses an IPv4 CIDR written as four decimal octets (no leading zeros) and
 * a prefix, whose address is the network address; the problem otherwise
 * (`is not an IPv4 CIDR ...`, `is not a network address (did you mean ...?)`).
 * Stricter than ipaddr.js, which also takes `0xa.0.0.0/8` or `10.0.0/24`:
 * Neutron, Octavia and kubeadm do not.
 */
export function parseIpv4Cidr(text: unknown): Ipv4Cidr | string {
  const m = typeof text === 'string' ? DOTTED_CIDR.exec(text) : null;
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) return NOT_AN_IPV4_CIDR;
  const prefix = Number(m[5]);
  const address = ipv4ToInt(m.slice(1, 5).map(Number));
  const size = 2 ** (32 - prefix);
  const first = address - (address % size);
  if (first !== address) return `is not a network address (did you mean ${intToIpv4(first)}/${prefix}?)`;
  return { text: text as string, first, last: first + size - 1, prefix };
}

/** Whether two IPv4 networks share an address. */
export function overlaps(a: Pick<Ipv4Cidr, 'first' | 'last'>, b: Pick<Ipv4Cidr, 'first' | 'last'>): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** Whether `v` is an IPv4 address in dotted-quad form without leading zeros. */
export function isIpv4Address(v: unknown): v is string {
  const m = typeof v === 'string' ? DOTTED_ADDRESS.exec(v) : null;
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/** A dotted-quad IPv4 address (see {@link isIpv4Address}) as an integer. */
export function ipv4AddressToInt(address: string): number {
  return ipv4ToInt(address.split('.').map(Number));
}

function ipv4ToInt(octets: readonly number[]): number {
  return octets.reduce((n, o) => n * 256 + o, 0);
}

/** An integer (0 to 2^32-1) as a dotted-quad IPv4 address. */
export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
