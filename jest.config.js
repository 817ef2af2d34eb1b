/** Jest runs everything that needs no browser; the browser suite has its own config. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // Source files may name a sibling with '.js' (ES module resolution); jest maps it back to .ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/no-network.ts', '<rootDir>/test/support/property-seed.ts'],
  maxWorkers: 2,
  testTimeout: 30000,
};
