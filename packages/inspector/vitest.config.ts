import { defineConfig } from 'vitest/config';

// The fixtures run the kernel app and the server starts reader processes: on a shared two-core
// machine that takes seconds.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 120_000 } });
