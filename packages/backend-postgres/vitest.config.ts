/** The tests run against a real PostgreSQL server started once for the whole run (or TAPELOG_PG_URL). */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['../../tooling/postgres-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
