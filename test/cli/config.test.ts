import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../../lib/cli/config';
import { EXAMPLE_BAY } from '../../stacks/example';
import { BASE_CONFIG, writeConfig } from './run-cli';

function configErrors(file: string): string[] {
  try {
    loadConfig(file);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.messages];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

test('docs/example-bay.yaml is the example bay of stacks/example.ts', () => {
  const config = loadConfig(path.join(__dirname, '../../docs/example-bay.yaml'));
  const { pkiDir, clusterCa, ...props } = config.props;
  expect(props).toEqual(EXAMPLE_BAY);
  expect(clusterCa).toBeUndefined();
  // Relative to the file: the repository's store, the one `npm run synth` uses.
  expect(pkiDir).toBe(path.resolve(__dirname, '../../.kubebay/pki'));
});

test('relative paths resolve against the config file; pkiDir defaults to .kubebay/pki beside it', () => {
  // GIVEN
  const file = writeConfig(['image: i', 'keyName: k', 'externalNetwork: e', 'clusterCa: {certFile: ca/ca.crt, keyFile: ca/ca.key}']);
  // WHEN
  const config = loadConfig(file);
  // THEN
  const dir = path.dirname(file);
  expect(config.props.pkiDir).toBe(path.join(dir, '.kubebay/pki'));
  expect(config.props.clusterCa).toEqual({ certFile: path.join(dir, 'ca/ca.crt'), keyFile: path.join(dir, 'ca/ca.key') });
});

test('the bay name defaults to the file name', () => {
  const file = writeConfig(['image: i', 'keyName: k', 'externalNetwork: e'], 'staging-bay.yml');
  expect(loadConfig(file).props.name).toBe('staging-bay');
});

test('JSON configs load too, with lines in messages', () => {
  // GIVEN
  const file = writeConfig(['{', '  "image": "i",', '  "keyName": "k",', '  "externalNetwork": "e",', '  "minionCont": 2', '}'], 'bay.json');
  // THEN
  expect(configErrors(file)).toEqual([expect.stringMatching(/bay\.json:5: unknown key "minionCont"; did you mean "minionCount"\?$/)]);
});

test('unknown keys are named with their line and a suggestion, nested ones too', () => {
  // GIVEN
  const file = writeConfig([...BASE_CONFIG, 'masterCont: 3', 'existingNetwork:', '  networkId: n', '  subnet: s']);
  // THEN
  const errors = configErrors(file);
  const line = BASE_CONFIG.length + 1;
  expect(errors).toContainEqual(expect.stringMatching(new RegExp(`bay\\.yaml:${line}: unknown key "masterCont"; did you mean "masterCount"\\?`)));
  expect(errors).toContainEqual(expect.stringMatching(new RegExp(`bay\\.yaml:${line + 3}: unknown key "existingNetwork\\.subnet"; did you mean "subnetId"\\?`)));
  expect(errors).toContainEqual(expect.stringMatching(new RegExp(`bay\\.yaml:${line + 1}: existingNetwork\\.subnetId: required key is missing`)));
});

test('a function prop (pkiProgress) is not accepted from a file', () => {
  const file = writeConfig([...BASE_CONFIG, 'pkiProgress: yes']);
  expect(configErrors(file)).toEqual([expect.stringMatching(/unknown key "pkiProgress" \(a function: pass it in code, not in a file\)/)]);
});

test('wrong types name the key, the line and the value', () => {
  const file = writeConfig([...BASE_CONFIG, 'floatingIps: "no"', 'apiAllowedCidrs: 10.0.0.0/8']);
  expect(configErrors(file)).toEqual([
    expect.stringMatching(new RegExp(`:${BASE_CONFIG.length + 1}: floatingIps: expected true or false, got string "no"$`)),
    expect.stringMatching(new RegExp(`:${BASE_CONFIG.length + 2}: apiAllowedCidrs: expected a list, got string "10.0.0.0/8"$`)),
  ]);
});

test('missing required keys, YAML syntax errors and non-mappings are reported', () => {
  expect(configErrors(writeConfig(['image: i']))).toEqual([
    expect.stringMatching(/bay\.yaml: keyName: required key is missing/),
    expect.stringMatching(/bay\.yaml: externalNetwork: required key is missing/),
  ]);
  expect(configErrors(writeConfig(['image: i', 'image: j']))).toEqual([expect.stringMatching(/bay\.yaml:2: Map keys must be unique/)]);
  expect(configErrors(writeConfig(['- image: i']))).toEqual([expect.stringMatching(/expected a mapping of bay props.*got a list/)]);
  expect(configErrors(writeConfig(['']))).toEqual([expect.stringMatching(/got an empty file/)]);
  expect(configErrors('/nonexistent/bay.yaml')).toEqual([expect.stringMatching(/cannot read the config file: it does not exist \(ENOENT\); give the path/)]);
});

test("the bay's own validation messages are located in the file", () => {
  // GIVEN
  const file = writeConfig([...BASE_CONFIG.filter((l) => !l.startsWith('masterCount')), 'masterCount: 0', 'apiAllowedCidrs: [203.0.113.0/24, 10.1.2.3/33]']);
  const config = loadConfig(file);
  // WHEN
  const located = config.locate([
    { path: 'kubebay/demo', prop: 'masterCount', value: 0, problem: 'is not a valid master count', fix: 'use an integer from 1 to 99' },
    { path: 'kubebay/demo', prop: 'apiAllowedCidrs', value: '10.1.2.3/33', problem: 'is not an IPv4 CIDR such as 10.0.0.0/24', fix: 'fix' },
    { path: 'kubebay/demo', prop: 'keySize', value: 1, problem: 'is not a supported RSA key size', fix: 'use 2048 or 4096' },
    { path: 'kubebay/demo/security', problem: 'something without a prop' },
  ]);
  // THEN (paths outside the working directory are shown absolute)
  const n = BASE_CONFIG.length;
  expect(located).toEqual([
    `${file}:${n}: masterCount: 0 is not a valid master count; use an integer from 1 to 99`,
    `${file}:${n + 1}: apiAllowedCidrs: "10.1.2.3/33" is not an IPv4 CIDR such as 10.0.0.0/24; fix`,
    expect.stringMatching(/bay\.yaml: keySize \(default\): 1 is not/),
    expect.stringMatching(/bay\.yaml: \[kubebay\/demo\/security\] something without a prop$/),
  ]);
});

test('the cloud-integration files (CA bundle, application-credential secret) resolve against the config file too', () => {
  const file = writeConfig([
    'image: i', 'keyName: k', 'externalNetwork: e', 'openstackCaFile: certs/cloud-ca.pem',
    'applicationCredential: {id: abc, secretFile: appcred.secret}',
  ]);
  const config = loadConfig(file);
  const dir = path.dirname(file);
  expect(config.props.openstackCaFile).toBe(path.join(dir, 'certs/cloud-ca.pem'));
  expect(config.props.applicationCredential).toEqual({ id: 'abc', secretFile: path.join(dir, 'appcred.secret') });
});

test('a valid config loads without zod; a config with a type error loads it and reports every problem', () => {
  // GIVEN a fresh Node process running the compiled loader (jest's module registry would hide the question)
  const script = (file: string) =>
    `const { loadConfig } = require(${JSON.stringify(path.join(__dirname, '../../dist/lib/cli/config'))});` +
    `let errors = 0; try { loadConfig(${JSON.stringify(file)}); } catch (e) { errors = e.messages.length; }` +
    `console.log(JSON.stringify({ errors, zod: Object.keys(require.cache).some((f) => f.includes('/node_modules/zod/')) }));`;
  const run = (file: string) => JSON.parse(execFileSync(process.execPath, ['-e', script(file)], { encoding: 'utf8' }));
  // WHEN / THEN
  expect(run(writeConfig(BASE_CONFIG))).toEqual({ errors: 0, zod: false });
  expect(run(writeConfig([...BASE_CONFIG.filter((l) => !l.startsWith('masterCount')), 'masterCount: three', 'keySize: 1']))).toEqual({ errors: 2, zod: true });
});
