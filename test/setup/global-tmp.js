/**
 * Jest globalSetup / globalTeardown: the run gets a temp dir of its own
 * (TMPDIR, inherited by the workers and every child process), and the
 * teardown fails the run if anything was left in it: every test must
 * clean up after itself. The directory is removed either way.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const KEY = 'KUBEBAY_TEST_TMPDIR';

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubebay-jest-'));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
}

async function teardown() {
  const dir = process.env[KEY];
  if (!dir || !fs.existsSync(dir)) return;
  const left = fs.readdirSync(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(`tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp dir (clean up in the test or use test/tmp.ts): ${left.slice(0, 10).join(', ')}`);
  }
}

module.exports = { setup, teardown };
