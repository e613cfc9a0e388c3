/**
 * lib/core/cidr.ts: the one decision of what is "world-like" and "private",
 * with unit cases and fast-check properties over CIDR sets.
 */
import fc from 'fast-check';
import {
  cidrRange,
  containsAddress,
  coversAllIpv4,
  ipv4CidrPattern,
  isPrivateIpv4,
  isWorldLike,
  PRIVATE_IPV4,
  publicCoverage,
  WORLD_LIKE_IPV4,
} from '../../lib/core/cidr';

const dotted = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/** A random IPv4 network (address aligned to its prefix) as [address integer, prefix]. */
const net4 = (minPrefix = 0, maxPrefix = 32) =>
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: minPrefix, max: maxPrefix })).map(([ip, prefix]) => {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return [(ip & mask) >>> 0, prefix] as const;
  });
const text4 = ([n, p]: readonly [number, number]) => `${dotted(n)}/${p}`;

/** The 2^k sub-networks of a network (k bits deeper, at most /32). */
function split([n, p]: readonly [number, number], k: number): string[] {
  const depth = Math.min(k, 32 - p);
  const step = 2 ** (32 - p - depth);
  return Array.from({ length: 2 ** depth }, (_, i) => `${dotted(n + i * step)}/${p + depth}`);
}

describe('isWorldLike: cases', () => {
  test.each([
    [['0.0.0.0/0']],
    [['::/0']],
    [['0.0.0.0/1', '128.0.0.0/1']],
    [['8.0.0.0/8']], // a public /8: 2^24 public addresses
    [['::ffff:0:0/96']], // every IPv4 address, IPv4-mapped
    [['::ffff:0.0.0.0/97', '128.0.0.0/1']], // mapped and plain halves together
    [['64:ff9b::/96']], // NAT64: every IPv4 address
    [['2000::/3']],
    [['2001:db8::/32', '2400::/31']],
    [['10.1.2.3/0']], // host bits ignored
  ])('%j is world-like', (cidrs) => {
    expect(isWorldLike(cidrs)).toBe(true);
  });

  test.each([
    [[]],
    [['10.0.0.0/8']], // private
    [['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']], // all private space
    [['203.0.113.0/24', '198.51.100.0/24']],
    [['9.0.0.0/9']], // half a /8
    [['fc00::/7', 'fe80::/10']], // ULA and link-local
    [['2001:db8::/32']], // documentation
    [['2a00::/33']], // half an ISP allocation
    [['::ffff:10.0.0.0/104']], // a mapped private /8
    [['not a cidr', '10.0.0.0/33', '0xa.0.0.0/8']], // unparseable entries are ignored
  ])('%j is not world-like', (cidrs) => {
    expect(isWorldLike(cidrs)).toBe(false);
  });

  test('the threshold is a /8 of public IPv4 addresses: 2^24 - 1 is not, 2^24 is', () => {
    // 8.0.0.0/9 + 8.128.0.0/10 + ... + 8.255.255.254/32 = 2^24 - 1 addresses
    const almost = Array.from({ length: 24 }, (_, i) => `${dotted((8 * 2 ** 24 + 2 ** 24 - 2 ** (24 - i)) >>> 0)}/${9 + i}`);
    expect(publicCoverage(almost).ipv4).toBe(WORLD_LIKE_IPV4 - 1n);
    expect(isWorldLike(almost)).toBe(false);
    expect(isWorldLike([...almost, '8.255.255.255/32'])).toBe(true);
  });

  test('coversAllIpv4: only when the union is every IPv4 address', () => {
    expect(coversAllIpv4(['0.0.0.0/0'])).toBe(true);
    expect(coversAllIpv4(['0.0.0.0/1', '128.0.0.0/1'])).toBe(true);
    expect(coversAllIpv4(['::ffff:0:0/96'])).toBe(true);
    expect(coversAllIpv4(['0.0.0.0/1', '128.0.0.0/2'])).toBe(false);
    expect(coversAllIpv4(['::/0'])).toBe(true); // ::/0 holds the mapped range
  });
});

