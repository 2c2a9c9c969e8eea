import { defineConfig } from 'vitest/config';

// Whole simulated runs and child processes take seconds on a shared two-core machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
