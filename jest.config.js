/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  // The examples in stacks/ import kubebay by its package name, as users do (tsconfig.json maps the same paths).
  moduleNameMapper: {
    '^kubebay$': '<rootDir>/lib/index.ts',
    '^kubebay/openstack$': '<rootDir>/.gen/providers/openstack/index.ts',
  },
  testTimeout: 60000,
  // Temp dirs: one per run, checked empty at the end; each test file's removed after it (test/tmp.ts).
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/setup/cleanup.ts'],
};
