/** The browser suite: real headless Chromium (Debian's /usr/bin/chromium) through playwright-core. */
const base = require('./jest.config.js');
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['**/test/browser/**/*.test.ts'],
  setupFilesAfterEnv: [],
  maxWorkers: 1,
  testTimeout: 60000,
};
