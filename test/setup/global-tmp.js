/**
 * Jest globalSetup / globalTeardown: the run gets a temp dir of its own
 * (TMPDIR, inherited by the workers and every child process), and the
 * teardown fails the run if anything was left in it: every test must
 * clean up after itself. The directory is removed either way. It also
 * fails the run if the tests created entries in the repository's own
 * working directory (e.g. a cdktf \`new App()\` makes cdktf.out/ there,
 * which the README's synth then refuses to replace: no output marker).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const KEY = 'KUBEBAY_TEST_TMPDIR';
const CWD_KEY = 'KUBEBAY_TEST_CWD_ENTRIES';

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubebay-jest-'));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
  process.env[CWD_KEY] = JSON.stringify(fs.readdirSync(process.cwd()));
}

async function teardown() {
  const problems = [];
  if (process.env[CWD_KEY]) {
    const before = new Set(JSON.parse(process.env[CWD_KEY]));
    const created = fs.readdirSync(process.cwd()).filter((e) => !before.has(e));
    if (created.length > 0) problems.push(`tests created ${created.join(', ')} in the working directory ${process.cwd()} (write into test/tmp.ts directories instead)`);
  }
  const dir = process.env[KEY];
  if (dir && fs.existsSync(dir)) {
    const left = fs.readdirSync(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      problems.push(`tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp dir (clean up in the test or use test/tmp.ts): ${left.slice(0, 10).join(', ')}`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
}

module.exports = { setup, teardown };
