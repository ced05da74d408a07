import { defineConfig } from 'vitest/config';

/** End-to-end tests: the real app and dev IdP in-process, the built web apps, Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
