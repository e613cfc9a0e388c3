/**
 * Input and errors (issue 12): every problem of a config at once, and raw
 * errors turned into messages that name the file or option and the fix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ConfigError, loadConfig, MAX_CONFIG_BYTES } from '../../lib/cli/config';
import { describeSystemError, fsProblem } from '../../lib/core/fs-errors';
import { tmpDir } from '../helpers';
import { BASE_CONFIG, cli, writeConfig } from './run-cli';

function configErrors(file: string): string[] {
  try {
    loadConfig(file);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.messages];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('every problem of a config at once', () => {
  test('an unknown key, a type error and a value error are all reported (the docs/cli.md example)', async () => {
    // GIVEN
    const file = writeConfig(['image: i', 'keyName: k', 'externalNetwork: e', 'masterCont: 3', 'minionCount: five', 'apiAllowedCidrs: [10.1.2.3/33]']);
    // WHEN
    const r = await cli('synth', '-c', file, '-o', tmpDir());
    // THEN
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'kubebay: 3 errors; nothing was written',
      expect.stringMatching(/bay\.yaml:4: unknown key "masterCont"; did you mean "masterCount"\?$/),
      expect.stringMatching(/bay\.yaml:5: minionCount: expected a number, got string "five"$/),
      expect.stringMatching(/bay\.yaml:6: apiAllowedCidrs: "10\.1\.2\.3\/33" is not an IPv4 CIDR such as 10\.0\.0\.0\/24; give IPv4 networks/),
    ]);
  });

  /** Per key, a wrong type (schema) and a wrong value of the right type (the bay's validation). */
  const WRONG: Record<string, { type: unknown; value: unknown }> = {
    masterCount: { type: 'three', value: 0 },
    minionCount: { type: [1], value: -1 },
    kubernetesPort: { type: '6443', value: 2379 },
    fixedNetworkCidr: { type: 10, value: '8.0.0.0/8' },
    podNetworkCidr: { type: true, value: '10.100.0.0/33' },
    apiAllowedCidrs: { type: '0.0.0.0/0', value: ['10.1.2.3/33'] },
    dnsNameservers: { type: { a: 1 }, value: ['dns.example'] },
    loadBalancingProtocol: { type: 1, value: 'HTTP' },
    keySize: { type: 'big', value: 1024 },
    kubernetesVersion: { type: 1.31, value: 'v1.2' },
    floatingIps: { type: 'no', value: undefined },
    waitConditionTimeout: { type: null, value: 5 },
  };
  const keys = Object.keys(WRONG);

  test('property: for any mix of type and value errors, the CLI names each broken key, with its line, in one run', async () => {
    const mix = fc.uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: 6 }).chain((ks) =>
      fc.tuple(fc.constant(ks), fc.array(fc.boolean(), { minLength: ks.length, maxLength: ks.length }), fc.boolean()),
    );
    await fc.assert(
      fc.asyncProperty(mix, async ([ks, asType, typo]) => {
        // GIVEN a valid config with some keys broken (by type or by value) and maybe an unknown key
        const data: Record<string, unknown> = { image: 'i', keyName: 'k', externalNetwork: 'e' };
        const broken = ks.filter((k, i) => asType[i] || WRONG[k].value !== undefined);
        // (floatingIps has no wrong value of its type: a mix that breaks nothing is not a case)
        fc.pre(broken.length > 0 || typo);
        for (const [i, k] of ks.entries()) {
          const v = asType[i] ? WRONG[k].type : WRONG[k].value;
          if (v !== undefined) data[k] = v;
        }
        if (typo) data.minionCont = 2;
        const file = path.join(dir, 'bay.yaml');
        fs.writeFileSync(file, stringify(data));
        // WHEN
        const r = await cli('synth', '-c', file, '-o', path.join(dir, 'out'));
        const errors = r.stderr.split('\n').filter((l) => l.startsWith(file));
        // THEN it fails, writing nothing, and every broken key is named, and nothing else but the typo
        const named = (k: string) => errors.filter((m) => new RegExp(`bay\\.yaml:\\d+: ${k}( \\(default\\))?: `).test(m));
        for (const k of broken) expect({ k, n: named(k).length > 0 }).toEqual({ k, n: true });
        if (typo) expect(errors).toContainEqual(expect.stringMatching(/unknown key "minionCont"; did you mean "minionCount"\?/));
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`^kubebay: ${errors.length} errors?; nothing was written`));
        expect(errors.length).toBeGreaterThanOrEqual(broken.length + (typo ? 1 : 0));
        expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
        // (a key broken by type is reported once: no second message from the value checks)
        for (const [i, k] of ks.entries()) if (asType[i]) expect(named(k)).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });
  const dir = tmpDir('kubebay-cli-mix-');
});

