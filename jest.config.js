/**
 * Tests run against a real PostgreSQL + PostGIS server (TEST_DATABASE_URL) or, when that is not set,
 * against an embedded PGlite + PostGIS database that test/global-setup.ts starts once for the run.
 * PGlite answers one query at a time, so the embedded run uses one worker.
 */
const embedded = !process.env.TEST_DATABASE_URL;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  maxWorkers: embedded ? 1 : 2,
  testTimeout: 60000,
};
