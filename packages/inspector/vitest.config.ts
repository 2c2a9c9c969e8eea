import { defineConfig } from 'vitest/config';

// The fixtures run the kernel app and the server starts reader processes: on a shared two-core
// machine that takes seconds. test/postgres.test.ts reads a real PostgreSQL server, started once
// for the run (or TAPELOG_PG_URL).
export default defineConfig({ test: { globalSetup: ['../../tooling/postgres-global-setup.ts'], testTimeout: 60_000, hookTimeout: 120_000 } });