describe('unusual files name the file and the fix', () => {
  test('--config /dev/urandom (an endless stream) stops at the size cap', () => {
    expect(configErrors('/dev/urandom')).toEqual([expect.stringMatching(/^\/dev\/urandom: is larger than 1 MiB, or an endless stream \(read stopped there\); give a bay config file/)]);
  });

  test('a file larger than the cap is refused', () => {
    const file = writeConfig(['image: i', `# ${'x'.repeat(MAX_CONFIG_BYTES)}`]);
    expect(configErrors(file)).toEqual([expect.stringMatching(/bay\.yaml: is larger than 1 MiB/)]);
  });

  test('binary content: not UTF-8 text', () => {
    const file = writeConfig([]);
    fs.writeFileSync(file, Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81]));
    expect(configErrors(file)).toEqual([expect.stringMatching(/bay\.yaml: is not UTF-8 text/)]);
  });

  test('a directory (EISDIR) names the path', () => {
    const dir = tmpDir();
    expect(configErrors(dir)).toEqual([`${dir}: is a directory, not a config file (EISDIR); give the path of a YAML or JSON bay config file`]);
  });

  test('a YAML alias bomb is refused with the file name', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(9).fill(`*${'abcdefgh'[i - 1]}`).join(', ')}]`);
    const file = writeConfig(lines);
    expect(configErrors(file)).toEqual([expect.stringMatching(/bay\.yaml: YAML aliases expand to too many values .*billion laughs.*; write the values out/)]);
  });

  test('thousands of nested lists: named as too deep, not a stack overflow', () => {
    const file = writeConfig([`image: ${'['.repeat(100_000)}${']'.repeat(100_000)}`]);
    expect(configErrors(file)).toEqual([expect.stringMatching(/bay\.yaml:1: nests too deeply to be a bay config/)]);
  });

  test('.nan and .inf are reported as such (not as "number null")', () => {
    const errors = configErrors(writeConfig([...BASE_CONFIG.filter((l) => !l.startsWith('masterCount')), 'masterCount: .nan', 'waitConditionTimeout: -.inf']));
    expect(errors).toEqual([
      expect.stringMatching(/masterCount: expected a finite number, got \.nan \(not a number\)$/),
      expect.stringMatching(/waitConditionTimeout: expected a finite number, got -\.inf \(infinity\)$/),
    ]);
  });
});

describe('raw system errors', () => {
  test('--out below a file (ENOTDIR) names the option and the file, before any generation', async () => {
    // GIVEN
    const config = writeConfig(BASE_CONFIG);
    // WHEN
    const r = await cli('synth', '-c', config, '-o', path.join(config, 'out'));
    // THEN
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`--out ${config.replace(/[.]/g, '\\.')}/out: .*bay\\.yaml is a file, not a directory \\(ENOTDIR\\); choose an output directory`));
    expect(r.stderr).not.toMatch(/staging|unlink/);
  });

  test.each([
    [{ code: 'EACCES', syscall: 'mkdir', path: '/srv/pki' }, /^cannot mkdir \/srv\/pki: permission denied \(EACCES\); check the permissions/],
    [{ code: 'ENOTDIR', syscall: 'unlink', path: '/o/file/terraform.staging-1' }, /^cannot unlink \/o\/file\/terraform\.staging-1: a part of the path is a file, not a directory \(ENOTDIR\); remove or rename/],
    [{ code: 'EISDIR', syscall: 'open', path: '/etc' }, /^cannot open \/etc: it is a directory \(EISDIR\); give a file/],
    [{ code: 'EXDEV', syscall: 'rename', path: '/a', dest: '/b' }, /^cannot rename \/a to \/b: boom$/],
  ])('%j is described with its path, meaning and fix', (fields, expected) => {
    const e = Object.assign(new Error('boom'), fields) as NodeJS.ErrnoException & { code: string };
    expect(describeSystemError(e)).toMatch(expected);
  });

  test('a real EISDIR from fs is recognised across realms', () => {
    let caught: unknown;
    try {
      fs.readFileSync(tmpDir());
    } catch (e) {
      caught = e;
    }
    expect(fsProblem(caught)).toBe('it is a directory (EISDIR)');
  });
});
