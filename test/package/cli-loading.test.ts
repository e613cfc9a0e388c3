/**
 * The start-up of `kubebay synth` (issue 15): the commands it does not run
 * are not loaded (roll, token, pki, graph and what only they need), in a
 * fresh child process of the built CLI; and a lazily loaded command still
 * works and reports its errors as before.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const DIST_LIB = path.join(ROOT, 'dist/lib');
const BAY = `{"name":"c","image":"i","keyName":"k","externalNetwork":"public","apiAllowedCidrs":["203.0.113.0/24"],"pkiDir":"pki"}`;

/** Runs the CLI in-process in a child node with `argv`; prints the status and the kubebay modules loaded. */
function runCli(argv: string[]): { status: number; modules: string[] } {
  const cwd = tmpDir('kubebay-cli-load-');
  fs.writeFileSync(path.join(cwd, 'bay.json'), BAY);
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      `const { run } = require(${JSON.stringify(path.join(DIST_LIB, 'cli/run.js'))});
       const io = { stdout: { write: () => true }, stderr: { write: () => true } };
       run(${JSON.stringify(argv)}, io).then((status) => {
         const lib = ${JSON.stringify(DIST_LIB + path.sep)};
         const modules = Object.keys(require.cache).filter((f) => f.startsWith(lib)).map((f) => f.slice(lib.length));
         process.stdout.write(JSON.stringify({ status, modules }));
       });`,
    ],
    { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } },
  );
  return JSON.parse(out);
}

beforeAll(() => {
  if (!fs.existsSync(path.join(DIST_LIB, 'cli/run.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
});

test('`kubebay synth --target hot` loads no other command, nor lib/roll or the topology graph', () => {
  const { status, modules } = runCli(['synth', '--config', 'bay.json', '--target', 'hot', '--out', 'o']);
  expect(status).toBe(0);
  expect(modules).toContain(path.join('cli', 'commands', 'synth.js'));
  const unneeded = modules.filter((m) => /^cli[\\/]commands[\\/](graph|pki|roll|token)\.js$|^roll[\\/]|^cli[\\/]graph\.js$/.test(m));
  expect(unneeded).toEqual([]);
});

test('a lazily loaded command runs: `kubebay graph --format mermaid` prints the topology', () => {
  const { status, modules } = runCli(['graph', '--config', 'bay.json', '--format', 'mermaid']);
  expect(status).toBe(0);
  expect(modules).toContain(path.join('cli', 'commands', 'graph.js'));
});
