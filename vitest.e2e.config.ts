import { defineConfig } from 'vitest/config';

/** End-to-end tests: the real app and dev IdP in-process, the built web apps, Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    // CI retries a failed test once and lists it as flaky (test/reporters/ci.ts); locally a failure fails.
    retry: process.env.CI_RETRY ? 1 : 0,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
