/**
 * Properties over random props: valid props always synthesize both formats
 * with no sensitive port open to the world; invalid props always fail with a
 * BayValidationError naming the prop, never a TypeError, and write nothing.
 *
 * Each valid run synthesizes a whole bay (~100-300 ms), so runs are few; the
 * PKI is cached per bay name, so names come from a small set.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { Construct } from 'constructs';
import { BayValidationError, KubernetesBay, KubernetesBayProps, SENSITIVE_PORTS } from '../../../lib';
import { isWorldLike } from '../../../lib/core/cidr';
import { BASE_PROPS, PKI_DIR, tfResources } from '../../helpers';
import { asValidationError, leftovers, messagesAbout, runPipeline, thrownBy, tree, workspaceWithPreviousOutputs } from '../../support/validation';

const SENSITIVE = SENSITIVE_PORTS.map((s) => s.port);
const RESERVED = new Set([22, 10257, 10259, ...SENSITIVE]);

// ---------------------------------------------------------------- generators

/** A random IPv4 network (address aligned to its prefix). */
const cidr = (minPrefix = 0, maxPrefix = 32) =>
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: minPrefix, max: maxPrefix })).map(([ip, prefix]) => {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const n = (ip & mask) >>> 0;
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${prefix}`;
  });
const allowed = fc.array(fc.oneof(cidr(), fc.constant('0.0.0.0/0')), { maxLength: 3 });
// (never inside the bay's networks below: 10/8, 172.16/12, 192.168/16)
const ipv4 = fc
  .tuple(fc.integer({ min: 1, max: 223 }).filter((a) => a !== 10 && a !== 172 && a !== 192), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
  .map((o) => o.join('.'));

/** Disjoint fixed / service / pod networks. */
const networks = fc.record({
  fixedNetworkCidr: fc.oneof(
    fc.nat(255).map((a) => `192.168.${a}.0/24`),
    fc.nat(63).map((a) => `172.16.${a * 4}.0/22`),
    fc.constant('10.0.0.0/24'),
  ),
  portalNetworkCidr: fc.constantFrom('10.254.0.0/16', '10.96.0.0/16'),
  podNetworkCidr: fc.constantFrom('10.100.0.0/16', '10.244.0.0/16', '10.128.0.0/12'),
});

const validProps: fc.Arbitrary<KubernetesBayProps> = fc
  .record({
    name: fc.constantFrom('prop-a', 'prop-b'),
    masterCount: fc.integer({ min: 1, max: 5 }),
    minionCount: fc.integer({ min: 0, max: 6 }),
    removed: fc.uniqueArray(fc.nat(7), { maxLength: 2 }),
    networks,
    byoNetwork: fc.boolean(),
    dnsNameservers: fc.uniqueArray(ipv4, { minLength: 1, maxLength: 3 }),
    apiAllowedCidrs: fc.oneof(fc.constant(['0.0.0.0/0']), fc.array(cidr(), { minLength: 1, maxLength: 3 })),
    sshAllowedCidrs: allowed,
    nodePortAllowedCidrs: allowed,
    kubernetesPort: fc.oneof(
      fc.constantFrom(6443, 443, 8443),
      fc.integer({ min: 1, max: 65535 }).filter((p) => !RESERVED.has(p) && (p < 30000 || p > 32767)),
    ),
    loadBalancingProtocol: fc.constantFrom('TCP' as const, 'HTTPS' as const),
    etcdLoadBalancer: fc.boolean(),
    floatingIps: fc.boolean(),
    dockerVolumeSize: fc.nat(100),
    createTimeoutMinutes: fc.nat(180),
    waitConditionTimeout: fc.integer({ min: 60, max: 7200 }),
    kubernetesVersion: fc.constantFrom('v1.31', 'v1.32', 'v1.31.4'),
    preinstalledPackages: fc.boolean(),
    allowInsecureWorldRules: fc.boolean(),
  })
  .map((r) => {
    // Removal keys must name minions that exist: below minionCount + the number removed.
    let keys = r.removed;
    while (keys.some((k) => k >= r.minionCount + keys.length)) keys = keys.filter((k) => k < r.minionCount + keys.length - 1);
    const minionsToRemove = keys.map(String);
    const { removed: _removed, networks: nets, byoNetwork, ...rest } = r;
    return {
      ...BASE_PROPS,
      ...rest,
      ...nets,
      minionsToRemove,
      ...(byoNetwork ? { existingNetwork: { networkId: 'net-1', subnetId: 'subnet-1' }, dnsNameservers: undefined } : {}),
      pkiDir: PKI_DIR,
    };
  });

/** Per prop, values that are invalid whatever the other props are (in the two-format pipeline). */
const notNonEmptyString = fc.oneof(fc.constantFrom('', '   '), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]));
const notBoolean = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant({}));
const badCidr = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 24, max: 30 })).map(([h, p]) => `10.0.0.${h | 1}/${p}`), // host bits set
  fc.integer({ min: 33, max: 99 }).map((p) => `10.0.0.0/${p}`),
  fc.constantFrom('fd00::/64', '::/0', '10.0.0/24', '0xa.0.0.0/8', '10.0.0.0', '256.0.0.0/8', ' 10.0.0.0/8', '10.0.0.0/08'),
  fc.string().filter((s) => !/^[0-9./]+$/.test(s)),
  fc.integer(),
);
const notInt = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ max: min - 1 }),
    fc.integer({ min: max + 1 }),
    fc.double({ noInteger: true }),
    fc.string(),
    fc.constant(null),
    fc.boolean(),
  );
const INVALID: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.oneof(
    fc.string().filter((s) => !/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/.test(s)),
    // Object.prototype keys: the constructs library stores children in a plain object (a CI run found "toString")
    fc.constantFrom('constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'),
    fc.integer(),
    fc.constant(null),
  ),
  image: notNonEmptyString,
  keyName: notNonEmptyString,
  externalNetwork: notNonEmptyString,
  masterFlavor: notNonEmptyString,
  minionFlavor: notNonEmptyString,
  masterCount: notInt(1, 99),
  minionCount: notInt(0, 10000),
  dockerVolumeSize: notInt(0, 16384),
  createTimeoutMinutes: notInt(0, 10080),
  waitConditionTimeout: notInt(60, 86400),
  kubernetesPort: fc.oneof(notInt(1, 65535), fc.constantFrom(...RESERVED), fc.integer({ min: 30000, max: 32767 })),
  loadBalancingProtocol: fc.oneof(fc.constantFrom('HTTP', 'tcp', 'UDP', ''), fc.integer()),
  loadBalancerApi: fc.oneof(fc.string().filter((s) => s !== 'octavia'), fc.constant(null)), // lbaas-v1 too: HOT only
  keySize: fc.oneof(fc.integer().filter((n) => n !== 2048 && n !== 4096), fc.constant('2048')),
  floatingIps: notBoolean,
  etcdLoadBalancer: notBoolean,
  preinstalledPackages: notBoolean,
  allowInsecureWorldRules: notBoolean,
  kubernetesVersion: fc.oneof(fc.constantFrom('1.31', 'v1.30', 'v2.0', 'latest', ''), fc.integer()),
  fixedNetworkCidr: badCidr,
  portalNetworkCidr: badCidr,
  podNetworkCidr: badCidr,
  dnsNameservers: fc.oneof(fc.constant([]), fc.array(fc.constantFrom('8.8.8', 'dns.example', '::1', '8.8.8.256'), { minLength: 1 }), fc.string(), fc.constant(['8.8.8.8', '8.8.8.8'])),
  apiAllowedCidrs: fc.oneof(fc.constant([]), badCidr.map((c) => [c]), fc.string()),
  sshAllowedCidrs: fc.oneof(badCidr.map((c) => [c]), fc.string(), fc.integer()),
  nodePortAllowedCidrs: fc.oneof(badCidr.map((c) => [c]), fc.string(), fc.constant({})),
  minionsToRemove: fc.oneof(fc.constant('1'), fc.constant(['x']), fc.integer({ min: 10, max: 99 }).map((k) => [String(k)]), fc.constant(['0', '0']), fc.constant([1])),
  pkiDir: fc.oneof(fc.constant(''), fc.integer(), fc.constant(null)),
  pkiProgress: fc.oneof(fc.string(), fc.integer(), fc.constant({})),
  existingNetwork: fc.oneof(fc.string({ minLength: 1 }), fc.constant({ networkId: 'n' }), fc.constant({ networkId: '', subnetId: 's' }), fc.constant([1, 2])),
  clusterCa: fc.oneof(fc.string({ minLength: 1 }), fc.constant({ certFile: '/nonexistent/ca.crt' }), fc.constant({ certFile: '/nonexistent/a', keyFile: '/nonexistent/b' })),
  // Unknown props (from JS): a typo, a Magnum name, anything.
  masterCont: fc.integer(),
  number_of_minions: fc.integer(),
  imageName: fc.string(),
};
/** The example's name and minionCount are fixed, so that the removal cases stay invalid. */
const INVALID_BASE = { ...BASE_PROPS, name: 'prop-a', minionCount: 2 };

// ---------------------------------------------------------------- checks

/** Resolves a port: a number, `${var.x}` (Terraform variable default) or {get_param: x} (HOT parameter default). */
function port(v: unknown, defaults: (name: string) => unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v === undefined || v === null) return undefined;
  const name = typeof v === 'string' ? /^\$\{var\.([A-Za-z0-9_]+)\}$/.exec(v)?.[1] : (v as { get_param?: string }).get_param;
  const raw = name === undefined ? undefined : defaults(name);
  // (HOT checks kubernetes_port as a pattern-constrained string)
  const d = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof d !== 'number') throw new Error(`cannot resolve port ${JSON.stringify(v)}`);
  return d;
}

/** Rules as [name, protocol, remote prefix, min, max]. */
type Rule = [string, string, string | undefined, number | undefined, number | undefined];

function tfRules(json: any): Rule[] {
  const vars = (n: string) => json.variable?.[n]?.default;
  return tfResources(json)
    .filter(([type]) => type === 'openstack_networking_secgroup_rule_v2')
    .map(([, name, r]) => [name, r.protocol, r.remote_ip_prefix, port(r.port_range_min, vars), port(r.port_range_max, vars)]);
}

function hotRules(dir: string): Rule[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => {
      const doc = parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      const params = (n: string) => doc?.parameters?.[n]?.default;
      return Object.entries<any>(doc?.resources ?? {})
        .filter(([, r]) => r?.type === 'OS::Neutron::SecurityGroupRule')
        .map(([name, r]): Rule => {
          const p = r.properties;
          return [name, p.protocol, p.remote_ip_prefix, port(p.port_range_min, params), port(p.port_range_max, params)];
        });
    });
}

/** The rules among `rules` that open a sensitive TCP port to the world. */
const worldSensitive = (rules: Rule[]) =>
  rules.filter(([, protocol, prefix, lo, hi]) => {
    if (prefix === undefined || !isWorldLike(prefix) || (protocol !== 'tcp' && protocol !== undefined)) return false;
    return SENSITIVE.some((s) => s >= (lo ?? 0) && s <= (hi ?? 65535));
  });

// ---------------------------------------------------------------- properties

describe('properties', () => {
  test('random valid props synthesize both formats; no world rule covers etcd, kubelet or the insecure API ports', () => {
    const ws = workspaceWithPreviousOutputs(['prop-a', 'prop-b']);
    let runs = 0;
    fc.assert(
      fc.property(validProps, (props) => {
        runs++;
        // WHEN
        const r = runPipeline(ws, props as unknown as Record<string, unknown>);
        // THEN both formats are written
        const json = JSON.parse(fs.readFileSync(path.join(r.tfDir, 'cdk.tf.json'), 'utf8'));
        const tf = tfRules(json);
        const hot = hotRules(r.hotDir);
        expect(tf.length).toBeGreaterThan(4);
        // the same rules in both
        expect(hot.map(([n]) => n).sort()).toEqual(tf.map(([n]) => n).sort());
        // and none opens a sensitive port to the world
        expect(worldSensitive(tf)).toEqual([]);
        expect(worldSensitive(hot)).toEqual([]);
        // the API port is open where the props say, and only there
        const api = tf.filter(([, protocol, , lo]) => protocol === 'tcp' && lo === props.kubernetesPort).map(([, , prefix]) => prefix);
        expect(new Set(api)).toEqual(new Set([props.fixedNetworkCidr, ...props.apiAllowedCidrs!]));
        expect(leftovers(ws.root)).toEqual([]);
      }),
      { numRuns: 25 },
    );
    expect(runs).toBe(25);
  });

  test('random invalid props fail with one BayValidationError naming every bad prop, and write nothing', () => {
    const ws = workspaceWithPreviousOutputs(['prop-a', 'bay']);
    const before = tree(ws.root);
    const keys = Object.keys(INVALID);
    const corruption = fc
      .uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: 3 })
      .chain((ks) => fc.tuple(...ks.map((k) => INVALID[k].map((v): [string, unknown] => [k, v]))))
      // A removal key beyond the minions cannot be judged while minionCount is itself invalid.
      .filter((pairs) => !(pairs.some(([k]) => k === 'minionCount') && pairs.some(([k, v]) => k === 'minionsToRemove' && Array.isArray(v) && /^\d{2}$/.test(String(v[0])))));
    fc.assert(
      fc.property(corruption, (pairs) => {
        // GIVEN valid props with some made invalid
        const props: Record<string, unknown> = { ...INVALID_BASE };
        for (const [k, v] of pairs) props[k] = v;
        // WHEN / THEN: a BayValidationError (never a TypeError), naming each bad prop
        const err = asValidationError(thrownBy(() => runPipeline(ws, props)));
        for (const [k] of pairs) {
          // clusterCa/existingNetwork problems may be about one of their keys; a null/empty bad value may be "missing"
          const named = messagesAbout(err, k).length > 0;
          expect({ prop: k, named, errors: named ? [] : err.errors }).toEqual({ prop: k, named: true, errors: [] });
        }
        expect(err.errors.every((m) => /^\[[^\]]+\] [A-Za-z_]\w*(\.\w+)?: .+; .+/s.test(m))).toBe(true);
        expect(tree(ws.root)).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  test('any value for any prop (from JS): the constructor either builds the bay or throws a BayValidationError', () => {
    // name and pkiDir stay fixed: a valid random name would generate a PKI, a random pkiDir would create directories.
    const keys = Object.keys(INVALID).filter((k) => k !== 'name' && k !== 'pkiDir');
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.anything({ withBigInt: true, withNullPrototype: true, withObjectString: true }), (key, value) => {
        const root = new Construct(undefined as any, 'root');
        try {
          new KubernetesBay(root, 'prop-a', { ...INVALID_BASE, pkiDir: PKI_DIR, [key]: value } as KubernetesBayProps);
        } catch (e) {
          if (!(e instanceof BayValidationError)) throw e;
          // (a derived prop may be the one named: minionCount 9999 makes fixedNetworkCidr too small)
          expect(e.errors.length).toBeGreaterThan(0);
          for (const m of e.errors) expect(m).toMatch(/^\[root\/prop-a\] \S.*: .+; .+/s);
        }
      }),
      { numRuns: 200 },
    );
  });
});
