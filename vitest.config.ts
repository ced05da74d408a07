import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    pool: 'forks',
    // CI retries a failed test once and lists it as flaky (test/reporters/ci.ts); locally a failure fails.
    retry: process.env.CI_RETRY ? 1 : 0,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