describe('isWorldLike: properties', () => {
  test('splitting a network into its sub-networks never changes the decision', () => {
    fc.assert(
      fc.property(net4(0, 24), fc.integer({ min: 1, max: 8 }), (net, k) => {
        expect(isWorldLike(split(net, k))).toBe(isWorldLike([text4(net)]));
        expect(publicCoverage(split(net, k))).toEqual(publicCoverage([text4(net)]));
      }),
      { numRuns: 300 },
    );
  });

  test('order and duplicates do not matter; adding networks never makes a set less world-like', () => {
    fc.assert(
      fc.property(fc.array(net4().map(text4), { maxLength: 8 }), fc.array(net4().map(text4), { maxLength: 4 }), (set, more) => {
        const decision = isWorldLike(set);
        expect(isWorldLike([...set].reverse())).toBe(decision);
        expect(isWorldLike([...set, ...set])).toBe(decision);
        if (decision) expect(isWorldLike([...set, ...more])).toBe(true);
        expect(publicCoverage([...set, ...more]).ipv4 >= publicCoverage(set).ipv4).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('an IPv4-mapped IPv6 network counts as the IPv4 network it carries', () => {
    fc.assert(
      fc.property(net4(), (net) => {
        const mapped = `::ffff:${dotted(net[0])}/${96 + net[1]}`;
        expect(publicCoverage([mapped]).ipv4).toBe(publicCoverage([text4(net)]).ipv4);
        expect(isWorldLike([mapped])).toBe(isWorldLike([text4(net)]));
      }),
      { numRuns: 300 },
    );
  });

  test('any partition of the IPv4 space into random pieces is world-like and covers everything', () => {
    // A random partition: split 0.0.0.0/0 recursively, stopping at random depths.
    const partition = fc.infiniteStream(fc.boolean()).map((coin) => {
      const it = coin[Symbol.iterator]();
      const out: string[] = [];
      const walk = (n: number, p: number) => {
        if (p >= 12 || it.next().value) out.push(`${dotted(n)}/${p}`);
        else for (const half of [n, n + 2 ** (31 - p)]) walk(half, p + 1);
      };
      walk(0, 0);
      return out;
    });
    fc.assert(
      fc.property(partition, (pieces) => {
        expect(isWorldLike(pieces)).toBe(true);
        expect(coversAllIpv4(pieces)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  test('sets of private networks are never world-like', () => {
    const privateNet = fc
      .tuple(fc.constantFrom(...PRIVATE_IPV4), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
      .map(([base, ip, extra]) => {
        const r = cidrRange(base)!;
        const baseBits = Number(base.split('/')[1]);
        const prefix = Math.max(baseBits, extra);
        const size = 2 ** (32 - prefix);
        const offset = Math.floor((ip % Number(r.last - r.first + 1n)) / size) * size;
        return `${dotted(Number(r.first) + offset)}/${prefix}`;
      });
    fc.assert(
      fc.property(fc.array(privateNet, { maxLength: 20 }), (set) => {
        expect(set.every(isPrivateIpv4)).toBe(true);
        expect(isWorldLike(set)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('private networks and addresses', () => {
  test.each(['10.0.0.0/24', '10.0.0.0/8', '172.31.0.0/16', '192.168.10.0/24', '100.64.0.0/10'])('%s is private', (c) => {
    expect(isPrivateIpv4(c)).toBe(true);
  });
  test.each(['8.0.0.0/8', '10.0.0.0/7', '172.32.0.0/16', '100.128.0.0/10', '0.0.0.0/0', 'fd00::/64', 'nonsense'])('%s is not private', (c) => {
    expect(isPrivateIpv4(c)).toBe(false);
  });
  test('containsAddress', () => {
    expect(containsAddress('8.0.0.0/8', '8.8.8.8')).toBe(true);
    expect(containsAddress('10.0.0.0/24', '8.8.8.8')).toBe(false);
    expect(containsAddress('fd00::/8', 'fd00::53')).toBe(true);
    expect(containsAddress('10.0.0.0/8', 'fd00::53')).toBe(false);
  });

  test('the deploy-time pattern of private CIDRs accepts exactly the CIDRs isPrivateIpv4 accepts', () => {
    // Heat: Python re.match, then the match must end at the value's end; the same here with a sticky JS RegExp.
    const re = new RegExp(ipv4CidrPattern(PRIVATE_IPV4), 'y');
    const heatAccepts = (v: string) => {
      re.lastIndex = 0;
      const m = re.exec(v);
      return m !== null && m[0].length === v.length;
    };
    fc.assert(
      fc.property(
        fc.oneof(
          net4().map(text4),
          fc.tuple(fc.constantFrom(10, 172, 192, 100), fc.nat(255), fc.nat(255), fc.integer({ min: 8, max: 32 })).map(([a, b, c, p]) => `${a}.${b}.${c}.0/${p}`),
        ),
        (c) => {
          expect(heatAccepts(c)).toBe(isPrivateIpv4(c));
        },
      ),
      { numRuns: 2000 },
    );
    expect(heatAccepts('010.0.0.0/8')).toBe(false);
  });
});
